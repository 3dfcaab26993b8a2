// Browser mode: the built renderer over HTTP and the backend over a WebSocket (`/ws`), on one port,
// every request guarded by a random token. Several tabs are several sessions on one opened store.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { MatrixInfo, Progress } from '../../shared/queries';
import { decodeFrame, encodeFrame } from '../../shared/rpc/wire-codec';
import { Backend, type BackendOptions } from '../backend/backend';
import { BackendError } from '../backend/error-payload';
import { newToken, tokenCookie, tokenSource } from './access-token';
import { packageRoot } from './package-root';
import { isLoopback, serverPathPolicy } from './path-policy';
import { securityHeaders } from './security-headers';
import { contentType, notBuiltPage, resolveStatic } from './static-files';

export interface ServerOptions {
  /** A matrix file or store to open before serving; new tabs start on it. */
  input?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: a fresh random token. */
  token?: string;
  /** The built renderer; default `<package root>/dist/renderer`. */
  rendererDir?: string;
  /** Use this backend (not closed by `close()`); default a new one made from `backendOptions`. */
  backend?: Backend;
  backendOptions?: BackendOptions;
  /** Let windows open files by path (default: only when listening on a loopback address). */
  allowOpenPaths?: boolean;
  /** Conversion progress of `input`. */
  onProgress?: (p: Progress) => void;
  /** Aborts the conversion of `input`. */
  signal?: AbortSignal;
  /** Largest WebSocket message, default 64 MiB (uploads bigger than 4 MiB travel in chunks). */
  maxMessageBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  token: string;
  backend: Backend;
  /** The matrix given as `input`, once opened. */
  info: MatrixInfo | null;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const rendererDir = path.resolve(options.rendererDir ?? path.join(packageRoot(), 'dist', 'renderer'));
  const ownsBackend = !options.backend;
  const backend = options.backend ?? new Backend({
    ...options.backendOptions,
    allowPath: options.backendOptions?.allowPath ?? serverPathPolicy(options.allowOpenPaths ?? isLoopback(host), host),
  });

  let info: MatrixInfo | null = null;
  try {
    if (options.input) {
      info = await backend.openPinned(options.input, { onProgress: options.onProgress, signal: options.signal });
      backend.warmUp(info.id); // the helpers get the store ready while the browser loads the page
    }
  } catch (e) {
    if (ownsBackend) await backend.close();
    throw e;
  }

  let port = 0;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const allowedHosts = () => new Set([`${urlHost}:${port}`, ...(isLoopback(host) ? [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`] : [])]);
  // CSP host sources cannot name IPv6 literals; 'self' covers the page's own origin anyway.
  const wsOrigins = () => [...allowedHosts()].filter(h => !h.startsWith('[')).map(h => `ws://${h}`);

  /** Checks Host (DNS rebinding) and the token; sets the cookie when the token came in the query. */
  const admit = (req: http.IncomingMessage): { url: URL; via: 'query' | 'cookie' } | null => {
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (isLoopback(host) && !allowedHosts().has(hostHeader)) return null;
    let url: URL;
    try { url = new URL(req.url ?? '/', `http://${urlHost}:${port}`); } catch { return null; }
    const via = tokenSource(req, url, token, port);
    return via ? { url, via } : null;
  };

  const server = http.createServer((req, res) => {
    const headers: Record<string, string> = { ...securityHeaders(wsOrigins()) };
    const ok = admit(req);
    if (!ok) {
      res.writeHead(403, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('403 Forbidden: this Matrix Explorer server needs its access token. Open the URL it printed (…/?token=…).\n');
      return;
    }
    if (ok.via === 'query') headers['Set-Cookie'] = tokenCookie(token, port);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('405 Method Not Allowed\n');
      return;
    }
    const pathname = ok.url.pathname;
    if (pathname === '/api/stats') {
      res.writeHead(200, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(backend.stats()));
      return;
    }
    const file = resolveStatic(rendererDir, pathname);
    if (!file) {
      const notBuilt = (pathname === '/' || pathname === '/index.html') && !fs.existsSync(path.join(rendererDir, 'index.html'));
      res.writeHead(notBuilt ? 503 : 404, { ...headers, 'Content-Type': notBuilt ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : notBuilt ? notBuiltPage(rendererDir) : '404 Not Found\n');
      return;
    }
    const st = fs.statSync(file);
    const hashed = pathname.startsWith('/assets/');
    res.writeHead(200, {
      ...headers,
      'Content-Type': contentType(file),
      'Content-Length': String(st.size),
      'Cache-Control': hashed ? 'private, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') { res.end(); return; }
    fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 64 * 1024 ** 2, perMessageDeflate: false });
  let sessionCounter = 0;
  server.on('upgrade', (req, socket, head) => {
    const ok = admit(req);
    const origin = req.headers.origin;
    // Same origin only: the page's origin must be the host it asked (itself checked above on loopback).
    const originOk = !origin || (() => { try { return new URL(origin).host === (req.headers.host ?? '').toLowerCase(); } catch { return false; } })();
    if (!ok || !originOk || ok.url.pathname !== '/ws') {
      socket.end(`HTTP/1.1 ${ok && originOk ? '404 Not Found' : '403 Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, ws => onSocket(ws, ok.url));
  });

  const sockets = new Set<WebSocket>();
  function onSocket(ws: WebSocket, url: URL) {
    sockets.add(ws);
    const sessionId = `tab-${++sessionCounter}-${Math.random().toString(36).slice(2, 8)}`;
    const matrixId = url.searchParams.get('matrix') ?? undefined;
    const session = backend.connect(sessionId, m => {
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame(m));
    }, { matrixId });
    let alive = true;
    ws.on('pong', () => { alive = true; });
    const heartbeat = setInterval(() => {
      if (!alive) { ws.terminate(); return; }
      alive = false;
      ws.ping();
    }, 30_000);
    heartbeat.unref();
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return; // the protocol is binary frames only
      let msg: unknown;
      try {
        msg = decodeFrame(Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data);
      } catch {
        return;
      }
      session(msg);
    });
    ws.on('close', () => { clearInterval(heartbeat); sockets.delete(ws); session.close(); });
    ws.on('error', () => { /* close follows */ });
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => { server.off('error', reject); resolve(); });
    });
  } catch (e) {
    wss.close();
    if (ownsBackend) await backend.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new BackendError('bad-input', `port ${options.port} on ${host} is already in use: choose another with --port (0 picks a free one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new BackendError('bad-input', `cannot listen on ${host}: no such local address`);
    if (code === 'EACCES') throw new BackendError('bad-input', `not allowed to listen on port ${options.port} (ports below 1024 need privileges)`);
    throw e;
  }
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    port, host, token, backend, info,
    close() {
      closing ??= (async () => {
        for (const ws of sockets) ws.terminate();
        wss.close();
        const closed = new Promise<void>(r => server.close(() => r()));
        server.closeAllConnections();
        await closed;
        if (ownsBackend) await backend.close();
      })();
      return closing;
    },
  };
}

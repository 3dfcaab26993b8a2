// The MatrixClient of browser mode: a WebSocket back to the server that served the page, carrying the
// RPC protocol in binary frames. The token comes from the page URL (`?token=`) or, failing that, the
// server's cookie (sent with the WebSocket handshake).
import type { MatrixClient, UiPrefs } from '../../../shared/client';
import { createRpcClient } from '../../../shared/rpc/rpc-client';
import { perfMark } from '../perf-mark';
import { createWsTransport, type ConnectionState, type SocketFactory } from './ws-transport';

export interface BrowserClient extends MatrixClient {
  /** The socket's state, for a "reconnecting…" indicator. */
  connection(): ConnectionState;
  onConnection(listener: (s: ConnectionState) => void): () => void;
  close(): void;
}

export interface BrowserClientOptions {
  /** Default: the page's location. */
  location?: { protocol: string; host: string; search: string; href: string };
  socket?: SocketFactory;
  minDelayMs?: number;
  /** Where UI preferences are kept; default the page's localStorage (per server origin). */
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
}

const PREFS_KEY = 'matrix-explorer:prefs';

/** The WebSocket URL for a page URL: same host, `/ws`, with the page's token and matrix. */
export function socketUrl(loc: { protocol: string; host: string; search: string }): string {
  const page = new URLSearchParams(loc.search);
  const q = new URLSearchParams();
  const token = page.get('token');
  if (token) q.set('token', token);
  const matrix = page.get('matrix');
  if (matrix) q.set('matrix', matrix);
  const qs = q.toString();
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws${qs ? `?${qs}` : ''}`;
}

/** A page URL showing `matrixId` (what New Window opens). */
export function windowUrl(href: string, matrixId: string): string {
  const u = new URL(href);
  u.searchParams.set('matrix', matrixId);
  u.hash = '';
  return u.toString();
}

export function connectBrowserClient(options: BrowserClientOptions = {}): BrowserClient {
  const loc = options.location ?? globalThis.location;
  const transport = createWsTransport({ url: socketUrl(loc), socket: options.socket, minDelayMs: options.minDelayMs });
  const rpc = createRpcClient(transport);
  transport.onState(s => { if (s === 'open') perfMark('ws-open'); });
  const storage = options.storage !== undefined ? options.storage : (() => { try { return globalThis.localStorage ?? null; } catch { return null; } })();
  return {
    ...rpc,
    async saveExport(suggestedName: string, data: Uint8Array) {
      const blob = new Blob([data as BlobPart], { type: 'application/octet-stream' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = suggestedName;
      a.style.display = 'none';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return suggestedName;
    },
    newWindow(matrixId: string) {
      window.open(windowUrl(loc.href, matrixId), '_blank');
    },
    async prefs(): Promise<UiPrefs> {
      try {
        const v = JSON.parse(storage?.getItem(PREFS_KEY) ?? '{}');
        return v && typeof v === 'object' ? v as UiPrefs : {};
      } catch {
        return {};
      }
    },
    setPrefs(prefs: UiPrefs) {
      try { storage?.setItem(PREFS_KEY, JSON.stringify(prefs)); } catch { /* storage full or blocked: not worth an error */ }
    },
    connection: () => transport.state(),
    onConnection: l => transport.onState(l),
    close: () => transport.close(),
  };
}

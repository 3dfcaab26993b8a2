// The browser-mode server in-process, with a fake store resolver and pool: the token on HTTP and WS,
// static files, headers, WebSocket RPC through the binary codec, several tabs on one store.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import type { MatrixInfo } from '../../shared/queries';
import type { ServerMessage } from '../../shared/rpc/protocol';
import { createRpcClient } from '../../shared/rpc/rpc-client';
import { decodeFrame, encodeFrame } from '../../shared/rpc/wire-codec';
import type { StoreManifest } from '../../shared/store-manifest';
import type { PoolLike, ResolveStore } from '../backend/backend';
import { startServer } from './start-server';
import { until } from '../../shared/testing/until';

function fakeBackend() {
  const counts = { resolve: 0 };
  const resolveStore: ResolveStore = async input => {
    counts.resolve++;
    return { storePath: input + '.mxstore', manifest: {} as StoreManifest, reused: counts.resolve > 1 };
  };
  const pool: PoolLike = {
    async query(storePath, name, req) {
      if (name === 'info') return { id: storePath, storePath, sourcePath: storePath, sourceFormat: 'npy', shape: [2, 2], kind: 'dense', dtype: 'f4', nnz: 4, density: 1, stats: {} as never, levels: [1], header: '' } satisfies MatrixInfo as never;
      if (name === 'row') return { axis: 'row', index: (req as { index: number }).index, start: 0, end: 2, step: 1, values: new Float64Array([NaN, 2.5]) } as never;
      throw new Error('nope');
    },
    async close() {},
  };
  return { counts, backendOptions: { resolveStore, pool, cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), 'mx-server-')) } };
}

const made: string[] = [];
after(() => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); });

function rendererDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mx-renderer-'));
  made.push(dir);
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>MX</title><script type="module" src="/assets/app-1234.js"></script>');
  fs.writeFileSync(path.join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'assets', 'app-1234.css'), 'body{}');
  fs.writeFileSync(path.join(dir, '.secret'), 'no');
  return dir;
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, res => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', c => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject);
  });
}

function wsConnect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

function wsClient(ws: WebSocket) {
  let deliver: (m: ServerMessage) => void = () => {};
  ws.on('message', data => deliver(decodeFrame(data as Buffer) as ServerMessage));
  return createRpcClient({ send: m => ws.send(encodeFrame(m)), onMessage: l => { deliver = l; } });
}

test('HTTP: 403 without the token, 200 with it, cookie for assets, headers, no path escapes', async t => {
  const f = fakeBackend();
  const dir = rendererDir();
  const s = await startServer({ input: '/data/m.npy', rendererDir: dir, backendOptions: f.backendOptions });
  t.after(async () => { await s.close(); fs.rmSync(dir, { recursive: true }); fs.rmSync(f.backendOptions.cacheDir, { recursive: true }); });
  assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
  const base = `http://127.0.0.1:${s.port}`;

  for (const p of ['/', '/index.html', '/assets/app-1234.js', '/api/stats', '/nope']) {
    const r = await get(base + p);
    assert.equal(r.status, 403, p);
    assert.doesNotMatch(r.body, /MX|console/);
  }
  assert.equal((await get(`${base}/?token=wrong`)).status, 403);
  assert.equal((await get(`${base}/?token=${s.token}x`)).status, 403);

  const home = await get(s.url);
  assert.equal(home.status, 200);
  assert.equal(home.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(home.body, /<title>MX<\/title>/);
  const csp = String(home.headers['content-security-policy']);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self';/);
  assert.doesNotMatch(csp, /unsafe-eval/);
  assert.match(csp, /style-src 'self' 'unsafe-inline'/);
  assert.match(csp, new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:${s.port}`));
  assert.equal(home.headers['referrer-policy'], 'no-referrer');
  assert.equal(home.headers['x-content-type-options'], 'nosniff');
  const cookie = String(home.headers['set-cookie']?.[0]).split(';')[0];
  assert.equal(cookie, `mx_token_${s.port}=${s.token}`);
  assert.match(String(home.headers['set-cookie']?.[0]), /HttpOnly; SameSite=Strict/);

  const js = await get(`${base}/assets/app-1234.js`, { cookie });
  assert.equal(js.status, 200);
  assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.match(String(js.headers['cache-control']), /immutable/);
  assert.equal((await get(`${base}/assets/app-1234.css`, { cookie })).headers['content-type'], 'text/css; charset=utf-8');
  assert.equal((await get(`${base}/assets/app-1234.js`, { cookie: `mx_token_${s.port + 1}=${s.token}` })).status, 403, 'another port\'s cookie');
  assert.equal((await get(`${base}/.secret`, { cookie })).status, 404);
  assert.equal((await get(`${base}/assets/../.secret`, { cookie })).status, 404);
  assert.equal((await get(`${base}/%2e%2e/%2e%2e/etc/passwd`, { cookie })).status, 404);
  assert.equal((await get(`${base}/missing.js`, { cookie })).status, 404);
  // DNS rebinding: a foreign Host header is refused even with the token
  assert.equal((await get(s.url, { host: `evil.example:${s.port}` })).status, 403);
  assert.equal((await get(s.url, { host: `localhost:${s.port}` })).status, 200);
  const stats = await get(`${base}/api/stats`, { cookie });
  assert.deepEqual(JSON.parse(stats.body), { conversions: 1, storeOpens: 1, sessions: 0, opened: 1 });
});

test('without a built renderer the page says to run npm run build', async t => {
  const f = fakeBackend();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mx-empty-'));
  const s = await startServer({ rendererDir: dir, backendOptions: f.backendOptions });
  t.after(async () => { await s.close(); fs.rmSync(dir, { recursive: true }); fs.rmSync(f.backendOptions.cacheDir, { recursive: true }); });
  const r = await get(s.url);
  assert.equal(r.status, 503);
  assert.match(r.headers['content-type'] ?? '', /text\/html/);
  assert.match(r.body, /npm run build/);
});

test('WebSocket: 403 without the token or from another origin; queries with typed arrays; tabs share one store', async t => {
  const f = fakeBackend();
  const s = await startServer({ input: '/data/m.npy', rendererDir: rendererDir(), backendOptions: f.backendOptions });
  t.after(async () => { await s.close(); fs.rmSync(f.backendOptions.cacheDir, { recursive: true }); });
  const wsBase = `ws://127.0.0.1:${s.port}/ws`;
  await assert.rejects(wsConnect(wsBase), { status: 403 });
  await assert.rejects(wsConnect(`${wsBase}?token=bad`), { status: 403 });
  await assert.rejects(wsConnect(`${wsBase}?token=${s.token}`, { origin: 'http://evil.example' }), { status: 403 });
  await assert.rejects(wsConnect(`ws://127.0.0.1:${s.port}/other?token=${s.token}`), { status: 404 });

  const ws1 = await wsConnect(`${wsBase}?token=${s.token}`, { origin: `http://127.0.0.1:${s.port}` });
  const ws2 = await wsConnect(wsBase, { cookie: `mx_token_${s.port}=${s.token}` });
  const c1 = wsClient(ws1), c2 = wsClient(ws2);
  const i1 = await c1.current(), i2 = await c2.current();
  assert.ok(i1 && i2);
  assert.equal(i1.id, '/data/m.npy.mxstore');
  assert.equal(i2.id, i1.id);
  const row = await c2.query(i1.id, 'row', { index: 1 });
  assert.ok(row.values instanceof Float64Array);
  assert.ok(Number.isNaN(row.values[0]));
  assert.equal(row.values[1], 2.5);
  // links between the tabs
  const got: unknown[] = [];
  c2.onLink(st => got.push(st));
  c1.publishLink({ matrixId: i1.id, cursor: { i: 0, j: 1 }, selection: null, from: 'tab1' });
  await until(() => got.length === 1, 'the link reaches the other tab');
  assert.deepEqual(s.backend.stats(), { conversions: 1, storeOpens: 1, sessions: 2, opened: 1 });
  assert.equal(f.counts.resolve, 1);
  // readable errors through the socket
  await assert.rejects(c1.open('relative/path.mtx'), { code: 'bad-input', message: /absolute path/ });
  ws1.close(); ws2.close();
  await until(() => s.backend.stats().sessions === 0, 'both sessions closed');
});

test('a port in use is a readable error', async t => {
  const f = fakeBackend();
  const s = await startServer({ rendererDir: rendererDir(), backendOptions: f.backendOptions });
  t.after(async () => { await s.close(); fs.rmSync(f.backendOptions.cacheDir, { recursive: true }); });
  await assert.rejects(startServer({ port: s.port, rendererDir: rendererDir(), backendOptions: f.backendOptions }), {
    code: 'bad-input', message: `port ${s.port} on 127.0.0.1 is already in use: choose another with --port (0 picks a free one)`,
  });
});

test('on a non-loopback host, opening by path is refused unless allowed', async t => {
  const f = fakeBackend();
  const s = await startServer({ host: '0.0.0.0', rendererDir: rendererDir(), backendOptions: f.backendOptions });
  t.after(async () => { await s.close(); fs.rmSync(f.backendOptions.cacheDir, { recursive: true }); });
  const ws = await wsConnect(`ws://127.0.0.1:${s.port}/ws?token=${s.token}`);
  const c = wsClient(ws);
  await assert.rejects(c.open('/etc/passwd'), { code: 'bad-input', message: /turned off on this server/ });
  ws.close();
  // a page served under another name for this machine may use its own origin's socket, not another's
  const named = await wsConnect(`ws://127.0.0.1:${s.port}/ws?token=${s.token}`, { host: `myhost:${s.port}`, origin: `http://myhost:${s.port}` });
  named.close();
  await assert.rejects(wsConnect(`ws://127.0.0.1:${s.port}/ws?token=${s.token}`, { host: `myhost:${s.port}`, origin: `http://evil:${s.port}` }), { status: 403 });
});

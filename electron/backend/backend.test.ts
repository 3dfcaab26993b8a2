// The backend with a fake store resolver and a fake pool: sessions, refcounting, link relay, supersede,
// cancellation, errors as payloads. (backend-real.test.ts runs it against real stores.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LinkState } from '../../shared/client';
import type { MatrixInfo, Progress } from '../../shared/queries';
import type { ServerMessage } from '../../shared/rpc/protocol';
import { createRpcClient } from '../../shared/rpc/rpc-client';
import type { StoreManifest } from '../../shared/store-manifest';
import { Backend, type PoolLike, type ResolveStore } from './backend';
import { until } from '../../shared/testing/until';

class InputError extends Error {
  constructor(message: string) { super(message); this.name = 'InputError'; }
}

function fakes(opts: { convertDelayMs?: number } = {}) {
  const calls = { resolve: [] as string[], query: [] as { storePath: string; name: string; supersedeKey?: string }[], released: [] as string[] };
  const stores = new Set<string>();
  const resolveStore: ResolveStore = async (input, o) => {
    calls.resolve.push(input);
    if (input.endsWith('.bad')) throw new InputError(`${input}:3: expected 3 numbers, found 2`);
    if (input.includes('missing')) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${input}'`), { code: 'ENOENT', path: input });
    const storePath = input.endsWith('.mxstore') ? input : input + '.mxstore';
    const reused = stores.has(storePath);
    if (!reused) {
      for (let k = 1; k <= 4; k++) {
        if (o.signal?.aborted) throw Object.assign(new Error('cancelled'), { name: 'CancelledError' });
        o.onProgress?.({ fraction: k / 4, phase: 'parsing' });
        await new Promise(r => setTimeout(r, (opts.convertDelayMs ?? 5) / 4));
      }
      if (o.signal?.aborted) throw Object.assign(new Error('cancelled'), { name: 'CancelledError' });
      stores.add(storePath);
    }
    return { storePath, manifest: { shape: [3, 4] } as unknown as StoreManifest, reused };
  };
  const pool: PoolLike = {
    async query(storePath, name, req, o = {}) {
      calls.query.push({ storePath, name, supersedeKey: o.supersedeKey });
      if (name === 'info') {
        return { id: 'engine-id', storePath, sourcePath: storePath.replace(/\.mxstore$/, ''), sourceFormat: 'mtx', shape: [3, 4], kind: 'sparse', dtype: 'f8', nnz: 2, density: 2 / 12, stats: {} as never, levels: [1], header: '%%MatrixMarket' } satisfies MatrixInfo as never;
      }
      if (name === 'value') {
        const { i, j } = req as { i: number; j: number };
        if (i > 2) throw Object.assign(new Error(`row ${i} is outside 0..2`), { code: 'bad-input' });
        o.onProgress?.({ fraction: 0.5, phase: 'reading' });
        return { i, j, value: i * 10 + j } as never;
      }
      if (name === 'viewport') {
        // Waits until aborted (superseded) or 30 ms pass.
        return new Promise((resolve, reject) => {
          const t = setTimeout(() => resolve({ block: 1, rowStart: 0, colStart: 0, rows: 1, cols: 1, min: new Float32Array([NaN]), max: new Float32Array([1]), mean: new Float32Array([1]), count: new Float32Array([1]) } as never), 30);
          o.signal?.addEventListener('abort', () => { clearTimeout(t); reject(Object.assign(new Error('aborted'), { name: 'AbortError' })); });
        });
      }
      if (name === 'percentiles') return { p: (req as { p: number[] }).p, values: (req as { p: number[] }).p.map(x => x * 2) } as never;
      if (name === 'histogram') throw new TypeError("Cannot read properties of undefined (reading 'x')");
      throw new Error(`fake pool: no ${name}`);
    },
    async close() {},
    release(storePath) { calls.released.push(storePath); },
  };
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mx-backend-'));
  return { calls, resolveStore, pool, cacheDir, stores };
}

/** A session wired to an RPC client directly (structured messages, as through a MessagePort). */
function client(backend: Backend, id: string, matrixId?: string, chunkBytes?: number) {
  const received: ServerMessage[] = [];
  let deliver: (m: ServerMessage) => void = () => {};
  const handler = backend.connect(id, m => { received.push(m); queueMicrotask(() => deliver(m)); }, { matrixId });
  const c = createRpcClient({ send: m => queueMicrotask(() => handler(m)), onMessage: l => { deliver = l; } }, { chunkBytes });
  return { c, handler, received };
}

test('open streams progress, returns info keyed by store path, records a recent entry', async t => {
  const f = fakes();
  const backend = new Backend({ pool: f.pool, resolveStore: f.resolveStore, cacheDir: f.cacheDir });
  t.after(() => fs.rmSync(f.cacheDir, { recursive: true, force: true }));
  const { c } = client(backend, 'w1');
  const progress: Progress[] = [];
  const info = await c.open('/data/a.mtx', { onProgress: p => progress.push(p) });
  assert.equal(info.id, '/data/a.mtx.mxstore');
  assert.equal(info.storePath, '/data/a.mtx.mxstore');
  assert.deepEqual(progress.map(p => p.fraction), [0.25, 0.5, 0.75, 1]);
  assert.deepEqual(await c.current(), info);
  const recent = await c.recent();
  assert.equal(recent[0].path, '/data/a.mtx');
  assert.deepEqual(recent[0].shape, [3, 4]);
  // persisted: a new backend on the same cache dir sees it
  const again = new Backend({ pool: f.pool, resolveStore: f.resolveStore, cacheDir: f.cacheDir });
  assert.equal((await again.recent())[0].path, '/data/a.mtx');
  assert.deepEqual(backend.stats(), { conversions: 1, storeOpens: 1, sessions: 1, opened: 1 });
});

test('two sessions on one path: one conversion, one store open, even when opened at the same time', async () => {
  const f = fakes({ convertDelayMs: 20 });
  const backend = new Backend({ pool: f.pool, resolveStore: f.resolveStore, cacheDir: f.cacheDir });
  const a = client(backend, 'a'), b = client(backend, 'b');
  const [ia, ib] = await Promise.all([a.c.open('/d/x.mtx'), b.c.open('/d/x.mtx')]);
  assert.equal(ia.id, ib.id);
  assert.equal(f.calls.resolve.length, 1, 'concurrent opens share one conversion');
  const c3 = client(backend, 'c');
  await c3.c.open('/d/x.mtx');
  assert.deepEqual(backend.stats(), { conversions: 1, storeOpens: 1, sessions: 3, opened: 1 });
  assert.equal(f.calls.query.filter(q => q.name === 'info').length, 1);
  fs.rmSync(f.cacheDir, { recursive: true, force: true });
});

test('the default matrix: new sessions start on it, it stays open when every session leaves', async () => {
  const f = fakes();
  const backend = new Backend({ pool: f.pool, resolveStore: f.resolveStore, cacheDir: f.cacheDir });
  const info = await backend.openPinned('/d/served.npy');
  const a = client(backend, 'a');
  assert.equal((await a.c.current())?.id, info.id);
  a.handler.close();
  assert.equal(backend.stats().opened, 1);
  const b = client(backend, 'b');
  assert.equal((await b.c.current())?.id, info.id);
  assert.deepEqual(backend.stats(), { conversions: 1, storeOpens: 1, sessions: 1, opened: 1 });
  const none = new Backend({ pool: f.pool, resolveStore: f.resolveStore, cacheDir: f.cacheDir });
  assert.equal(await client(none, 'z').c.current(), null);
  fs.rmSync(f.cacheDir, { recursive: true, force: true });
});

test('refcounting: a store is released when its last session closes, and reopened by id on reconnect', async () => {
  const f = fakes();
  const backend = new Backend({ pool: f.pool, resolveStore: f.resolveStore, cacheDir: f.cacheDir });
  const a = client(backend, 'a'), b = client(backend, 'b');
  const info = await a.c.open('/d/r.mtx');
  await b.c.query(info.id, 'value', { i: 1, j: 2 });
  a.handler.close();
  assert.equal(backend.stats().opened, 1, 'b still uses it');
  b.handler.close();
  assert.equal(backend.stats().opened, 0);
  assert.deepEqual(f.calls.released, [info.id]);
  assert.equal(backend.stats().sessions, 0);
  const c = client(backend, 'c');
  assert.deepEqual(await c.c.query(info.id, 'value', { i: 2, j: 3 }), { i: 2, j: 3, value: 23 });
  assert.equal(backend.stats().storeOpens, 2);
  assert.equal(backend.stats().conversions, 1, 'reopening a released store is not a conversion');
  fs.rmSync(f.cacheDir, { recursive: true, force: true });
});

test('links go to the OTHER sessions on the same matrix only', async () => {
  const f = fakes();
  const backend = new Backend({ pool: f.pool, resolveStore: f.resolveStore, cacheDir: f.cacheDir });
  const a = client(backend, 'a'), b = client(backend, 'b'), c = client(backend, 'c'), other = client(backend, 'o');
  const m = await a.c.open('/d/l.mtx');
  await b.c.open('/d/l.mtx');
  await c.c.query(m.id, 'info', {});
  await other.c.open('/d/other.mtx');
  const got: Record<string, LinkState[]> = { a: [], b: [], c: [], o: [] };
  a.c.onLink(s => got.a.push(s)); b.c.onLink(s => got.b.push(s)); c.c.onLink(s => got.c.push(s)); other.c.onLink(s => got.o.push(s));
  const state: LinkState = { matrixId: m.id, cursor: { i: 1, j: 2 }, selection: null, from: 'a' };
  a.c.publishLink(state);
  await until(() => got.b.length > 0 && got.c.length > 0, 'the link reaches both other windows');
  assert.deepEqual(got.b, [state]);
  assert.deepEqual(got.c, [state]);
  assert.deepEqual(got.a, [], 'no echo to the sender');
  assert.deepEqual(got.o, [], 'not to windows on another matrix');
  // unknown matrix: dropped silently
  a.c.publishLink({ ...state, matrixId: '/nope' });
  await new Promise(r => setTimeout(r, 10));
  assert.equal(got.b.length, 1);
  fs.rmSync(f.cacheDir, { recursive: true, force: true });
});

test('queries go to the pool with progress; viewports carry a per-session supersede key', async () => {
  const f = fakes();
  const backend = new Backend({ pool: f.pool, resolveStore: f.resolveStore, cacheDir: f.cacheDir });
  const a = client(backend, 'win-a'), b = client(backend, 'win-b');
  const m = await a.c.open('/d/q.mtx');
  assert.deepEqual(await a.c.query(m.id, 'value', { i: 2, j: 1 }), { i: 2, j: 1, value: 21 });
  assert.ok(a.received.some(x => x.t === 'progress' && x.progress.phase === 'reading'));
  const v = await b.c.query(m.id, 'viewport', { r0: 0, c0: 0, r1: 3, c1: 4, width: 10, height: 10 });
  assert.ok(v.min instanceof Float32Array && Number.isNaN(v.min[0]));
  const vq = f.calls.query.filter(q => q.name === 'viewport');
  assert.deepEqual(vq.map(q => q.supersedeKey), ['win-b:viewport']);
  assert.equal(f.calls.query.find(q => q.name === 'value')?.supersedeKey, undefined);
  fs.rmSync(f.cacheDir, { recursive: true, force: true });
});

test('whole-store answers (percentiles) are computed once per store and request, until the store is reconverted', async () => {
  const f = fakes();
  const backend = new Backend({ pool: f.pool, resolveStore: f.resolveStore, cacheDir: f.cacheDir });
  const a = client(backend, 'win-a'), b = client(backend, 'win-b');
  const m = await a.c.open('/d/p.mtx');
  const asked = () => f.calls.query.filter(q => q.name === 'percentiles').length;
  assert.deepEqual(await a.c.query(m.id, 'percentiles', { p: [2.5, 97.5] }), { p: [2.5, 97.5], values: [5, 195] });
  assert.deepEqual(await b.c.query(m.id, 'percentiles', { p: [2.5, 97.5] }), { p: [2.5, 97.5], values: [5, 195] });
  assert.equal(asked(), 1);
  assert.deepEqual(await b.c.query(m.id, 'percentiles', { p: [50] }), { p: [50], values: [100] });
  assert.equal(asked(), 2);
  f.stores.clear(); // the source changed: the next open converts again
  await b.c.open('/d/p.mtx');
  await a.c.query(m.id, 'percentiles', { p: [2.5, 97.5] });
  assert.equal(asked(), 3);
  await backend.close();
  fs.rmSync(f.cacheDir, { recursive: true, force: true });
});

test('a whole-store query waits while a window waits on a viewport, and can be cancelled while it waits', async () => {
  const f = fakes();
  const backend = new Backend({ pool: f.pool, resolveStore: f.resolveStore, cacheDir: f.cacheDir });
  const a = client(backend, 'win-a'), b = client(backend, 'win-b');
  const m = await a.c.open('/d/g.mtx');
  const asked = () => f.calls.query.filter(q => q.name === 'percentiles').length;
  const order: string[] = [];
  const view = { r0: 0, c0: 0, r1: 3, c1: 4, width: 10, height: 10 };
  const v = a.c.query(m.id, 'viewport', view).then(() => order.push('viewport'));
  await new Promise(r => setTimeout(r, 5)); // the viewport is with the pool (it takes 30 ms)
  const gone = new AbortController();
  const cancelled = b.c.query(m.id, 'percentiles', { p: [50] }, gone.signal);
  const p = b.c.query(m.id, 'percentiles', { p: [2.5, 97.5] }).then(() => order.push('percentiles'));
  await new Promise(r => setTimeout(r, 5));
  assert.equal(asked(), 0, 'no whole-store scan while the viewport is being computed');
  gone.abort();
  await assert.rejects(cancelled, (e: Error & { code?: string }) => e.code === 'cancelled');
  await Promise.all([v, p]);
  assert.deepEqual(order, ['viewport', 'percentiles']);
  assert.equal(asked(), 1, 'the cancelled one never reached the pool');
  await backend.close();
  fs.rmSync(f.cacheDir, { recursive: true, force: true });
});

test('warmUp asks every helper for a small whole-matrix viewport of the opened matrix', async () => {
  const f = fakes();
  const backend = new Backend({ pool: Object.assign(f.pool, { size: 2 }), resolveStore: f.resolveStore, cacheDir: f.cacheDir });
  const info = await backend.openPinned('/d/w.mtx');
  backend.warmUp(info.id);
  backend.warmUp('/nowhere.mxstore'); // not open: nothing
  const warm = f.calls.query.filter(q => q.name === 'viewport');
  assert.equal(warm.length, 2);
  assert.ok(warm.every(q => q.storePath === info.storePath && q.supersedeKey === undefined));
  await backend.close();
  fs.rmSync(f.cacheDir, { recursive: true, force: true });
});

test('cancel: an aborted query rejects as cancelled and the pool sees the abort', async () => {
  const f = fakes();
  const backend = new Backend({ pool: f.pool, resolveStore: f.resolveStore, cacheDir: f.cacheDir });
  const a = client(backend, 'a');
  const m = await a.c.open('/d/c.mtx');
  const ac = new AbortController();
  const p = a.c.query(m.id, 'viewport', { r0: 0, c0: 0, r1: 3, c1: 4, width: 10, height: 10 }, ac.signal);
  setTimeout(() => ac.abort(), 5);
  await assert.rejects(p, { code: 'cancelled' });
  await until(() => a.received.some(x => x.t === 'err'), 'the session sent the cancel error');
  const errs = a.received.filter(x => x.t === 'err');
  assert.equal(errs.length, 1);
  assert.equal((errs[0] as { error: { code: string } }).error.code, 'cancelled');
  // a cancelled conversion (the only waiter) aborts the conversion itself
  const ac2 = new AbortController();
  const o = a.c.open('/d/slow.mtx', { signal: ac2.signal });
  setTimeout(() => ac2.abort(), 1);
  await assert.rejects(o, { code: 'cancelled' });
  await new Promise(r => setTimeout(r, 20));
  assert.equal(backend.stats().conversions, 1, 'the slow conversion did not complete');
  fs.rmSync(f.cacheDir, { recursive: true, force: true });
});

test('errors arrive as payloads with readable messages, never stacks', async () => {
  const f = fakes();
  const backend = new Backend({ pool: f.pool, resolveStore: f.resolveStore, cacheDir: f.cacheDir, allowPath: p => p.startsWith('/secret') ? 'not allowed here' : true });
  const a = client(backend, 'a');
  await assert.rejects(a.c.open('/d/file.bad'), { code: 'bad-input', message: '/d/file.bad:3: expected 3 numbers, found 2' });
  await assert.rejects(a.c.open('/d/missing.mtx'), { code: 'not-found', message: '/d/missing.mtx: no such file' });
  await assert.rejects(a.c.open('relative.mtx'), { code: 'bad-input', message: /absolute path/ });
  await assert.rejects(a.c.open('/secret/x.mtx'), { code: 'bad-input', message: '/secret/x.mtx: not allowed here' });
  await assert.rejects(a.c.query('/d/never-opened', 'value', { i: 0, j: 0 }), { code: 'not-found' });
  const m = await a.c.open('/d/e.mtx');
  await assert.rejects(a.c.query(m.id, 'value', { i: 9, j: 0 }), { code: 'bad-input', message: 'row 9 is outside 0..2' });
  await assert.rejects(a.c.query(m.id, 'nonsense' as never, {} as never), { code: 'bad-input', message: /unknown query/ });
  await assert.rejects(a.c.query(m.id, 'histogram', { bins: 3 }), (e: Error & { code: string }) => e.code === 'internal' && !/\n\s+at /.test(e.message));
  for (const x of a.received) if (x.t === 'err') assert.ok(!/\n\s+at /.test(x.error.message), x.error.message);
  // malformed messages from a transport
  a.handler({ t: 'req', id: 99, method: 'rm -rf', params: {} });
  a.handler({ nonsense: true });
  await until(() => (a.received.at(-1) as { id?: number } | undefined)?.id === 99, 'the answer to the malformed request');
  assert.deepEqual(a.received.at(-1), { t: 'err', id: 99, error: { code: 'bad-input', message: 'malformed request' } });
  fs.rmSync(f.cacheDir, { recursive: true, force: true });
});

test('openBytes writes the upload under the cache dir, named by content, and converts it once', async () => {
  const f = fakes();
  const backend = new Backend({ pool: f.pool, resolveStore: f.resolveStore, cacheDir: f.cacheDir, maxUploadBytes: 100 });
  const a = client(backend, 'a');
  const bytes = new TextEncoder().encode('%%MatrixMarket matrix coordinate real general\n3 4 1\n1 1 2\n');
  const i1 = await a.c.openBytes!('../../etc/my matrix.mtx', bytes);
  const uploads = fs.readdirSync(path.join(f.cacheDir, 'uploads'));
  assert.equal(uploads.length, 1);
  assert.match(uploads[0], /^[0-9a-f]{16}-my_matrix\.mtx$/);
  assert.deepEqual(fs.readFileSync(path.join(f.cacheDir, 'uploads', uploads[0])), Buffer.from(bytes));
  const i2 = await client(backend, 'b').c.openBytes!('my matrix.mtx', bytes);
  assert.equal(i1.id, i2.id);
  assert.equal(backend.stats().conversions, 1);
  await assert.rejects(a.c.openBytes!('big.npy', new Uint8Array(101)), { code: 'bad-input', message: /too big/ });
  const bad = await a.c.openBytes!('x.bad', new Uint8Array([1])).catch(e => e);
  assert.equal(bad.code, 'bad-input');
  assert.ok(bad.message.startsWith('x.bad:3:'), bad.message);
  fs.rmSync(f.cacheDir, { recursive: true, force: true });
});

test('big uploads go in chunks straight to disk, with progress, and land where a one-piece upload would', async () => {
  const f = fakes();
  const backend = new Backend({ pool: f.pool, resolveStore: f.resolveStore, cacheDir: f.cacheDir, maxUploadBytes: 1000 });
  const bytes = new Uint8Array(250).map((_, i) => (i * 7) & 255);
  const a = client(backend, 'a', undefined, 64);
  const progress: string[] = [];
  const info = await a.c.openBytes!('big.npy', bytes, { onProgress: p => progress.push(`${p.phase}:${p.done ?? ''}`) });
  const chunks = a.received.filter(m => m.t === 'res').length;
  assert.ok(chunks >= 5, 'four chunks + the open');
  assert.deepEqual(progress.slice(0, 4), ['uploading:64', 'uploading:128', 'uploading:192', 'uploading:250']);
  const files = fs.readdirSync(path.join(f.cacheDir, 'uploads'));
  assert.equal(files.length, 1, `no temp files left: ${files}`);
  assert.deepEqual(new Uint8Array(fs.readFileSync(path.join(f.cacheDir, 'uploads', files[0]))), bytes);
  // the same bytes in one piece: same file, same store, no new conversion
  const one = client(backend, 'b');
  assert.equal((await one.c.openBytes!('big.npy', bytes)).id, info.id);
  assert.equal(backend.stats().conversions, 1);
  // an incomplete or unknown upload is refused readably
  one.handler({ t: 'req', id: 50, method: 'uploadChunk', params: { uploadId: 'abcdefgh12', offset: 0, bytes: new Uint8Array(10) } });
  for (const t0 = Date.now(); !one.received.some(m => (m as { id?: number }).id === 50) && Date.now() - t0 < 10_000;) await new Promise(r => setTimeout(r, 5));
  one.handler({ t: 'req', id: 51, method: 'openBytes', params: { name: 'x.npy', uploadId: 'abcdefgh12', size: 20 } });
  one.handler({ t: 'req', id: 52, method: 'openBytes', params: { name: 'y.npy', uploadId: 'nosuchupload', size: 20 } });
  one.handler({ t: 'req', id: 53, method: 'uploadChunk', params: { uploadId: 'abcdefgh13', offset: 995, bytes: new Uint8Array(10) } });
  // Wait for the three answers (not a fixed sleep: a loaded machine answers late).
  for (const t0 = Date.now(); one.received.filter(m => m.t === 'err').length < 3 && Date.now() - t0 < 10_000;) await new Promise(r => setTimeout(r, 10));
  const errs = Object.fromEntries(one.received.filter(m => m.t === 'err').map(m => [(m as { id: number }).id, (m as { error: { message: string } }).error.message]));
  assert.match(errs[51], /x\.npy: upload incomplete \(10 of 20 bytes\)/);
  assert.match(errs[52], /y\.npy: upload not found/);
  assert.match(errs[53], /too big/);
  await backend.close();
  assert.deepEqual(fs.readdirSync(path.join(f.cacheDir, 'uploads')).filter(n => n.endsWith('.part')), []);
  fs.rmSync(f.cacheDir, { recursive: true, force: true });
});

test('closing a session aborts its requests; close() ends all sessions', async () => {
  const f = fakes();
  const backend = new Backend({ pool: f.pool, resolveStore: f.resolveStore, cacheDir: f.cacheDir });
  const a = client(backend, 'a');
  const m = await a.c.open('/d/z.mtx');
  a.handler({ t: 'req', id: 1000, method: 'query', params: { matrixId: m.id, name: 'viewport', req: { r0: 0, c0: 0, r1: 1, c1: 1, width: 1, height: 1 } } });
  const before = a.received.length;
  a.handler.close();
  await new Promise(r => setTimeout(r, 40));
  assert.equal(a.received.length, before, 'nothing is sent to a closed session');
  assert.throws(() => backend.connect('b', () => {}) && backend.connect('b', () => {}), /already connected/);
  await backend.close();
  assert.equal(backend.stats().sessions, 0);
  fs.rmSync(f.cacheDir, { recursive: true, force: true });
});

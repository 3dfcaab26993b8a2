// A helper's direct window port: on a real store (the real helper runtime and engine, in this process), the
// answers equal the backend's; a newer viewport supersedes the older one; cancel stops a request; whole-matrix
// queries and other methods are refused (they belong to the main path); closing either end stops serving.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { ServerMessage } from '../../shared/rpc/protocol';
import { createRpcClient } from '../../shared/rpc/rpc-client';
import { Backend } from '../backend/backend';
import { openEngine } from '../engine/open-engine';
import { MessagePortMain } from '../test-support/message-port-main';
import { SHARED_TESTDATA } from '../test-support/testdata';
import { HelperPool } from './helper-pool';
import { runHelper } from './helper-runtime';
import type { ParentPort } from './parent-port';
import type { PortLike } from './protocol';
import { serveWindowPort, type RunQuery } from './window-port-server';

const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'mx-window-port-'));
after(() => fs.rmSync(cache, { recursive: true, force: true }));

/** A client over the window's end of the channel. */
function clientOn(port: MessagePort) {
  return createRpcClient({ send: m => port.postMessage(m), onMessage: l => { port.on('message', m => l(m as ServerMessage)); } });
}

/** The real helper runtime in this process, with a parent we play. */
function inProcessHelper() {
  let deliver: (m: unknown, ports: readonly PortLike[]) => void = () => {};
  const parent: ParentPort = { send() {}, onMessage: l => { deliver = l; }, onDisconnect() {} };
  runHelper(openEngine, parent, 'mapped');
  return {
    attach(name: string, matrixId: string, storePath: string): MessagePort {
      const { port1, port2 } = new MessageChannel();
      deliver({ attachWindow: name, matrixId, storePath }, [new MessagePortMain(port1)]);
      return port2;
    },
    detach(name: string) { deliver({ detachWindow: name }, []); },
  };
}

test('a helper answers a window straight over its port: the same answers as through the backend', { timeout: 120_000 }, async t => {
  const pool = new HelperPool({ size: 1 });
  const backend = new Backend({ pool, cacheDir: cache });
  t.after(async () => { await backend.close(); await pool.close(); });
  let deliver: (m: ServerMessage) => void = () => {};
  const session = backend.connect('w1.1', m => queueMicrotask(() => deliver(m)));
  const viaMain = createRpcClient({ send: m => queueMicrotask(() => session(m)), onMessage: l => { deliver = l; } });
  const info = await viaMain.open(path.join(SHARED_TESTDATA, 'mtx', 'ginkgo-1138_bus.mtx'));

  const helper = inProcessHelper();
  const port = helper.attach('w1.1', info.id, info.storePath);
  t.after(() => port.close());
  const direct = clientOn(port);

  const vp = { r0: 0, c0: 0, r1: 1138, c1: 1138, width: 100, height: 80 };
  const zoom = { r0: 100, c0: 200, r1: 180, c1: 260, width: 400, height: 400 };
  for (const req of [vp, zoom]) assert.deepEqual(await direct.query(info.id, 'viewport', req), await viaMain.query(info.id, 'viewport', req));
  assert.deepEqual(await direct.query(info.id, 'row', { index: 7 }), await viaMain.query(info.id, 'row', { index: 7 }));
  assert.deepEqual(await direct.query(info.id, 'col', { index: 1000, points: 50 }), await viaMain.query(info.id, 'col', { index: 1000, points: 50 }));
  for (const [i, j] of [[0, 0], [5, 7], [1137, 1137]]) {
    assert.deepEqual(await direct.query(info.id, 'value', { i, j }), await viaMain.query(info.id, 'value', { i, j }));
  }

  // The main path's work stays there: whole-matrix queries, other matrices, other methods.
  await assert.rejects(direct.query(info.id, 'histogram', { bins: 10 }), { code: 'bad-input', message: /answered by the main process/ });
  await assert.rejects(direct.query('/other.mxstore', 'viewport', vp), { code: 'bad-input', message: /serves matrix/ });
  await assert.rejects(direct.recent(), { code: 'bad-input', message: /'recent' is answered by the main process/ });
  // A bad request is a readable error, and the port keeps serving.
  await assert.rejects(direct.query(info.id, 'row', { index: 5000 }), (e: Error & { code: string }) => e.code === 'bad-input' && !/\n\s+at /.test(e.message));
  assert.equal((await direct.query(info.id, 'value', { i: 0, j: 0 })).i, 0);

  // Detached by the parent: the port closes, the window's client sees it.
  const closed = new Promise(r => port.once('close', r));
  helper.detach('w1.1');
  await closed;
});

/** A query that takes `ms` unless aborted first. */
const slow = (ms: number): RunQuery => (_store, name, req, signal) => new Promise((resolve, reject) => {
  const timer = setTimeout(() => resolve({ name, req }), ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); reject(Object.assign(new Error('cancelled'), { name: 'CancelledError' })); }, { once: true });
});

test('a newer viewport supersedes the older one; cancel stops a request; other queries run alongside', async t => {
  const { port1, port2 } = new MessageChannel();
  const seen: string[] = [];
  const run: RunQuery = (store, name, req, signal) => { seen.push(name); return slow(name === 'viewport' ? 200 : 20)(store, name, req, signal); };
  const server = serveWindowPort(new MessagePortMain(port1), { matrixId: 'm', storePath: '/s.mxstore' }, run);
  t.after(() => { server.close(); port2.close(); });
  const c = clientOn(port2);
  const vp = (n: number) => ({ r0: 0, c0: 0, r1: n, c1: n, width: 10, height: 10 });

  const first = c.query('m', 'viewport', vp(1));
  await new Promise(r => setTimeout(r, 20));
  const value = c.query('m', 'value', { i: 1, j: 2 });
  const second = c.query('m', 'viewport', vp(2));
  await assert.rejects(first, { code: 'superseded' });
  assert.deepEqual(await value, { name: 'value', req: { i: 1, j: 2 } }, 'a value query is not superseded by a viewport');
  assert.deepEqual(await second, { name: 'viewport', req: vp(2) });

  const controller = new AbortController();
  const cancelled = c.query('m', 'viewport', vp(3), controller.signal);
  await new Promise(r => setTimeout(r, 20));
  controller.abort();
  await assert.rejects(cancelled, { code: 'cancelled' });
  assert.deepEqual(seen, ['viewport', 'value', 'viewport', 'viewport']);
  assert.equal(c.pendingCount(), 0);
});

test('the window closing its end stops the server and cancels what it was running', async () => {
  const { port1, port2 } = new MessageChannel();
  let aborted = false;
  let closedCalled = false;
  const run: RunQuery = (_s, _n, _r, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => { aborted = true; reject(new Error('x')); }));
  const server = serveWindowPort(new MessagePortMain(port1), { matrixId: 'm', storePath: '/s' }, run, () => { closedCalled = true; });
  port2.postMessage({ t: 'req', id: 1, method: 'query', params: { matrixId: 'm', name: 'row', req: { index: 0 } } });
  await new Promise(r => setTimeout(r, 20));
  port2.close();
  for (let k = 0; k < 50 && !server.closed; k++) await new Promise(r => setTimeout(r, 10));
  assert.ok(server.closed && closedCalled && aborted);
});

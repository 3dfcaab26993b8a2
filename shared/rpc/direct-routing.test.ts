// The client's routing between the main port and direct helper ports, over real worker_threads MessagePorts:
// small queries on an attached matrix go direct, the rest over the main port; a direct port that dies mid-request
// (or is detached or replaced) sends its waiting requests once more over the main port; cancels follow requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { ClientMessage, RpcRequest, ServerMessage } from './protocol';
import { createDirectRouting, type DirectPort, type RoutingOptions } from './direct-routing';
import { createRpcClient } from './rpc-client';
import { until } from '../testing/until';

/** A fake server on one end of a channel: answers `req` with where it was answered, unless told to hold it. */
function server(port: MessagePort, name: string, hold = (_m: RpcRequest) => false) {
  const got: ClientMessage[] = [];
  port.on('message', (m: ClientMessage) => {
    got.push(m);
    if (m.t === 'req' && !hold(m)) port.postMessage({ t: 'res', id: m.id, result: { by: name, method: m.method, params: m.params } } satisfies ServerMessage);
  });
  return got;
}

function setup(options: RoutingOptions = {}) {
  const main = new MessageChannel();
  const mainGot = server(main.port2, 'main');
  const routing = createDirectRouting({ send: m => main.port1.postMessage(m), onMessage: l => { main.port1.on('message', l); } }, options);
  const client = createRpcClient(routing.transport);
  const open: MessagePort[] = [main.port1];
  /** Attaches a direct port for `matrixId`, wired the way the preload wires it. */
  const direct = (matrixId: string, hold?: (m: RpcRequest) => boolean) => {
    const ch = new MessageChannel();
    open.push(ch.port1);
    const got = server(ch.port2, `helper:${matrixId}`, hold);
    const port: DirectPort = { send: m => ch.port1.postMessage(m), close: () => ch.port1.close() };
    const events = routing.attach(matrixId, port);
    ch.port1.on('message', d => events.message(d));
    ch.port1.on('close', () => events.closed());
    return { got, helperEnd: ch.port2, events };
  };
  return { routing, client, mainGot, direct, close: () => { for (const p of open) p.close(); } };
}

const vp = { r0: 0, c0: 0, r1: 4, c1: 4, width: 4, height: 4 };
const by = (r: unknown) => (r as { by: string }).by;

test('small queries on an attached matrix go straight to its helper; everything else over the main port', async t => {
  const s = setup();
  t.after(s.close);
  assert.equal(by(await s.client.query('a', 'viewport', vp)), 'main', 'nothing attached yet');
  s.direct('a');
  assert.deepEqual(s.routing.attached(), ['a']);
  for (const [name, req] of [['viewport', vp], ['value', { i: 1, j: 1 }], ['row', { index: 0 }], ['col', { index: 1 }]] as const) {
    assert.equal(by(await s.client.query('a', name, req as never)), 'helper:a', name);
  }
  for (const name of ['histogram', 'percentiles', 'stats', 'info'] as const) assert.equal(by(await s.client.query('a', name, {} as never)), 'main', name);
  assert.equal(by(await s.client.query('b', 'viewport', vp)), 'main', 'another matrix');
  assert.equal(await s.client.current().then(r => by(r)), 'main');
  s.client.publishLink({ matrixId: 'a', from: 'x', cursor: null, selection: null });
  await until(() => s.mainGot.some(m => m.t === 'link'), 'links go to the main process');
});

test('a direct port that dies mid-request: its waiting requests are retried once over the main port', async t => {
  const s = setup();
  t.after(s.close);
  const d = s.direct('a', () => true); // the helper takes requests and never answers (then dies)
  const pending = [s.client.query('a', 'viewport', vp), s.client.query('a', 'value', { i: 2, j: 3 })];
  await until(() => d.got.length === 2, 'the helper has both requests');
  d.helperEnd.close(); // the helper process is gone: its end of the channel closes
  const answers = await Promise.all(pending);
  assert.deepEqual(answers.map(by), ['main', 'main']);
  assert.deepEqual((answers[1] as unknown as { params: unknown }).params, { matrixId: 'a', name: 'value', req: { i: 2, j: 3 } });
  assert.deepEqual(s.routing.attached(), []);
  assert.equal(by(await s.client.query('a', 'row', { index: 0 })), 'main', 'after the port died, the main path');
  // A new port for the matrix (from the restarted helper): direct again.
  s.direct('a');
  assert.equal(by(await s.client.query('a', 'row', { index: 0 })), 'helper:a');
  assert.equal(s.client.pendingCount(), 0);
});

test('detach (the main process says the helper is gone) and replacement retry waiting requests on the main port', async t => {
  const s = setup();
  t.after(s.close);
  const first = s.direct('a', () => true);
  const p1 = s.client.query('a', 'col', { index: 3 });
  await until(() => first.got.length === 1, 'the helper has the request');
  s.routing.detach('a');
  assert.equal(by(await p1), 'main');

  const second = s.direct('a', () => true);
  const p2 = s.client.query('a', 'viewport', vp);
  await until(() => second.got.length === 1, 'the second helper has the request');
  const next = s.direct('a'); // moved to another helper: the old port's waiting request retries on the main port
  assert.equal(by(await p2), 'main');
  assert.equal(by(await s.client.query('a', 'viewport', vp)), 'helper:a');
  assert.equal(next.got.length, 1);
});

test('a cancel goes where its request went; a late answer from a replaced port is ignored', async t => {
  const s = setup();
  t.after(s.close);
  const d = s.direct('a', () => true);
  const controller = new AbortController();
  const p = s.client.query('a', 'viewport', vp, controller.signal);
  await until(() => d.got.length === 1, 'the helper has the request');
  controller.abort();
  await assert.rejects(p, { code: 'cancelled' });
  await until(() => d.got.length === 2, 'the helper has the cancel');
  assert.deepEqual(d.got.map(m => m.t), ['req', 'cancel']);
  assert.ok(!s.mainGot.some(m => m.t === 'cancel'), 'the main port never heard of it');
  // Cancelled requests are not retried when the port goes away.
  d.helperEnd.close();
  await new Promise(r => setTimeout(r, 20));
  assert.ok(!s.mainGot.some(m => m.t === 'req' && m.method === 'query'));

  // An answer for an id the port no longer owns (already retried elsewhere) is dropped.
  const e = s.direct('a', () => true);
  const q = s.client.query('a', 'value', { i: 0, j: 0 });
  await until(() => e.got.length === 1, 'the new helper has the request');
  const id = (e.got[0] as RpcRequest).id;
  s.routing.detach('a');
  e.events.message({ t: 'res', id, result: { by: 'stale' } });
  assert.equal(by(await q), 'main');
});

test('a helper that hangs without dying: after the watchdog\'s silence its requests are answered over the main port', async t => {
  const schedule = (fn: () => void, ms: number) => { const timer = setTimeout(fn, ms); return () => clearTimeout(timer); };
  const s = setup({ schedule, silenceMs: 500 });
  t.after(s.close);
  const d = s.direct('a', m => (m.params as { name: string }).name === 'value'); // answers rows, never values
  assert.equal(by(await s.client.query('a', 'row', { index: 0 })), 'helper:a', 'an answering helper keeps its port');
  const started = Date.now();
  assert.equal(by(await s.client.query('a', 'value', { i: 0, j: 0 })), 'main');
  assert.ok(Date.now() - started >= 450, 'only after the silence');
  assert.equal(d.got.length, 2);
  assert.deepEqual(s.routing.attached(), [], 'the hung helper\'s port is dropped');
  assert.equal(s.client.pendingCount(), 0);
});

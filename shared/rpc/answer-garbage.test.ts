// The rpc client asks for a collection once per ANSWER_GARBAGE_BYTES of answers it delivers (typed arrays
// counted, errors not), whether or not someone still waits for the answer; without a collector, never.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANSWER_GARBAGE_BYTES, answerBytes, globalCollector } from './answer-garbage';
import type { ClientMessage, ServerMessage } from './protocol';
import { createRpcClient } from './rpc-client';

test('answerBytes counts the typed arrays and ArrayBuffers of an answer', () => {
  const viewport = { block: 4, rows: 10, cols: 20, min: new Float32Array(200), max: new Float32Array(200), mean: new Float32Array(200), count: new Float32Array(200) };
  assert.equal(answerBytes(viewport), 4 * 800);
  assert.equal(answerBytes({ axis: 'row', values: new Float64Array(7) }), 56);
  assert.equal(answerBytes({ edges: [1, 2], counts: [new Uint32Array(3)], raw: new ArrayBuffer(5) }), 17);
  assert.equal(answerBytes(null), 0);
  assert.equal(answerBytes(42), 0);
});

function fakeBackend() {
  let listener: (m: ServerMessage) => void = () => { /* set by the client */ };
  const sent: ClientMessage[] = [];
  return {
    transport: { send: (m: ClientMessage) => { sent.push(m); }, onMessage: (l: (m: ServerMessage) => void) => { listener = l; } },
    sent,
    answer: (m: ServerMessage) => listener(m),
  };
}

test('the client collects once per ANSWER_GARBAGE_BYTES of delivered answers', async () => {
  const backend = fakeBackend();
  let collections = 0;
  const client = createRpcClient(backend.transport, { collectGarbage: () => { collections++; } });
  const third = ANSWER_GARBAGE_BYTES / 3 + 8;
  const ask = () => client.query('m', 'row', { index: 0 });
  const reply = (id: number) => backend.answer({ t: 'res', id, result: { axis: 'row', values: new Uint8Array(third) } });

  const p1 = ask(), p2 = ask();
  reply(1); reply(2);
  await Promise.all([p1, p2]);
  assert.equal(collections, 0, 'two thirds of the limit: no collection yet');
  const p3 = ask();
  backend.answer({ t: 'err', id: 3, error: { code: 'bad-input', message: 'no' } });
  await assert.rejects(p3);
  assert.equal(collections, 0, 'errors carry no answer bytes');
  reply(99); // an answer nobody waits for (cancelled): garbage all the same
  assert.equal(collections, 1);
  for (let k = 0; k < 3; k++) { const p = ask(); reply(4 + k); await p; }
  assert.equal(collections, 2, 'the count starts again after each collection');
});

test('without a collector the client never collects; globalCollector is V8\'s gc() where exposed', async () => {
  const backend = fakeBackend();
  const client = createRpcClient(backend.transport);
  const p = client.query('m', 'row', { index: 0 });
  backend.answer({ t: 'res', id: 1, result: { values: new Uint8Array(2 * ANSWER_GARBAGE_BYTES) } });
  await p;

  const g = globalThis as { gc?: unknown };
  const had = Object.prototype.hasOwnProperty.call(g, 'gc'), before = g.gc;
  try {
    delete g.gc;
    assert.equal(globalCollector(run => run()), undefined, 'no gc(): nothing to call');
    let calls = 0;
    const deferred: Array<() => void> = [];
    g.gc = () => { calls++; };
    const collect = globalCollector(run => { deferred.push(run); });
    assert.ok(collect);
    collect();
    assert.equal(calls, 0, 'deferred, not run at once');
    deferred.forEach(run => run());
    assert.equal(calls, 1);
  } finally {
    if (had) g.gc = before; else delete g.gc;
  }
});

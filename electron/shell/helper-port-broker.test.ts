import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HelperInfo } from '../pool/helper-pool';
import type { AttachWindowMessage } from '../pool/protocol';
import { HelperPortBroker } from './helper-port-broker';

function setup(helpers: HelperInfo[]) {
  const log: string[] = [];
  let ready = [...helpers];
  const refuse = new Set<string>();
  const broker = new HelperPortBroker({
    helpers: () => ready,
    connect: (w, h, a: AttachWindowMessage) => {
      if (refuse.has(w)) return false;
      log.push(`give ${w} ${a.matrixId} h${h.index}.${h.generation} ${a.attachWindow}`);
      return true;
    },
    disconnect: (w, h, a, tellWindow) => log.push(`take ${w} ${a.matrixId} ${h ? `h${h.index}.${h.generation}` : 'dead'} ${a.attachWindow}${tellWindow ? ' tell' : ''}`),
  });
  return { broker, log, refuse, setReady: (hs: HelperInfo[]) => { ready = hs; } };
}
const h = (index: number, generation: number, acceptsPorts = true): HelperInfo => ({ index, generation, acceptsPorts });

test('windows get a port once their matrix is known, spread over the ready helpers', () => {
  const s = setup([h(0, 1), h(1, 2)]);
  s.broker.windowShows('w1', 'A', '/a.mxstore');
  s.broker.windowShows('w2', 'A', '/a.mxstore');
  s.broker.windowShows('w3', 'B', '/b.mxstore');
  assert.deepEqual(s.log, ['give w1 A h0.1 w1#1', 'give w2 A h1.2 w2#2', 'give w3 B h0.1 w3#3']);
  assert.deepEqual(s.broker.assignments(), { w1: 0, w2: 1, w3: 0 });
  // The same matrix again (a second `current`): nothing new.
  s.broker.windowShows('w1', 'A', '/a.mxstore');
  assert.equal(s.log.length, 3);
});

test('no helper that can carry ports (Node fork, or none ready yet): no ports until one is ready', () => {
  const s = setup([h(0, 1, false)]);
  s.broker.windowShows('w1', 'A', '/a');
  assert.deepEqual(s.log, []);
  assert.deepEqual(s.broker.assignments(), { w1: null });
  s.setReady([h(0, 1, false), h(1, 4)]);
  s.broker.helperReady(h(1, 4));
  assert.deepEqual(s.log, ['give w1 A h1.4 w1#1']);
});

test('a window that opens another matrix: the old port is taken back (helper and window told), a new one given', () => {
  const s = setup([h(0, 1)]);
  s.broker.windowShows('w1', 'A', '/a');
  s.broker.windowShows('w1', 'B', '/b');
  assert.deepEqual(s.log, ['give w1 A h0.1 w1#1', 'take w1 A h0.1 w1#1 tell', 'give w1 B h0.1 w1#2']);
});

test('a helper dies: its windows are told (main path), moved to a ready helper, or wait for the restarted one', () => {
  const s = setup([h(0, 1), h(1, 2)]);
  s.broker.windowShows('w1', 'A', '/a');
  s.broker.windowShows('w2', 'A', '/a');
  s.log.length = 0;
  // Helper 1 dies; helper 0 is still up: w2 moves there at once.
  s.setReady([h(0, 1)]);
  s.broker.helperGone(h(1, 2));
  assert.deepEqual(s.log, ['take w2 A dead w2#2 tell', 'give w2 A h0.1 w2#3']);
  assert.deepEqual(s.broker.assignments(), { w1: 0, w2: 0 });
  // Now helper 0 dies too and none is ready: both fall back to the main path until a helper is back.
  s.log.length = 0;
  s.setReady([]);
  s.broker.helperGone(h(0, 1));
  assert.deepEqual(s.log, ['take w1 A dead w1#1 tell', 'take w2 A dead w2#3 tell']);
  assert.deepEqual(s.broker.assignments(), { w1: null, w2: null });
  s.log.length = 0;
  s.setReady([h(0, 3)]);
  s.broker.helperReady(h(0, 3));
  assert.deepEqual(s.log, ['give w1 A h0.3 w1#4', 'give w2 A h0.3 w2#5']);
  // A 'gone' for an older process in that slot changes nothing.
  s.broker.helperGone(h(0, 1));
  assert.equal(s.log.length, 2);
});

test('a window reloads or closes: the helper drops the attachment; the window is not told (its page is gone)', () => {
  const s = setup([h(0, 1)]);
  s.broker.windowShows('w1', 'A', '/a');
  s.broker.windowGone('w1');
  s.broker.windowGone('w1');
  s.broker.windowGone('w9');
  assert.deepEqual(s.log, ['give w1 A h0.1 w1#1', 'take w1 A h0.1 w1#1']);
  assert.deepEqual(s.broker.assignments(), {});
  // A new page on the same window learns its matrix again and gets a new port.
  s.broker.windowShows('w1', 'A', '/a');
  assert.equal(s.log[2], 'give w1 A h0.1 w1#2');
});

test('a port that could not be handed out is retried when a helper becomes ready', () => {
  const s = setup([h(0, 1)]);
  s.refuse.add('w1');
  s.broker.windowShows('w1', 'A', '/a');
  assert.deepEqual(s.broker.assignments(), { w1: null });
  s.refuse.clear();
  s.broker.helperReady(h(0, 1));
  assert.deepEqual(s.broker.assignments(), { w1: 0 });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WindowRegistry } from './window-registry';

test('windows get distinct ids and are found by webContents id', () => {
  const r = new WindowRegistry();
  const a = r.add(11, 'store-a');
  const b = r.add(12, null, '/x.mtx');
  assert.notEqual(a.windowId, b.windowId);
  assert.equal(r.byWebContents(12)?.windowId, b.windowId);
  assert.equal(r.byWebContents(99), undefined);
  assert.equal(r.size, 2);
  r.remove(a.windowId);
  assert.equal(r.byWebContents(11), undefined);
  assert.equal(r.size, 1);
});

test('windowsOn and openMatrices follow setMatrix', () => {
  const r = new WindowRegistry();
  const a = r.add(1, 'm1'), b = r.add(2, 'm1'), c = r.add(3, null, '/p.mtx');
  assert.deepEqual(r.windowsOn('m1').map(w => w.windowId), [a.windowId, b.windowId]);
  r.setMatrix(c.windowId, 'm2');
  assert.equal(r.get(c.windowId)?.pendingPath, null, 'binding a matrix clears the pending path');
  assert.deepEqual(r.openMatrices().sort(), ['m1', 'm2']);
  r.remove(a.windowId); r.remove(b.windowId);
  assert.deepEqual(r.openMatrices(), ['m2']);
});

test('each reload gets a new session id and reports the previous one', () => {
  const r = new WindowRegistry();
  const a = r.add(1);
  const s1 = r.nextSession(a.windowId)!;
  assert.equal(s1.previous, null);
  const s2 = r.nextSession(a.windowId)!;
  assert.equal(s2.previous, s1.sessionId);
  assert.notEqual(s2.sessionId, s1.sessionId);
  assert.equal(r.nextSession('nope'), null);
});

test('emptyWindow prefers the given window and skips busy ones', () => {
  const r = new WindowRegistry();
  const busy = r.add(1, 'm');
  const pending = r.add(2, null, '/a.npy');
  assert.equal(r.emptyWindow(busy.windowId), undefined);
  const empty = r.add(3);
  assert.equal(r.emptyWindow(busy.windowId)?.windowId, empty.windowId);
  assert.equal(r.emptyWindow(pending.windowId)?.windowId, empty.windowId);
});

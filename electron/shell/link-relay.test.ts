import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkTargets, parseLinkState } from './link-relay';
import { WindowRegistry } from './window-registry';

const link = (matrixId: string, from = 'x') => ({ matrixId, from, cursor: { i: 1, j: 2 }, selection: null });

test('parseLinkState keeps valid fields and drops extras', () => {
  const s = parseLinkState({ ...link('m'), view: { r0: 0, c0: 0, r1: 10, c1: 20 }, evil: 'x' });
  assert.deepEqual(s, { matrixId: 'm', from: 'x', cursor: { i: 1, j: 2 }, selection: null, view: { r0: 0, c0: 0, r1: 10, c1: 20 } });
});

test('parseLinkState rejects malformed messages', () => {
  for (const bad of [null, 3, 'x', {}, { ...link('m'), cursor: { i: -1, j: 0 } }, { ...link('m'), cursor: { i: 1.5, j: 0 } },
    { ...link('m'), selection: 'a' }, { ...link('m'), from: 3 }, { ...link('m'), view: { r0: 0 } }, { ...link('m'), cursor: undefined }]) {
    assert.equal(parseLinkState(bad), null, JSON.stringify(bad));
  }
});

test('links go to the other windows on the same matrix only', () => {
  const r = new WindowRegistry();
  const a = r.add(1, 'm1'), b = r.add(2, 'm1'), c = r.add(3, 'm2'), d = r.add(4, 'm1');
  assert.deepEqual(linkTargets(r, a.windowId, link('m1')).map(w => w.windowId), [b.windowId, d.windowId]);
  assert.deepEqual(linkTargets(r, c.windowId, link('m2')), []);
  assert.deepEqual(linkTargets(r, a.windowId, link('m2')), [], 'a window cannot publish for a matrix it does not show');
  assert.deepEqual(linkTargets(r, 'ghost', link('m1')), []);
});

test('a window with no matrix yet adopts the one it links for', () => {
  const r = new WindowRegistry();
  const a = r.add(1, 'm1'), fresh = r.add(2);
  assert.deepEqual(linkTargets(r, fresh.windowId, link('m1')).map(w => w.windowId), [a.windowId]);
  assert.equal(r.get(fresh.windowId)?.matrixId, 'm1');
});

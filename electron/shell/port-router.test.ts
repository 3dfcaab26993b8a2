import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientMessage, ServerMessage } from '../../shared/rpc/protocol';
import { PathAllowList } from './path-allow-list';
import { PortRouter, type SessionLike } from './port-router';
import { WindowRegistry } from './window-registry';

const info = (id: string) => ({ id, storePath: id, sourcePath: `/src/${id}.mtx`, sourceFormat: 'mtx', shape: [3, 3], kind: 'sparse', dtype: 'float64', nnz: 2, density: 0.2, stats: {}, levels: [1], header: '' });

function setup() {
  const registry = new WindowRegistry();
  const allowList = new PathAllowList('linux');
  const sessions = new Map<string, { got: ClientMessage[]; send: (m: ServerMessage) => void; closed: boolean; options: { matrixId?: string } }>();
  const opened: Array<[string, string]> = [];
  const progress: Array<[string, unknown]> = [];
  const detached: string[] = [];
  const router = new PortRouter({
    registry, allowList,
    connect(sessionId, send, options): SessionLike {
      const s = { got: [] as ClientMessage[], send, closed: false, options };
      sessions.set(sessionId, s);
      return { handle: m => s.got.push(m), close: () => { s.closed = true; } };
    },
    onOpened: (w, i) => opened.push([w, i.id]),
    onProgress: (w, p) => progress.push([w, p]),
    onDetached: w => detached.push(w),
  });
  const window = (matrixId: string | null = null, pending: string | null = null) => {
    const rec = registry.add(Math.floor(Math.random() * 1e9), matrixId, pending);
    const posted: ServerMessage[] = [];
    const sessionId = router.attach(rec.windowId, m => posted.push(m))!;
    return { rec, posted, session: () => sessions.get(rec.sessionId!)!, sessionId };
  };
  return { registry, allowList, router, sessions, opened, progress, detached, window };
}

test('open of a path the user did not choose is refused without reaching the backend', () => {
  const { router, window } = setup();
  const w = window();
  router.fromWindow(w.rec.windowId, { t: 'req', id: 1, method: 'open', params: { path: '/etc/shadow' } });
  assert.equal(w.session().got.length, 0);
  assert.equal(w.posted[0].t, 'err');
  assert.match((w.posted[0] as { error: { message: string } }).error.message, /Not allowed to open \/etc\/shadow/);
});

test('an allowed open is forwarded; its answer binds the window to the matrix', () => {
  const { router, allowList, registry, opened, window } = setup();
  const w = window();
  allowList.allow('/d/a.mtx', 'dialog');
  router.fromWindow(w.rec.windowId, { t: 'req', id: 1, method: 'open', params: { path: '/d/a.mtx' } });
  assert.deepEqual(w.session().got, [{ t: 'req', id: 1, method: 'open', params: { path: '/d/a.mtx' } }]);
  w.session().send({ t: 'progress', id: 1, progress: { fraction: 0.5, phase: 'parsing' } });
  w.session().send({ t: 'res', id: 1, result: info('S1') });
  assert.deepEqual(w.posted.map(m => m.t), ['progress', 'res']);
  assert.equal(registry.get(w.rec.windowId)?.matrixId, 'S1');
  assert.deepEqual(opened, [[w.rec.windowId, 'S1']]);
});

test('other requests go to the backend; malformed messages are dropped', () => {
  const { router, window } = setup();
  const w = window();
  router.fromWindow(w.rec.windowId, { t: 'req', id: 4, method: 'recent', params: {} });
  router.fromWindow(w.rec.windowId, { t: 'req', id: 5, method: 'rm -rf', params: {} });
  router.fromWindow(w.rec.windowId, 'garbage');
  router.fromWindow(w.rec.windowId, { t: 'cancel', id: 4 });
  assert.deepEqual(w.session().got, [{ t: 'req', id: 4, method: 'recent', params: {} }, { t: 'cancel', id: 4 }]);
  assert.deepEqual(w.posted, []);
});

test('current on a window with a pending path opens it once (coalesced), reporting progress', () => {
  const { router, registry, progress, window } = setup();
  const w = window(null, '/d/big.mtx');
  router.fromWindow(w.rec.windowId, { t: 'req', id: 1, method: 'current', params: {} });
  router.fromWindow(w.rec.windowId, { t: 'req', id: 2, method: 'current', params: {} });
  assert.deepEqual(w.session().got, [{ t: 'req', id: 1, method: 'open', params: { path: '/d/big.mtx' } }]);
  w.session().send({ t: 'progress', id: 1, progress: { fraction: 0.25, phase: 'scattering' } });
  w.session().send({ t: 'res', id: 1, result: info('BIG') });
  assert.deepEqual(w.posted.filter(m => m.t === 'res').map(m => (m as { id: number }).id), [1, 2]);
  assert.deepEqual(progress, [[w.rec.windowId, { fraction: 0.25, phase: 'scattering' }], [w.rec.windowId, null]]);
  assert.equal(registry.get(w.rec.windowId)?.matrixId, 'BIG');
  assert.equal(registry.get(w.rec.windowId)?.pendingPath, null);
});

test('a failed pending open is not retried on reload', () => {
  const { router, registry, window } = setup();
  const w = window(null, '/d/bad.mtx');
  router.fromWindow(w.rec.windowId, { t: 'req', id: 1, method: 'current', params: {} });
  w.session().send({ t: 'err', id: 1, error: { code: 'bad-input', message: 'bad.mtx line 3: expected 3 numbers' } });
  assert.equal(w.posted[0].t, 'err');
  assert.equal(registry.get(w.rec.windowId)?.pendingPath, null);
});

test('a window bound to a matrix (New Window) connects its session on that matrix', () => {
  const { router, window } = setup();
  const w = window('S1');
  assert.deepEqual(w.session().options, { matrixId: 'S1' });
  assert.deepEqual(window().session().options, {});
  router.fromWindow(w.rec.windowId, { t: 'req', id: 9, method: 'current', params: {} });
  assert.deepEqual(w.session().got, [{ t: 'req', id: 9, method: 'current', params: {} }]);
});

test('links are relayed to the other windows on the same matrix, not to the backend', () => {
  const { router, window } = setup();
  const a = window('S1'), b = window('S1'), c = window('S2');
  const state = { matrixId: 'S1', from: 'tab-a', cursor: { i: 1, j: 1 }, selection: null };
  router.fromWindow(a.rec.windowId, { t: 'link', state });
  assert.deepEqual(b.posted, [{ t: 'link', state }]);
  assert.deepEqual(a.posted, []);
  assert.deepEqual(c.posted, []);
  assert.equal(a.session().got.length, 0);
});

test('a reload closes the old session; stale answers are dropped', () => {
  const { router, window, sessions, detached } = setup();
  const w = window('S1');
  const old = w.session();
  const oldSend = old.send;
  router.attach(w.rec.windowId, m => w.posted.push(m));
  assert.equal(old.closed, true);
  assert.deepEqual(detached, [w.rec.windowId], 'the old page is reported gone (its helper port went with it)');
  assert.equal(sessions.size, 2);
  oldSend({ t: 'res', id: 1, result: 42 });
  assert.deepEqual(w.posted, []);
  router.detach(w.rec.windowId);
  assert.equal(w.session().closed, true);
  assert.deepEqual(detached, [w.rec.windowId, w.rec.windowId]);
  router.fromWindow(w.rec.windowId, { t: 'req', id: 2, method: 'recent', params: {} });
  assert.deepEqual(w.posted, []);
});

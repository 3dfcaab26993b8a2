// The helper pool over real child processes running the fake engine (test-fixtures/fake-engine.ts).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { forkHelper } from './fork-helper';
import { HelperPool, PoolError } from './helper-pool';
import { until } from '../../shared/testing/until';

const entry = path.join(__dirname, 'test-fixtures', 'fake-helper-main.ts');
const STORE = '/nowhere/fake-300x200';
const newPool = (extra: ConstructorParameters<typeof HelperPool>[0] = {}) =>
  new HelperPool({ size: 2, spawn: forkHelper({ entry }), ...extra });

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const rejectsWith = async (p: Promise<unknown>, code: string, message?: RegExp) => {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof PoolError, `expected a PoolError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
};

function expectedHistogram(rows: number, cols: number): number[] {
  const counts = new Array(97).fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) counts[(i * cols + j) % 97]++;
  return counts;
}

describe('HelperPool', () => {
  const pool = newPool();
  after(() => pool.close());

  test('answers small queries; typed arrays cross the process boundary', async () => {
    const v = await pool.query(STORE, 'value', { i: 3, j: 5 });
    assert.equal(v.value, (3 * 200 + 5) % 97);
    const vp = await pool.query(STORE, 'viewport', { r0: 0, c0: 0, r1: 10, c1: 10, width: 4, height: 3 });
    assert.ok(vp.mean instanceof Float32Array);
    assert.deepEqual(Array.from(vp.mean), Array.from({ length: 12 }, (_, k) => k + 0.5));
    assert.equal(pool.pids().length, 2);
  });

  test('spreads concurrent small queries over both helpers', async () => {
    const rs = await Promise.all([pool.query(STORE, 'value', { i: -2, j: 300 }), pool.query(STORE, 'value', { i: -2, j: 300 })]);
    const pids = new Set(rs.map(r => (r as unknown as { pid: number }).pid));
    assert.equal(pids.size, 2);
  });

  test('whole-matrix queries fan out in row bands over all helpers and merge exactly', async () => {
    const progress: number[] = [];
    const h = await pool.query(STORE, 'histogram', { bins: 97, delayMs: 50 } as never, { onProgress: p => { if (p.fraction !== null) progress.push(p.fraction); } });
    assert.deepEqual(h.counts, expectedHistogram(300, 200));
    const bandPids = new Set((h as unknown as { pids: number[] }).pids);
    assert.deepEqual([...bandPids].sort(), pool.pids().sort(), 'both helpers ran bands');
    assert.ok(progress.length > 0);
  });

  test('small queries are answered between the bands of a running whole-matrix query', async () => {
    const t0 = Date.now();
    let histDone = 0;
    const hist = pool.query(STORE, 'histogram', { bins: 97, busyMs: 150 } as never).then(h => { histDone = Date.now() - t0; return h; });
    await sleep(300);
    const v = await pool.query(STORE, 'value', { i: 1, j: 2 });
    const valueDone = Date.now() - t0;
    assert.equal(v.value, 202 % 97);
    assert.deepEqual((await hist).counts, expectedHistogram(300, 200));
    assert.ok(valueDone < histDone - 300, `value answered at ${valueDone} ms, histogram done at ${histDone} ms`);
  });

  test('errors keep their code and message', async () => {
    await rejectsWith(pool.query(STORE, 'value', { i: -4, j: 0 }), 'bad-input', /out of range/);
    await rejectsWith(pool.query('/nowhere/nothing', 'value', { i: 0, j: 0 }), 'not-found', /not a store/);
  });

  test('a helper killed mid-query is restarted and the query retried', async () => {
    const before = pool.pids();
    const p = pool.query(STORE, 'value', { i: -2, j: 1500 });
    await sleep(300);
    for (const pid of before) process.kill(pid, 'SIGKILL');
    const r = await p;
    assert.equal(r.i, -2);
    await until(() => pool.pids().length === 2 && pool.pids().every(pid => !before.includes(pid)), 'both helpers replaced');
  });

  test('a helper killed mid-histogram: bands are retried, the answer is still exact', async () => {
    const p = pool.query(STORE, 'histogram', { bins: 97, delayMs: 800 } as never);
    await sleep(400);
    process.kill(pool.pids()[1], 'SIGKILL');
    const h = await p;
    assert.deepEqual(h.counts, expectedHistogram(300, 200));
  });

  test('a poisoned request (helper exits) is retried once, then fails with helper-crashed; the pool recovers', async () => {
    const t0 = Date.now();
    await rejectsWith(pool.query(STORE, 'value', { i: -1, j: 0 }), 'helper-crashed', /exited with code 7.*again on retry/);
    assert.ok(Date.now() - t0 < 10_000);
    const v = await pool.query(STORE, 'value', { i: 1, j: 1 });
    assert.equal(v.value, 201 % 97);
  });

  test('deadline → timeout', async () => {
    const t0 = Date.now();
    await rejectsWith(pool.query(STORE, 'value', { i: -2, j: 5000 }, { deadlineMs: 300 }), 'timeout', /300 ms/);
    assert.ok(Date.now() - t0 < 2000);
  });

  test('abort signal → cancelled; a helper that honours cancel is kept', async () => {
    await pool.query(STORE, 'value', { i: 0, j: 0 });
    const before = pool.pids();
    const ac = new AbortController();
    const p = pool.query(STORE, 'value', { i: -2, j: 5000 }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await rejectsWith(p, 'cancelled');
    await sleep(200);
    assert.deepEqual(pool.pids(), before);
    const pre = new AbortController(); pre.abort();
    await rejectsWith(pool.query(STORE, 'value', { i: 0, j: 0 }, { signal: pre.signal }), 'cancelled');
  });

  test('supersedeKey: the newer request cancels the older', async () => {
    const older = pool.query(STORE, 'value', { i: -2, j: 2000 }, { supersedeKey: 'w1:viewport' });
    await sleep(20);
    const newer = pool.query(STORE, 'value', { i: 2, j: 3 }, { supersedeKey: 'w1:viewport' });
    await rejectsWith(older, 'superseded');
    assert.equal((await newer).value, (2 * 200 + 3) % 97);
  });
});

test('a helper deaf to cancel is killed after the grace period and replaced', async () => {
  const pool = newPool({ size: 1, cancelGraceMs: 300 });
  try {
    await pool.query(STORE, 'value', { i: 0, j: 0 });
    const [pid] = pool.pids();
    const t0 = Date.now();
    await rejectsWith(pool.query(STORE, 'value', { i: -3, j: 20_000 }, { deadlineMs: 200 }), 'timeout');
    assert.ok(Date.now() - t0 < 1000);
    const v = await pool.query(STORE, 'value', { i: 1, j: 2 }, { deadlineMs: 10_000 });
    assert.equal(v.value, 202 % 97);
    assert.ok(!alive(pid), 'the deaf helper was killed');
    assert.notEqual(pool.pids()[0], pid);
  } finally { await pool.close(); }
});

test('release(storePath) closes the engine in every helper; the next query reopens it', async () => {
  const pool = newPool({ size: 1 });
  try {
    const opens = async () => ((await pool.query(STORE, 'value', { i: 0, j: 1 })) as unknown as { opens: number }).opens;
    assert.equal(await opens(), 1);
    assert.equal(await opens(), 1, 'engines are cached per store');
    pool.release(STORE);
    assert.equal(await opens(), 2);
  } finally { await pool.close(); }
});

test('close() rejects pending requests and kills the helpers', async () => {
  const pool = newPool();
  await pool.query(STORE, 'value', { i: 0, j: 0 });
  const pids = pool.pids();
  const pending = rejectsWith(pool.query(STORE, 'value', { i: -2, j: 5000 }), 'cancelled', /closed/);
  await sleep(50);
  await pool.close();
  await pending;
  assert.ok(pids.every(p => !alive(p)));
  await rejectsWith(pool.query(STORE, 'value', { i: 0, j: 0 }), 'cancelled', /closed/);
});

test('a helper that cannot start fails requests with a clear message instead of hanging', async () => {
  const pool = new HelperPool({ size: 1, spawn: forkHelper({ entry: path.join(__dirname, 'test-fixtures', 'no-such-helper.js') }) });
  try {
    await rejectsWith(pool.query(STORE, 'value', { i: 0, j: 0 }, { deadlineMs: 20_000 }), 'helper-crashed');
  } finally { await pool.close(); }
});

test('helpers are listed and reported as they become ready and die; sendPorts reaches exactly that process', async () => {
  const carried: Array<{ index: number; message: unknown; ports: unknown[] }> = [];
  const fork = forkHelper({ entry });
  // A channel that can carry ports (as Electron's utilityProcess can); Node's fork alone cannot.
  const pool = new HelperPool({ size: 2, spawn: index => Object.assign(fork(index), { sendWithPorts: (message: unknown, ports: unknown[]) => { carried.push({ index, message, ports }); return true; } }) });
  const plain = newPool({ size: 1 });
  const events: Array<{ kind: string; index: number; generation: number }> = [];
  pool.onHelpers(e => events.push({ kind: e.kind, index: e.helper.index, generation: e.helper.generation }));
  try {
    await Promise.all([pool.query(STORE, 'value', { i: 0, j: 0 }), plain.query(STORE, 'value', { i: 0, j: 0 })]);
    for (let k = 0; k < 100 && pool.helpers().length < 2; k++) await sleep(20);
    const before = pool.helpers();
    assert.deepEqual(before.map(h => [h.index, h.acceptsPorts]), [[0, true], [1, true]]);
    assert.deepEqual(events.map(e => e.kind).sort(), ['ready', 'ready']);
    assert.deepEqual(plain.helpers().map(h => h.acceptsPorts), [false], 'Node fork carries no ports');
    assert.equal(plain.sendPorts(plain.helpers()[0], { attachWindow: 'w1#1', matrixId: 'm', storePath: STORE }, [{}]), false);

    const attach = { attachWindow: 'w1#1', matrixId: 'm', storePath: STORE };
    assert.equal(pool.sendPorts(before[1], attach, ['port']), true);
    assert.deepEqual(carried, [{ index: 1, message: attach, ports: ['port'] }]);

    // Helper 1 dies: reported gone, then its replacement ready under a new generation; the old one takes nothing.
    process.kill(pool.pids()[1], 'SIGKILL');
    for (let k = 0; k < 200 && events.filter(e => e.kind === 'ready').length < 3; k++) await sleep(20);
    assert.deepEqual(events.slice(2).map(e => [e.kind, e.index]), [['gone', 1], ['ready', 1]]);
    assert.equal(events[2].generation, before[1].generation);
    assert.notEqual(events[3].generation, before[1].generation);
    assert.equal(pool.sendPorts(before[1], attach, ['port']), false, 'a port for a dead helper is not sent to its replacement');
    assert.equal(pool.sendPorts(pool.helpers()[1], attach, ['port2']), true);
  } finally { await pool.close(); await plain.close(); }
});

// The pool with real helpers (helper-main.ts → the real engine) on real stores: answers equal the
// in-process engine's, whole-matrix work uses both helpers, and a helper's private memory stays far
// below the matrix size (every helper maps the same store; nobody holds a copy).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { QueryMap, QueryName } from '../../shared/queries';
import { openEngine, type MatrixEngine } from '../engine/open-engine';
import { convertToStore } from '../store/convert';
import { HelperPool } from './helper-pool';
import { canReadProcessMemory, formatBytes, privateByMapping, readProcessMemory } from './process-memory';
import { SHARED_TESTDATA } from '../test-support/testdata';

const N = 3000; // 3000² float64 = 72 MB (big enough that V8 heap noise, ~20 MB, is well below the thresholds)
const MATRIX_BYTES = N * N * 8;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'mx-pool-int-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('HelperPool on real stores', () => {
  let dense = '', sparse = '';
  let skip: string | false = false;
  const pool = new HelperPool({ size: 2, deadlineMs: 120_000 });
  const engines = new Map<string, MatrixEngine>();
  after(async () => { await pool.close(); for (const e of engines.values()) await e.close(); });

  before(async () => {
    const npy = path.join(tmp, 'dense.npy');
    const py = spawnSync('python3', ['-c', `
import numpy as np, sys
n = ${N}
rng = np.random.default_rng(3)
i = np.arange(n)[:, None]; j = np.arange(n)[None, :]
a = 100.0 / (1.0 + np.abs(i - j)) + rng.normal(size=(n, n))
a[rng.random((n, n)) < 0.001] = np.nan
np.save(sys.argv[1], a)
`, npy], { encoding: 'utf8' });
    if (py.status !== 0) { skip = `python3 + numpy needed to make the test matrix: ${py.stderr?.slice(0, 200)}`; return; }
    try {
      dense = (await convertToStore(npy, { out: tmp })).storePath;
      sparse = (await convertToStore(`${SHARED_TESTDATA}/mtx/scipy-west0479.mtx`, { out: tmp })).storePath;
    } catch (e) {
      if (/not implemented yet/.test(String(e))) { skip = String(e); return; }
      throw e;
    }
  });

  const local = async <Q extends QueryName>(store: string, name: Q, req: QueryMap[Q]['req']) => {
    if (!engines.has(store)) engines.set(store, await openEngine(store));
    return engines.get(store)!.query(name, req);
  };

  test('every query through the pool equals the in-process engine', async t => {
    if (skip) return t.skip(skip);
    for (const store of [dense, sparse]) {
      const [rows, cols] = (await local(store, 'info', {})).shape;
      const asks: Array<[QueryName, unknown]> = [
        ['info', {}], ['stats', {}],
        ['histogram', { bins: 12, range: [0.01, 100], log: true }],
        ['percentiles', { p: [0, 0.1, 2.5, 50, 97.5, 99.9, 100] }],
        ['percentiles', { p: [5, 95], rect: { r0: 10, c0: 20, r1: Math.min(rows, 300), c1: Math.min(cols, 250) } }],
        // the whole-matrix scans are slow-ish on the dense store: these two on the sparse one only
        ...(store === sparse ? [['histogram', { bins: 64 }], ['histogram', { bins: 10, range: [-2, 2] }]] as Array<[QueryName, unknown]> : []),
        ['viewport', { r0: 0, c0: 0, r1: rows, c1: cols, width: 200, height: 150 }],
        ['viewport', { r0: 7, c0: 3, r1: 60, c1: 90, width: 100, height: 100 }],
        ['value', { i: rows - 1, j: cols - 1 }], ['value', { i: 3, j: 1 }],
        ['row', { index: 5 }], ['row', { index: rows - 1, start: 3, end: cols - 2, points: 50 }],
        ['col', { index: 2 }], ['col', { index: cols - 1, points: 100 }],
      ];
      const pooled = await Promise.all(asks.map(([name, req]) => pool.query(store, name, req as never)));
      for (const [k, [name, req]] of asks.entries()) {
        assert.deepEqual(pooled[k], await local(store, name, req as never), `${name} ${JSON.stringify(req)} on ${path.basename(store)}`);
      }
    }
    const vp = await pool.query(dense, 'viewport', { r0: 0, c0: 0, r1: N, c1: N, width: 100, height: 100 });
    assert.ok(vp.mean instanceof Float32Array, 'typed arrays survive the process boundary');
  });

  test('an out-of-range request is a bad-input error, not a crash', async t => {
    if (skip) return t.skip(skip);
    const pids = pool.pids();
    await assert.rejects(pool.query(dense, 'value', { i: N, j: 0 }), (e: Error & { code?: string }) => e.code === 'bad-input');
    assert.deepEqual(pool.pids(), pids);
  });

  test('memory: each helper\'s Private stays far below the matrix size', { skip: !canReadProcessMemory() && 'no /proc/<pid>/smaps_rollup' }, async t => {
    if (skip) return t.skip(skip);
    const p = pool;
    {
      // Baseline: idle helpers that have already run every kind of query once (code loaded, JIT warm) on a small store.
      for (let k = 0; k < 2; k++) {
        await p.query(sparse, 'histogram', { bins: 256 });
        await p.query(sparse, 'percentiles', { p: [1, 50, 99] });
        await Promise.all([p.query(sparse, 'viewport', { r0: 0, c0: 0, r1: 479, c1: 479, width: 400, height: 300 }), p.query(sparse, 'row', { index: 3, points: 100 }), p.query(sparse, 'col', { index: 3 })]);
      }
      const inStore = (f: string) => f.startsWith(dense + path.sep);
      const baseline = new Map(p.pids().map(pid => [pid, { ...readProcessMemory(pid), split: privateByMapping(pid, inStore) }]));
      for (let k = 0; k < 2; k++) {
        await p.query(dense, 'histogram', { bins: 256 });
        await p.query(dense, 'percentiles', { p: [1, 50, 99] });
        await Promise.all(Array.from({ length: 8 }, (_, q) => p.query(dense, 'viewport', { r0: q * 100, c0: 0, r1: N, c1: N - q * 50, width: 400, height: 300 })));
        await Promise.all(Array.from({ length: 8 }, (_, q) => p.query(dense, q % 2 ? 'row' : 'col', { index: q * 211, points: 500 })));
      }
      for (const pid of p.pids()) {
        const base = baseline.get(pid);
        assert.ok(base, 'helpers were not restarted');
        const now = readProcessMemory(pid), split = privateByMapping(pid, inStore);
        const grown = now.private - base.private, grownOther = split.other - base.split.other;
        t.diagnostic(`helper ${pid}: Private ${formatBytes(base.private)} → ${formatBytes(now.private)} ` +
          `(outside the store's mappings ${formatBytes(base.split.other)} → ${formatBytes(split.other)}; store pages only it maps ${formatBytes(split.store)}, store pages mapped ${formatBytes(split.storeRss)}), ` +
          `Rss ${formatBytes(now.rss)}, Pss ${formatBytes(now.pss)}; matrix ${formatBytes(MATRIX_BYTES)}`);
        // Heap and buffers: no copy of the matrix, not even half of one (growth is V8 heap noise).
        assert.ok(grownOther < MATRIX_BYTES / 2, `helper ${pid}: Private outside the store mappings grew by ${formatBytes(grownOther)} (matrix ${formatBytes(MATRIX_BYTES)})`);
        // All private pages, including mapped store pages no other process happens to map right now
        // (page cache, not a copy: each helper scans its own row bands).
        assert.ok(grown < MATRIX_BYTES, `helper ${pid}: Private grew by ${formatBytes(grown)} (matrix ${formatBytes(MATRIX_BYTES)})`);
        // And every query unmaps the store pages it read once it has answered (whole-matrix scans their
        // bands, viewports and slices their rows or columns): an idle helper maps (nearly) none of the store.
        assert.ok(split.storeRss <= 1 << 20, `helper ${pid}: still maps ${formatBytes(split.storeRss)} of store pages (matrix ${formatBytes(MATRIX_BYTES)})`);
      }
    }
  });

  test('a helper killed mid-histogram on a real store: the answer is still exact', async t => {
    if (skip) return t.skip(skip);
    const expected = await local(dense, 'histogram', { bins: 100 });
    const p = pool.query(dense, 'histogram', { bins: 100 });
    await new Promise(r => setTimeout(r, 5));
    process.kill(pool.pids()[0], 'SIGKILL');
    assert.deepEqual(await p, expected);
  });
});

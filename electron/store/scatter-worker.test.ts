// The two halves of a CSR scattered separately (one on the scatter worker) equal the whole scattered at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RowScatter, scatterRows } from './row-scatter';
import { ScatterWorker } from './scatter-worker';
import { sharedArray } from './prefault';

function entries(n: number, rows: number, cols: number) {
  let s = 2024;
  const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const R = sharedArray(Uint32Array, n), C = sharedArray(Uint32Array, n), V = sharedArray(Float64Array, n);
  for (let k = 0; k < n; k++) {
    R[k] = Math.floor(rnd() * rnd() * rows); // skewed: some rows much fuller than others
    C[k] = k % 5 === 0 && k > 0 ? C[k - 1] : Math.floor(rnd() * cols); // duplicates too
    V[k] = k;
  }
  const indptr = new Float64Array(rows + 1);
  for (let k = 0; k < n; k++) indptr[R[k] + 1]++;
  for (let r = 0; r < rows; r++) indptr[r + 1] += indptr[r];
  return { R, C, V, indptr };
}

test('scatterRows: rows [0, mid) and [mid, rows) built apart, one on the worker, equal the whole CSR', async () => {
  const n = 600_000, rows = 20_000, cols = 50_000; // big enough for addAll's banded passes
  const { R, C, V, indptr } = entries(n, rows, cols);
  const whole = new RowScatter(indptr, 0, rows, n, false);
  whole.addAll(n, R, C, V);
  whole.sortRows();

  const col = sharedArray(Uint32Array, n), re = sharedArray(Float64Array, n);
  const mid = 7_777, at = indptr[mid];
  const w = new ScatterWorker();
  try {
    const job = { indptr, n, R, C, RE: V };
    const other = w.run({ kind: 'rows', ...job, r0: mid, r1: rows, col: col.subarray(at), re: re.subarray(at) });
    scatterRows({ ...job, r0: 0, r1: mid, col: col.subarray(0, at), re: re.subarray(0, at) });
    await other;
  } finally { w.dispose(); }
  assert.deepEqual(col, new Uint32Array(whole.col));
  assert.deepEqual(re, new Float64Array(whole.re)); // values are entry numbers: duplicates kept in file order
});

test('RowScatter.add skips entries of rows outside its segment', () => {
  const indptr = new Float64Array([0, 2, 3, 5]);
  const rs = new RowScatter(indptr, 1, 3, 3, false);
  rs.add(5, new Uint32Array([0, 2, 1, 0, 2]), new Uint32Array([9, 4, 7, 8, 1]), new Float64Array([1, 2, 3, 4, 5]));
  rs.sortRows();
  assert.deepEqual(Array.from(rs.col), [7, 1, 4]);
  assert.deepEqual(Array.from(rs.re), [3, 5, 2]);
});

// Single values and row/column slices: exact values when short enough, else min/max envelopes.
import type { SliceRequest, SliceResult, ValueResult } from '../../shared/queries';
import { badInput } from './engine-error';
import { lowerBound, type StoreData } from './store-data';

const isIndex = (x: unknown, n: number): boolean => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < n;

export function valueAt(store: StoreData, i: number, j: number): ValueResult {
  if (!isIndex(i, store.rows) || !isIndex(j, store.cols)) {
    throw badInput(`value: index (${i}, ${j}) is outside the ${store.rows}×${store.cols} matrix (indices are 0-based integers)`);
  }
  let re = 0, im = 0, stored: boolean | undefined;
  if (!store.sparse) {
    [re, im] = store.values!.getParts(i * store.cols + j);
  } else {
    const [lo, hi] = store.rowRange(i);
    stored = false;
    if (hi > lo) {
      const idx = store.indices!.read(lo, hi);
      let k = lowerBound(idx, 0, hi - lo, j);
      const first = k;
      while (k < hi - lo && idx[k] === j) k++;
      for (let t = first; t < k; t++) { const [a, b] = store.data!.getParts(lo + t); re += a; im += b; stored = true; }
    }
  }
  const out: ValueResult = { i, j, value: re };
  if (store.complex) out.imag = im;
  if (stored !== undefined) out.stored = stored;
  return out;
}

function sliceRange(axis: 'row' | 'col', req: SliceRequest, n: number, len: number): { index: number; start: number; end: number } {
  if (!isIndex(req.index, n)) throw badInput(`${axis}: index ${req.index} is outside 0..${n - 1}`);
  const start = req.start ?? 0, end = req.end ?? len;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > len || start > end) {
    throw badInput(`${axis}: range [${start}, ${end}) is not within 0..${len}`);
  }
  if (req.points !== undefined && !(Number.isInteger(req.points) && req.points >= 1)) throw badInput(`${axis}: points must be a positive integer (got ${req.points})`);
  return { index: req.index, start, end };
}

/** Exact values or an envelope from a dense array of the range's values. */
function finish(axis: 'row' | 'col', index: number, start: number, end: number, vals: ArrayLike<number>, points?: number): SliceResult {
  const len = end - start;
  if (points === undefined || len <= points) return { axis, index, start, end, step: 1, values: Float64Array.from(vals) };
  const step = Math.ceil(len / points);
  const np = Math.ceil(len / step);
  const min = new Float32Array(np), max = new Float32Array(np);
  for (let p = 0; p < np; p++) {
    let lo = Infinity, hi = -Infinity;
    const e = Math.min(len, (p + 1) * step);
    // Envelopes are over finite values (NaN when a point has none; ±Inf are left out).
    for (let k = p * step; k < e; k++) { const v = vals[k]; if (v - v === 0) { if (v < lo) lo = v; if (v > hi) hi = v; } }
    min[p] = lo === Infinity ? NaN : lo; max[p] = hi === -Infinity ? NaN : hi;
  }
  return { axis, index, start, end, step, min, max };
}

/** The decoded values of a sparse line (row of CSR or column of CSC) over [start, end): zeros filled, duplicates summed. */
function sparseLine(store: StoreData, lo: number, hi: number, idxArr: 'indices' | 'cscIndices', dataArr: 'data' | 'cscData', start: number, end: number): Float64Array {
  const out = new Float64Array(end - start);
  if (hi <= lo) return out;
  const idx = store[idxArr]!.read(lo, hi);
  const a = lowerBound(idx, 0, hi - lo, start), b = lowerBound(idx, a, hi - lo, end);
  if (b <= a) return out;
  const pos = Int32Array.from({ length: b - a }, (_, k) => idx[a + k] - start);
  const raw = store[dataArr]!.read(lo + a, lo + b);
  if (!store.complex) {
    for (let k = 0; k < b - a; k++) out[pos[k]] += raw[k];
  } else {
    const im = new Float64Array(end - start);
    for (let k = 0; k < b - a; k++) { out[pos[k]] += raw[2 * k]; im[pos[k]] += raw[2 * k + 1]; }
    for (let k = 0; k < out.length; k++) if (out[k] !== 0 || im[k] !== 0) out[k] = store.modulus(out[k], im[k]);
  }
  return out;
}

export function rowSlice(store: StoreData, req: SliceRequest): SliceResult {
  const { index, start, end } = sliceRange('row', req, store.rows, store.cols);
  let vals: ArrayLike<number>;
  if (!store.sparse) vals = store.decode(store.values!.read(index * store.cols + start, index * store.cols + end));
  else { const [lo, hi] = store.rowRange(index); vals = sparseLine(store, lo, hi, 'indices', 'data', start, end); }
  return finish('row', index, start, end, vals, req.points);
}

export function colSlice(store: StoreData, req: SliceRequest): SliceResult {
  const { index, start, end } = sliceRange('col', req, store.cols, store.rows);
  let vals: ArrayLike<number>;
  if (store.valuesByColumn) {
    // The column-major copy: the column is one contiguous run.
    const base = index * store.rows;
    vals = store.decode(store.valuesByColumn.read(base + start, base + end));
  } else if (!store.sparse) {
    const v = store.values!;
    // One element per row: without MADV_RANDOM each page fault would pull in the kernel's read-ahead window.
    v.advise('random');
    try { vals = store.decode(v.gather(start * store.cols + index, store.cols, end - start)); } finally { v.advise('normal'); }
  } else { const [lo, hi] = store.colRange(index); vals = sparseLine(store, lo, hi, 'cscIndices', 'cscData', start, end); }
  return finish('col', index, start, end, vals, req.points);
}

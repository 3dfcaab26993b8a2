// Viewport rasters: block aggregates over a rectangle, from the coarsest pyramid level that is fine
// enough (combining its cells), or from the data itself when no level is.
import type { ViewportRequest, ViewportResult } from '../../shared/queries';
import { badInput } from './engine-error';
import type { TypedArray } from './npy-array';
import { lowerBound, type LevelArrays, type StoreData } from './store-data';

const pick = new Float64Array(4);

/** Cells along one axis for block B over [a0, a1), aligned to the B grid. */
const cellsFor = (a0: number, a1: number, B: number): number => Math.ceil(a1 / B) - Math.floor(a0 / B);

/** Smallest power-of-two block whose aligned grid over the rect has at most height × width cells. */
export function chooseBlock(r0: number, r1: number, c0: number, c1: number, width: number, height: number): number {
  let B = 1;
  while (cellsFor(r0, r1, B) > height || cellsFor(c0, c1, B) > width) B *= 2;
  return B;
}

/** The level to read for block B: the coarsest whose block divides B (null → compute from the data). */
export function chooseLevel(levels: LevelArrays[], B: number): LevelArrays | null {
  let best: LevelArrays | null = null;
  // A block-1 level adds nothing over the data itself (which is exact, duplicates summed).
  for (const lv of levels) if (lv.meta.block > 1 && lv.meta.block <= B && B % lv.meta.block === 0 && (!best || lv.meta.block > best.meta.block)) best = lv;
  return best;
}

export function validateViewport(req: ViewportRequest): void {
  for (const k of ['r0', 'r1', 'c0', 'c1', 'width', 'height'] as const) {
    if (typeof req[k] !== 'number' || !Number.isFinite(req[k])) throw badInput(`viewport: ${k} must be a finite number (got ${JSON.stringify(req[k])})`);
  }
  if (!(req.width >= 1 && req.height >= 1)) throw badInput(`viewport: width and height must be at least 1 (got ${req.width}×${req.height})`);
}

export function computeViewport(store: StoreData, req: ViewportRequest): ViewportResult {
  validateViewport(req);
  const width = Math.floor(req.width), height = Math.floor(req.height);
  const r0 = Math.max(0, Math.floor(Math.min(req.r0, req.r1))), r1 = Math.min(store.rows, Math.ceil(Math.max(req.r0, req.r1)));
  const c0 = Math.max(0, Math.floor(Math.min(req.c0, req.c1))), c1 = Math.min(store.cols, Math.ceil(Math.max(req.c0, req.c1)));
  if (r1 <= r0 || c1 <= c0) {
    const e = new Float32Array(0);
    return { block: 1, rowStart: Math.min(r0, store.rows), colStart: Math.min(c0, store.cols), rows: 0, cols: 0, min: e, max: e, mean: e, count: e };
  }
  const B = chooseBlock(r0, r1, c0, c1, width, height);
  const rowStart = Math.floor(r0 / B) * B, colStart = Math.floor(c0 / B) * B;
  const nr = cellsFor(r0, r1, B), nc = cellsFor(c0, c1, B);
  const n = nr * nc;
  const out: ViewportResult = {
    block: B, rowStart, colStart, rows: nr, cols: nc,
    min: new Float32Array(n), max: new Float32Array(n), mean: new Float32Array(n), count: new Float32Array(n),
  };
  const level = chooseLevel(store.levels, B);
  // Dense cells that are exactly one level cell or one element: copied, no accumulators.
  if (!store.sparse && level?.meta.block === B) { copyLevel(level, rowStart / B, colStart / B, out); return out; }
  if (!store.sparse && !level && B === 1) { copyElements(store, rowStart, colStart, out); return out; }

  const mn = new Float64Array(n).fill(Infinity), mx = new Float64Array(n).fill(-Infinity);
  const sum = new Float64Array(n), cnt = new Float64Array(n);
  /** Sparse from the data: stored entries (finite or not) per cell, for exact implicit zeros. */
  let storedAll: Float64Array | null = null;
  if (level) fromLevel(level, B, rowStart, colStart, nr, nc, mn, mx, sum, cnt);
  else storedAll = fromData(store, B, rowStart, colStart, nr, nc, mn, mx, sum, cnt);

  const { min: omin, max: omax, mean: omean, count: ocount } = out;
  if (!store.sparse) {
    for (let i = 0; i < n; i++) {
      const c = cnt[i];
      ocount[i] = c;
      if (c > 0) { omin[i] = mn[i]; omax[i] = mx[i]; omean[i] = sum[i] / c; } else { omin[i] = NaN; omax[i] = NaN; omean[i] = NaN; }
    }
  } else {
    const rows = store.rows, cols = store.cols;
    for (let a = 0; a < nr; a++) {
      const ra = rowStart + a * B;
      const h = Math.min(ra + B, rows) - ra;
      for (let b = 0; b < nc; b++) {
        const cb = colStart + b * B;
        const area = h * (Math.min(cb + B, cols) - cb);
        const i = a * nc + b;
        const c = cnt[i];
        ocount[i] = c;
        // From the pyramid implicit zeros are inferred from the area; from the data they are exact.
        const implicit = storedAll ? area - storedAll[i] : area - c;
        const denom = storedAll ? c + implicit : area;
        if (c === 0 && implicit <= 0) { omin[i] = NaN; omax[i] = NaN; omean[i] = NaN; continue; }
        let lo = mn[i], hi = mx[i];
        if (implicit > 0) { if (lo > 0) lo = 0; if (hi < 0) hi = 0; }
        omin[i] = lo; omax[i] = hi; omean[i] = sum[i] / denom;
      }
    }
  }
  return out;
}

/**
 * Visits level rows [lr0, lr1) over cells [lc0, lc1), read in bands: row lr's cells are
 * count/min/max/sum[p .. p + lc1 - lc0). (The four files have one shape and item size, so one offset
 * serves them all; each file has its own buffers, so the four bands stay valid together.)
 */
function forLevelRows(level: LevelArrays, lr0: number, lr1: number, lc0: number, lc1: number,
  visit: (lr: number, p: number, count: TypedArray, min: TypedArray, max: TypedArray, sum: TypedArray) => void): void {
  const lcols = level.meta.cols;
  const step = level.count.bandRows(lcols, lc0, lc1);
  for (let b0 = lr0; b0 < lr1; b0 += step) {
    const b1 = Math.min(lr1, b0 + step);
    const C = level.count.readBand(lcols, b0, b1, lc0, lc1), L = level.min.readBand(lcols, b0, b1, lc0, lc1);
    const H = level.max.readBand(lcols, b0, b1, lc0, lc1), S = level.sum.readBand(lcols, b0, b1, lc0, lc1);
    for (let lr = b0; lr < b1; lr++) visit(lr, C.at + (lr - b0) * C.stride, C.data, L.data, H.data, S.data);
  }
}

/** Dense, level block = viewport block: each output cell is the level cell at (lr0 + a, lc0 + b). */
function copyLevel(level: LevelArrays, lr0: number, lc0: number, out: ViewportResult): void {
  const { rows: nr, cols: nc, min: omin, max: omax, mean: omean, count: ocount } = out;
  const lr1 = Math.min(level.meta.rows, lr0 + nr), lc1 = Math.min(level.meta.cols, lc0 + nc);
  const w = lc1 - lc0;
  // The grid of a level covers the matrix, so this only guards against a short level.
  if (lr1 - lr0 < nr || w < nc) { omin.fill(NaN); omax.fill(NaN); omean.fill(NaN); }
  if (w <= 0) return;
  forLevelRows(level, lr0, lr1, lc0, lc1, (lr, p, count, min, max, sum) => {
    for (let k = 0, i = (lr - lr0) * nc; k < w; k++, i++) {
      const c = count[p + k];
      ocount[i] = c;
      if (c > 0) { omin[i] = min[p + k]; omax[i] = max[p + k]; omean[i] = sum[p + k] / c; } else { omin[i] = NaN; omax[i] = NaN; omean[i] = NaN; }
    }
  });
}

/** Dense: visits rows [r0, r1) over columns [c0, c1) of the values, decoded, read in bands. */
function forDataRows(store: StoreData, r0: number, r1: number, c0: number, c1: number, visit: (r: number, row: ArrayLike<number>) => void): void {
  const vals = store.values!, cols = store.cols, w = c1 - c0, comps = store.complex ? 2 : 1;
  const step = vals.bandRows(cols, c0, c1);
  for (let b0 = r0; b0 < r1; b0 += step) {
    const b1 = Math.min(r1, b0 + step);
    const band = vals.readBand(cols, b0, b1, c0, c1);
    for (let r = b0; r < b1; r++) {
      const p = band.at + (r - b0) * band.stride;
      visit(r, store.decode(band.data.subarray(comps * p, comps * (p + w))));
    }
  }
}

/** Dense, block 1: each output cell is one element (NaN and count 0 where it is not finite). */
function copyElements(store: StoreData, rowStart: number, colStart: number, out: ViewportResult): void {
  const { rows: nr, cols: w, min: omin, max: omax, mean: omean, count: ocount } = out;
  forDataRows(store, rowStart, rowStart + nr, colStart, colStart + w, (r, row) => {
    const i0 = (r - rowStart) * w;
    for (let k = 0; k < w; k++) {
      const x = row[k], i = i0 + k;
      if (x - x === 0) { omin[i] = x; omax[i] = x; omean[i] = x; ocount[i] = 1; } else { omin[i] = NaN; omax[i] = NaN; omean[i] = NaN; }
    }
  });
}

function fromLevel(level: LevelArrays, B: number, rowStart: number, colStart: number, nr: number, nc: number,
  mn: Float64Array, mx: Float64Array, sum: Float64Array, cnt: Float64Array): void {
  const L = level.meta.block, f = B / L, lcols = level.meta.cols;
  const lr0 = rowStart / L, lr1 = Math.min(level.meta.rows, lr0 + nr * f);
  const lc0 = colStart / L, lc1 = Math.min(lcols, lc0 + nc * f);
  const w = lc1 - lc0;
  if (w <= 0) return;
  forLevelRows(level, lr0, lr1, lc0, lc1, (lr, p, count, smin, smax, ssum) => {
    const rowBase = Math.floor((lr - lr0) / f) * nc;
    for (let k = 0; k < w; k++) {
      const c = count[p + k];
      if (c === 0) continue;
      const i = f === 1 ? rowBase + k : rowBase + Math.floor(k / f);
      cnt[i] += c;
      sum[i] += ssum[p + k];
      if (smin[p + k] < mn[i]) mn[i] = smin[p + k];
      if (smax[p + k] > mx[i]) mx[i] = smax[p + k];
    }
  });
}

function fromData(store: StoreData, B: number, rowStart: number, colStart: number, nr: number, nc: number,
  mn: Float64Array, mx: Float64Array, sum: Float64Array, cnt: Float64Array): Float64Array | null {
  const rEnd = Math.min(store.rows, rowStart + nr * B), cEnd = Math.min(store.cols, colStart + nc * B);
  const add = (i: number, v: number): void => {
    if (v - v !== 0) return;
    cnt[i]++; sum[i] += v;
    if (v < mn[i]) mn[i] = v;
    if (v > mx[i]) mx[i] = v;
  };
  if (!store.sparse) {
    const w = cEnd - colStart;
    forDataRows(store, rowStart, rEnd, colStart, cEnd, (r, row) => {
      const base = Math.floor((r - rowStart) / B) * nc;
      // Cell by cell, values in row order (the sums' order is part of the result). Min and max by
      // index, t[+(y < x)], not by branches: random data would mispredict one at nearly every value.
      const t = pick;
      for (let b = 0, k = 0; b < nc; b++) {
        const i = base + b;
        let s = sum[i], c = cnt[i];
        t[0] = mn[i]; t[2] = mx[i];
        for (const e = Math.min(w, k + B); k < e; k++) {
          const x = row[k];
          if (x - x !== 0) continue;
          c++; s += x;
          t[1] = x; t[0] = t[+(x < t[0])];
          t[3] = x; t[2] = t[2 + +(x > t[2])];
        }
        mn[i] = t[0]; mx[i] = t[2]; sum[i] = s; cnt[i] = c;
      }
    });
    return null;
  }
  const storedAll = new Float64Array(nr * nc);
  const ptr = Float64Array.from(store.indptr!.read(rowStart, rEnd + 1) as ArrayLike<number>);
  for (let r = rowStart; r < rEnd; r++) {
    const lo = ptr[r - rowStart], hi = ptr[r - rowStart + 1];
    if (hi <= lo) continue;
    const idx = store.indices!.read(lo, hi);
    const a = lowerBound(idx, 0, hi - lo, colStart), b = lowerBound(idx, a, hi - lo, cEnd);
    if (b <= a) continue;
    const raw = store.data!.read(lo + a, lo + b);
    const base = Math.floor((r - rowStart) / B) * nc;
    for (let k = a; k < b;) {
      const col = idx[k];
      const i = base + Math.floor((col - colStart) / B);
      // Duplicates (adjacent equal columns) are one element: their sum.
      let re = 0, im = 0;
      for (; k < b && idx[k] === col; k++) {
        if (store.complex) { re += raw[2 * (k - a)]; im += raw[2 * (k - a) + 1]; } else re += raw[k - a];
      }
      storedAll[i]++;
      add(i, store.modulus(re, im));
    }
  }
  return storedAll;
}


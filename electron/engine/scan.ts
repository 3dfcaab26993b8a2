// Visits the stored values of a region of rows × [c0, c1) in chunks (decoded: complex → |z|).
// Dense stores visit every element; sparse stores visit stored entries only and report how many,
// so callers account for implicit zeros by count.
import { lowerBound, type StoreData } from './store-data';

export interface Region { rowStart: number; rowEnd: number; c0: number; c1: number }

/** Elements per chunk read (bounded scratch, responsive cancellation). */
export const CHUNK = 1 << 20;

export type Visitor = (values: ArrayLike<number>) => void;

/** Returns the number of stored elements visited (dense: the region's area). */
export function scanStored(store: StoreData, region: Region, visit: Visitor): number {
  const { rowStart, rowEnd } = region;
  const c0 = Math.max(0, region.c0), c1 = Math.min(store.cols, region.c1);
  if (rowEnd <= rowStart || c1 <= c0) return 0;
  const cols = store.cols;
  if (!store.sparse) {
    const v = store.values!;
    if (c0 === 0 && c1 === cols) {
      const end = rowEnd * cols;
      for (let s = rowStart * cols; s < end; s += CHUNK) visit(store.decode(v.read(s, Math.min(end, s + CHUNK))));
    } else {
      const w = c1 - c0;
      // Group rows so each read is at least ~CHUNK/4 bytes of useful data when rows are narrow.
      for (let r = rowStart; r < rowEnd; r++) {
        for (let s = 0; s < w; s += CHUNK) visit(store.decode(v.read(r * cols + c0 + s, r * cols + c0 + Math.min(w, s + CHUNK))));
      }
    }
    return (rowEnd - rowStart) * (c1 - c0);
  }
  // Sparse: rows in groups of about CHUNK entries; duplicates (adjacent equal columns in a row) are
  // summed into one element, so every visited value is one matrix element. Returns distinct positions.
  const ptr = Float64Array.from(store.indptr!.read(rowStart, rowEnd + 1) as ArrayLike<number>);
  const full = c0 === 0 && c1 === cols;
  const complex = store.complex;
  let stored = 0;
  let merged = new Float64Array(0);
  for (let g0 = rowStart; g0 < rowEnd;) {
    let g1 = g0 + 1;
    const lo = ptr[g0 - rowStart];
    while (g1 < rowEnd && ptr[g1 + 1 - rowStart] - lo <= CHUNK) g1++;
    const hi = ptr[g1 - rowStart];
    const rows0 = g0;
    g0 = g1;
    if (hi <= lo) continue;
    const idx = store.indices!.read(lo, hi);
    const raw = store.data!.read(lo, hi);
    if (full && !hasDuplicates(idx, ptr, rowStart, rows0, g1, lo)) { stored += hi - lo; visit(store.decode(raw)); continue; }
    if (merged.length < hi - lo) merged = new Float64Array(Math.max(hi - lo, 1024));
    let m = 0;
    for (let r = rows0; r < g1; r++) {
      const rlo = ptr[r - rowStart] - lo, rhi = ptr[r + 1 - rowStart] - lo;
      let a = rlo, b = rhi;
      if (!full) { a = lowerBound(idx, rlo, rhi, c0); b = lowerBound(idx, a, rhi, c1); }
      for (let k = a; k < b;) {
        const col = idx[k];
        if (complex) {
          let re = raw[2 * k], im = raw[2 * k + 1];
          k++;
          while (k < b && idx[k] === col) { re += raw[2 * k]; im += raw[2 * k + 1]; k++; }
          merged[m++] = store.modulus(re, im);
        } else {
          let v = raw[k];
          k++;
          while (k < b && idx[k] === col) { v += raw[k]; k++; }
          merged[m++] = v;
        }
      }
    }
    stored += m;
    if (m > 0) visit(merged.subarray(0, m));
  }
  return stored;
}

/** Whether any of rows [g0, g1) (entries from `lo`) has adjacent equal column indices. */
function hasDuplicates(idx: ArrayLike<number>, ptr: Float64Array, rowStart: number, g0: number, g1: number, lo: number): boolean {
  for (let r = g0; r < g1; r++) {
    const rhi = ptr[r + 1 - rowStart] - lo;
    for (let k = ptr[r - rowStart] - lo + 1; k < rhi; k++) if (idx[k] === idx[k - 1]) return true;
  }
  return false;
}

// Which number of a viewport raster cell gets coloured: an aggregate (mean/min/max), the stored-entry
// density, or "spy" (any stored entry). Pure.
import type { ViewportResult } from '../queries';

export type CellMode = 'mean' | 'min' | 'max' | 'density' | 'spy';

/** Area (elements) of raster cell (a, b), clipped to the matrix. */
export function cellArea(r: ViewportResult, a: number, b: number, shape: [number, number]): number {
  const rs = r.rowStart + a * r.block, cs = r.colStart + b * r.block;
  const h = Math.max(0, Math.min(r.block, shape[0] - rs));
  const w = Math.max(0, Math.min(r.block, shape[1] - cs));
  return h * w;
}

/**
 * The per-cell values to colour. density: stored finite entries / cell area (0..1], NaN (background) when none;
 * spy: 1 where any entry is stored, NaN elsewhere (drawn as background).
 */
export function cellValues(r: ViewportResult, mode: CellMode, shape: [number, number]): Float32Array {
  if (mode === 'mean') return r.mean;
  if (mode === 'min') return r.min;
  if (mode === 'max') return r.max;
  const out = new Float32Array(r.rows * r.cols);
  for (let a = 0; a < r.rows; a++) {
    for (let b = 0; b < r.cols; b++) {
      const k = a * r.cols + b;
      const c = r.count[k];
      if (mode === 'spy') out[k] = c > 0 ? 1 : NaN;
      else { const area = cellArea(r, a, b, shape); out[k] = area > 0 && c > 0 ? c / area : NaN; }
    }
  }
  return out;
}

/** Finite min and max of an array, or null when none. */
export function finiteRange(v: ArrayLike<number>): [number, number] | null {
  let lo = Infinity, hi = -Infinity;
  for (let k = 0; k < v.length; k++) {
    const x = v[k];
    if (!Number.isFinite(x)) continue;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return lo <= hi ? [lo, hi] : null;
}

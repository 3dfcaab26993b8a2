// View geometry of the heatmap: which part of the matrix is visible, how it maps to pixels, how pan
// and zoom change it, and what viewport request to send. Pure: no DOM, no Node.
import type { Rect, ViewportRequest, ViewportResult } from './queries';

/** The visible region in continuous matrix coordinates (rows [r0, r1) × cols [c0, c1)); may extend past the matrix. */
export interface View { r0: number; c0: number; r1: number; c1: number }
export interface Size { width: number; height: number }

/** Beyond this aspect mismatch the whole-matrix view stretches cells instead of keeping them square. */
export const MAX_ASPECT_STRETCH = 16;
/** Fewest cells kept visible across the smaller side when zooming in. */
export const MIN_SPAN = 4;

/** The whole matrix, centred, with square cells when the matrix and the plot have comparable aspect ratios. */
export function fitView(shape: [number, number], size: Size): View {
  const [rows, cols] = shape;
  const w = Math.max(1, size.width), h = Math.max(1, size.height);
  const matrixAspect = cols / Math.max(1, rows);
  const plotAspect = w / h;
  const ratio = matrixAspect / plotAspect;
  if (ratio > MAX_ASPECT_STRETCH || ratio < 1 / MAX_ASPECT_STRETCH || rows === 0 || cols === 0) {
    return { r0: 0, c0: 0, r1: Math.max(1, rows), c1: Math.max(1, cols) };
  }
  if (ratio >= 1) {
    // matrix wider than the plot: fit columns, pad rows
    const spanR = cols / plotAspect;
    const pad = (spanR - rows) / 2;
    return { r0: -pad, c0: 0, r1: rows + pad, c1: cols };
  }
  const spanC = rows * plotAspect;
  const pad = (spanC - cols) / 2;
  return { r0: 0, c0: -pad, r1: rows, c1: cols + pad };
}

/** Keeps the view's centre over the matrix and its span within [MIN_SPAN, 4 × the matrix]. */
export function clampView(v: View, shape: [number, number]): View {
  const [rows, cols] = shape;
  let sr = v.r1 - v.r0, sc = v.c1 - v.c0;
  const maxSpan = 4 * Math.max(rows, cols, 1);
  const small = Math.min(sr, sc);
  if (small < MIN_SPAN) { const f = MIN_SPAN / small; sr *= f; sc *= f; }
  const big = Math.max(sr, sc);
  if (big > maxSpan) { const f = maxSpan / big; sr *= f; sc *= f; }
  let cr = (v.r0 + v.r1) / 2, cc = (v.c0 + v.c1) / 2;
  cr = Math.min(Math.max(cr, 0), rows);
  cc = Math.min(Math.max(cc, 0), cols);
  return { r0: cr - sr / 2, r1: cr + sr / 2, c0: cc - sc / 2, c1: cc + sc / 2 };
}

/** Zoom by `factor` (> 1 zooms in) keeping the point at fraction (fx, fy) of the plot fixed. */
export function zoomView(v: View, factor: number, fx = 0.5, fy = 0.5): View {
  const ar = v.r0 + fy * (v.r1 - v.r0), ac = v.c0 + fx * (v.c1 - v.c0);
  return {
    r0: ar - (ar - v.r0) / factor, r1: ar + (v.r1 - ar) / factor,
    c0: ac - (ac - v.c0) / factor, c1: ac + (v.c1 - ac) / factor,
  };
}

/** Pan by fractions of the visible span (positive dx moves the view right, i.e. shows higher columns). */
export function panView(v: View, dxFrac: number, dyFrac: number): View {
  const dr = dyFrac * (v.r1 - v.r0), dc = dxFrac * (v.c1 - v.c0);
  return { r0: v.r0 + dr, r1: v.r1 + dr, c0: v.c0 + dc, c1: v.c1 + dc };
}

/** The integer part of the matrix the view covers, or null when none. */
export function visibleRect(v: View, shape: [number, number]): Rect | null {
  const r0 = Math.max(0, Math.floor(v.r0)), c0 = Math.max(0, Math.floor(v.c0));
  const r1 = Math.min(shape[0], Math.ceil(v.r1)), c1 = Math.min(shape[1], Math.ceil(v.c1));
  return r1 > r0 && c1 > c0 ? { r0, c0, r1, c1 } : null;
}

/** The viewport request for a view drawn on a plot of `size` CSS pixels at device pixel ratio `dpr`. */
export function viewportRequest(v: View, shape: [number, number], size: Size, dpr = 1): ViewportRequest | null {
  const rect = visibleRect(v, shape);
  if (!rect) return null;
  const pxPerCol = size.width * dpr / (v.c1 - v.c0);
  const pxPerRow = size.height * dpr / (v.r1 - v.r0);
  const width = Math.max(1, Math.min(8192, Math.ceil((rect.c1 - rect.c0) * pxPerCol)));
  const height = Math.max(1, Math.min(8192, Math.ceil((rect.r1 - rect.r0) * pxPerRow)));
  return { ...rect, width, height };
}

/** Cells of the block grid (block b) that a rect touches along one axis. */
export function alignedCells(start: number, end: number, block: number): number {
  return Math.floor((end - 1) / block) - Math.floor(start / block) + 1;
}

/** The pyramid block a viewport request should be answered at: the smallest whose aligned raster fits. */
export function expectedBlock(levels: number[], req: ViewportRequest): number {
  const sorted = [...levels].sort((a, b) => a - b);
  for (const b of sorted) {
    if (alignedCells(req.r0, req.r1, b) <= req.height && alignedCells(req.c0, req.c1, b) <= req.width) return b;
  }
  return sorted[sorted.length - 1] ?? 1;
}

/** Matrix cell under plot pixel (x, y), or null outside the matrix. */
export function cellAt(v: View, size: Size, x: number, y: number, shape: [number, number]): { i: number; j: number } | null {
  const i = Math.floor(v.r0 + (y / size.height) * (v.r1 - v.r0));
  const j = Math.floor(v.c0 + (x / size.width) * (v.c1 - v.c0));
  return i >= 0 && j >= 0 && i < shape[0] && j < shape[1] ? { i, j } : null;
}

/** Plot x of a (continuous) column, plot y of a row. */
export const colToX = (v: View, size: Size, c: number): number => (c - v.c0) / (v.c1 - v.c0) * size.width;
export const rowToY = (v: View, size: Size, r: number): number => (r - v.r0) / (v.r1 - v.r0) * size.height;

/** The matrix rectangle a raster covers (clipped to the matrix). */
export function rasterExtent(r: ViewportResult, shape: [number, number]): Rect {
  return {
    r0: r.rowStart, c0: r.colStart,
    r1: Math.min(shape[0], r.rowStart + r.rows * r.block),
    c1: Math.min(shape[1], r.colStart + r.cols * r.block),
  };
}

/** Raster cell (a, b) holding matrix element (i, j), or null when outside the raster. */
export function rasterCell(r: ViewportResult, i: number, j: number): { a: number; b: number } | null {
  const a = Math.floor((i - r.rowStart) / r.block), b = Math.floor((j - r.colStart) / r.block);
  return a >= 0 && b >= 0 && a < r.rows && b < r.cols ? { a, b } : null;
}

/** True when two views are the same within a small tolerance. */
export function sameView(a: View, b: View, eps = 1e-9): boolean {
  return Math.abs(a.r0 - b.r0) < eps && Math.abs(a.r1 - b.r1) < eps && Math.abs(a.c0 - b.c0) < eps && Math.abs(a.c1 - b.c1) < eps;
}

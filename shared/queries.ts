// The queries every front end (renderer, CLI, tests) asks of an opened store, and their results.
// Results carry compact typed arrays, never the matrix.

import type { StoreDtype, StoreStats } from './store-manifest';

/** What a window needs to know about an opened matrix. */
export interface MatrixInfo {
  /** Identifies the opened store within a backend (the store path). */
  id: string;
  storePath: string;
  sourcePath: string;
  /** The name the user knows the source by when it differs from sourcePath's (an upload: its own file name). */
  displayName?: string;
  sourceFormat: 'mtx' | 'npy' | 'csv';
  shape: [number, number];
  kind: 'dense' | 'sparse';
  dtype: StoreDtype;
  nnz: number;
  /** nnz / (rows*cols) */
  density: number;
  stats: StoreStats;
  /** Block sizes available in the pyramid (1 = the matrix itself). */
  levels: number[];
  /** The source header facts, for the stats panel. */
  header: string;
}

/** A rectangle of the matrix: rows [r0, r1) × cols [c0, c1). */
export interface Rect { r0: number; c0: number; r1: number; c1: number }

export interface ViewportRequest extends Rect {
  /** Output raster size in pixels; the answer never has more cells than this in either direction. */
  width: number;
  height: number;
}

/**
 * A raster of block aggregates covering (at least) the requested rectangle, aligned to the block grid:
 * cell (a, b) covers rows [rowStart + a*block, ...+block) × cols [colStart + b*block, ...), clipped to the matrix.
 * Arrays are row-major [rows × cols]. min/max/mean are over all elements of the cell (sparse: implicit zeros
 * included), NaN when the cell has no finite element. count: finite stored values in the cell.
 */
export interface ViewportResult {
  block: number;
  rowStart: number;
  colStart: number;
  rows: number;
  cols: number;
  min: Float32Array;
  max: Float32Array;
  mean: Float32Array;
  count: Float32Array;
}

export interface ValueResult {
  i: number;
  j: number;
  /** The value (complex: real part). */
  value: number;
  imag?: number;
  /** Sparse: whether (i, j) is a stored entry. */
  stored?: boolean;
}

export interface SliceRequest {
  /** Row (for row slices) or column index. */
  index: number;
  /** Range along the slice, [start, end); default the whole row/column. */
  start?: number;
  end?: number;
  /** Reduce to at most this many points as a min/max envelope when the range is longer. */
  points?: number;
}

export interface SliceResult {
  axis: 'row' | 'col';
  index: number;
  start: number;
  end: number;
  /** Elements per point: 1 means exact values in `values`; >1 means `min`/`max` envelopes. */
  step: number;
  /** Exact values (complex: modulus), when step == 1. */
  values?: Float64Array;
  /** Envelope, when step > 1: point k covers [start + k*step, start + (k+1)*step). */
  min?: Float32Array;
  max?: Float32Array;
}

export interface HistogramRequest {
  bins: number;
  /** Default: finite min..max. */
  range?: [number, number];
  /** Logarithmically spaced bins (range must be positive; non-positive values are counted in `below`). */
  log?: boolean;
}

/**
 * NumPy's convention: bins half-open [e_k, e_{k+1}), the last one closed. Finite values only;
 * values outside the range are counted in below/above, not in counts.
 */
export interface HistogramResult {
  edges: number[];
  counts: number[];
  nan: number;
  posinf: number;
  neginf: number;
  zeros: number;
  below: number;
  above: number;
  /** rows × cols */
  total: number;
}

export interface PercentilesRequest {
  /** In [0, 100]. */
  p: number[];
  /** Restrict to a rectangle (e.g. the visible region); default the whole matrix. */
  rect?: Rect;
}

export interface PercentilesResult {
  p: number[];
  /** NumPy's default 'linear' interpolation over the finite elements; null when none. */
  values: (number | null)[];
}

export interface Progress {
  /** 0..1, or null when unknown. */
  fraction: number | null;
  /** Short phrase: 'parsing', 'counting', 'scattering', 'pyramid', ... */
  phase: string;
  /** Bytes or elements done / total, when known. */
  done?: number;
  total?: number;
}

/** Every query by name: its request and result types. */
export interface QueryMap {
  info: { req: Record<string, never>; res: MatrixInfo };
  viewport: { req: ViewportRequest; res: ViewportResult };
  value: { req: { i: number; j: number }; res: ValueResult };
  row: { req: SliceRequest; res: SliceResult };
  col: { req: SliceRequest; res: SliceResult };
  histogram: { req: HistogramRequest; res: HistogramResult };
  percentiles: { req: PercentilesRequest; res: PercentilesResult };
  stats: { req: Record<string, never>; res: StoreStats };
}

export type QueryName = keyof QueryMap;

/** Raised across process boundaries: a message a person can read, and a machine-readable code. */
export interface ErrorPayload {
  code: 'bad-input' | 'not-found' | 'cancelled' | 'superseded' | 'timeout' | 'helper-crashed' | 'store-corrupt' | 'internal';
  message: string;
}

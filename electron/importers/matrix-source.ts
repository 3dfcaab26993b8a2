// The contract between an importer (mtx, npy, csv) and the store builder.
// An importer reads its file as a stream and pushes what it parses into a sink; it never holds the
// whole file or a JS array of entries. The store builder decides where values go on disk.

import type { SourceInfo, StoreDtype } from '../../shared/store-manifest';

export interface SourceHeader {
  rows: number;
  cols: number;
  kind: 'dense' | 'sparse';
  /** Element type the store will hold. */
  dtype: StoreDtype;
  /** Sparse: the exact number of entries the scan will emit (after symmetry expansion). */
  entries?: number;
  /**
   * Dense only: the importer emits what the file holds; for symmetric kinds it emits only the lower
   * triangle (i >= j; strictly lower for skew-symmetric) and the builder mirrors it afterwards.
   */
  symmetry: 'general' | 'symmetric' | 'skew-symmetric' | 'hermitian';
  /** Format facts recorded in the manifest's `source` (format, mtx/npy/csv). */
  info: Pick<SourceInfo, 'format' | 'mtx' | 'npy' | 'csv'>;
}

/**
 * A batch of sparse entries, 0-based, symmetry already expanded. Only the first `length` are valid, and
 * only during the sink call: the importer reuses (or hands on) the arrays afterwards.
 */
export interface EntryChunk {
  length: number;
  rows: Uint32Array;
  cols: Uint32Array;
  re: Float64Array;
  /** Imaginary parts, for complex sources. */
  im?: Float64Array;
}

/** The buffers under a chunk's (or an entry block's) arrays: what a postMessage transfers to hand it over. */
export function entryBuffers(c: Pick<EntryChunk, 'rows' | 'cols' | 're' | 'im'>): ArrayBuffer[] {
  return [c.rows.buffer, c.cols.buffer, c.re.buffer, ...(c.im ? [c.im.buffer] : [])] as ArrayBuffer[];
}

/** Entries per row and per column, filled by a source whose `countsEntries` is true (see ScanOptions.counts). */
export interface EntryCounts {
  rows: Uint32Array;
  cols: Uint32Array;
}

/** Adds n entries (rows R, columns C, already checked against the shape) to `counts`. */
export function countEntries(counts: EntryCounts, n: number, R: Uint32Array, C: Uint32Array): void {
  const rc = counts.rows, cc = counts.cols;
  for (let i = 0; i < n; i++) { rc[R[i]]++; cc[C[i]]++; }
}

/** Adds the counts `from` to `into` (same sizes). */
export function addCounts(into: EntryCounts, from: EntryCounts): void {
  for (const [dst, src] of [[into.rows, from.rows], [into.cols, from.cols]]) {
    for (let i = 0, n = dst.length; i < n; i++) dst[i] += src[i];
  }
}

export interface SparseSink {
  entries(chunk: EntryChunk): void;
}

/** Receives dense values as contiguous runs along a row (C order) or along a column (Fortran order). */
export interface DenseSink {
  /** Row `row`, columns [col, col + re.length). */
  rowRun(row: number, col: number, re: Float64Array, im?: Float64Array): void | Promise<void>;
  /** Column `col`, rows [row, row + re.length). */
  colRun(col: number, row: number, re: Float64Array, im?: Float64Array): void | Promise<void>;
}

export interface ScanOptions {
  /** Bytes of the source consumed so far / total; called often, cheap. */
  onBytes?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /**
   * Only for sources whose `countsEntries` is true: the scan adds 1 to counts.rows[r] and counts.cols[c]
   * for every entry it emits (complete when the scan resolves), so the sink need not count.
   */
  counts?: EntryCounts;
}

/**
 * An opened source file. `header()` is cheap (reads the header only). A sparse source's `scanSparse`
 * may be called more than once (the builder counts, then scatters) and emits the same entries each time.
 */
export interface MatrixSource {
  readonly path: string;
  /**
   * True when scanSparse honours ScanOptions.counts and emits only indices inside the header's shape
   * (the builder then skips its own counting and bounds checks).
   */
  readonly countsEntries?: boolean;
  header(): Promise<SourceHeader>;
  scanSparse?(sink: SparseSink, options?: ScanOptions): Promise<void>;
  scanDense?(sink: DenseSink, options?: ScanOptions): Promise<void>;
  close?(): Promise<void>;
}

/**
 * A problem with the input file: names the file, the line (text formats; 1-based) or byte offset,
 * and what was wrong. The CLI prints `message` alone and exits 2.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly byteOffset?: number,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${detail}`);
    this.name = 'InputError';
  }
}

/** Thrown when a scan is cancelled through its AbortSignal. */
export class CancelledError extends Error {
  constructor() { super('cancelled'); this.name = 'CancelledError'; }
}

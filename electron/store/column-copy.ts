// The column-major copy of a dense store's values (`values-by-column.npy`, a Fortran-order .npy of the
// same shape and dtype): a column is then one contiguous read instead of one page per row. Written
// from the finished C-order values in row bands: each band is transposed in tiles (raw words, so NaN
// payloads survive) and every column's segment of the band is written at its place. It runs on a
// worker thread (column-copy-task.ts) while the builder's thread makes the pyramid and the stats.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DTYPE_BYTES, NPY_DESCR, type StoreDtype } from '../../shared/store-manifest';
import { wordLayout, wordsOver } from './dtype-codec';
import { NpyFile } from './npy-file';
import { readAllAt } from './positional-io';

export const VALUES_BY_COLUMN = 'values-by-column.npy';

/** Columns per transpose tile: one cache line per column being filled stays hot. */
const TILE = 64;

export interface ColumnCopyJob {
  /** The store directory being filled, and the finished values file in it (C order). */
  dir: string; valuesPath: string; valuesDataOffset: number;
  rows: number; cols: number; dtype: StoreDtype;
  /** Bytes for the two band buffers. */
  bytes: number;
}

/**
 * Writes the column-major copy of the job's values file (read through a descriptor of its own); returns
 * its file name and size. `beforeBand(r0)` runs before each band: it reports progress and throws to cancel.
 */
export function writeColumnCopy(j: ColumnCopyJob, beforeBand: (r0: number) => void): { file: string; size: number } {
  const { rows, cols, dtype } = j;
  const eb = DTYPE_BYTES[dtype];
  const { ctor: Words, width: w } = wordLayout(dtype);
  const fd = fs.openSync(j.valuesPath, 'r');
  try {
    const out = new NpyFile(path.join(j.dir, VALUES_BY_COLUMN), NPY_DESCR[dtype], [rows, cols], eb, true);
    try {
      // Two buffers of a band each (the rows as read, the band transposed); more rows per band means
      // longer writes per column.
      const perBand = Math.max(1, Math.min(rows, Math.floor(j.bytes / 2 / Math.max(1, cols * eb))));
      const src = new Uint8Array(perBand * cols * eb), dst = new Uint8Array(perBand * cols * eb);
      const sw = wordsOver(Words, src, perBand * cols * w), dw = wordsOver(Words, dst, perBand * cols * w);
      for (let r0 = 0; r0 < rows; r0 += perBand) {
        beforeBand(r0);
        const n = Math.min(perBand, rows - r0);
        readAllAt(fd, src.subarray(0, n * cols * eb), j.valuesDataOffset + r0 * cols * eb);
        transpose(sw, dw, n, cols, w);
        if (n === rows) out.writeAt(dst.subarray(0, rows * cols * eb), 0);
        else for (let c = 0; c < cols; c++) out.writeAt(dst.subarray(c * n * eb, (c + 1) * n * eb), (c * rows + r0) * eb);
      }
      return { file: VALUES_BY_COLUMN, size: out.close() };
    } catch (e) {
      out.abandon();
      throw e;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** dst (cols × n, row-major) = transpose of src (n × cols), elements of w words. */
function transpose(src: ArrayLike<number>, dst: { [k: number]: number }, n: number, cols: number, w: number): void {
  for (let c0 = 0; c0 < cols; c0 += TILE) {
    const c1 = Math.min(cols, c0 + TILE);
    for (let r = 0; r < n; r++) {
      const s = r * cols;
      if (w === 1) for (let c = c0; c < c1; c++) dst[c * n + r] = src[s + c];
      else for (let c = c0; c < c1; c++) for (let t = 0; t < w; t++) dst[(c * n + r) * w + t] = src[(s + c) * w + t];
    }
  }
}

// Test helper: a DenseSink that assembles the emitted runs into a full row-major matrix and checks
// that every cell is written exactly once and no run falls outside the matrix.

import type { DenseSink } from '../matrix-source';

export interface CollectedDense {
  sink: DenseSink;
  re: Float64Array;
  im: Float64Array | undefined;
  /** Throws unless every cell was written exactly once. */
  assertComplete(): void;
  rowRuns: number;
  colRuns: number;
}

export function collectDense(rows: number, cols: number, complex = false): CollectedDense {
  const re = new Float64Array(rows * cols).fill(NaN);
  const im = complex ? new Float64Array(rows * cols).fill(NaN) : undefined;
  const writes = new Uint8Array(rows * cols);
  const out: CollectedDense = {
    re, im, rowRuns: 0, colRuns: 0,
    assertComplete() {
      const i = writes.findIndex(w => w !== 1);
      if (i >= 0) throw new Error(`cell (${Math.floor(i / cols)}, ${i % cols}) written ${writes[i]} times`);
    },
    sink: {
      rowRun(row, col, r, i) {
        out.rowRuns++;
        if (row < 0 || row >= rows || col < 0 || col + r.length > cols) throw new Error(`rowRun out of range: row ${row}, cols ${col}..${col + r.length}`);
        if (complex !== (i !== undefined)) throw new Error(`rowRun: im ${i ? 'given' : 'missing'}`);
        for (let k = 0; k < r.length; k++) {
          const at = row * cols + col + k;
          re[at] = r[k]; if (im && i) im[at] = i[k]; writes[at]++;
        }
      },
      colRun(col, row, r, i) {
        out.colRuns++;
        if (col < 0 || col >= cols || row < 0 || row + r.length > rows) throw new Error(`colRun out of range: col ${col}, rows ${row}..${row + r.length}`);
        if (complex !== (i !== undefined)) throw new Error(`colRun: im ${i ? 'given' : 'missing'}`);
        for (let k = 0; k < r.length; k++) {
          const at = (row + k) * cols + col;
          re[at] = r[k]; if (im && i) im[at] = i[k]; writes[at]++;
        }
      },
    },
  };
  return out;
}

/** Index of the first element where a and b differ (NaN equals NaN, -0 differs from 0), or -1. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

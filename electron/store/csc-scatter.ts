// The CSC of a real (f8) CSR held in memory: RowScatter.addAll with rows and columns swapped (its
// cache-friendly two passes). The input is in row order, so within each column the rows come out
// ascending and duplicates in CSR order, as csr.tocsc() has them. On a worker thread (scatter-worker)
// when the arrays are on shared memory, while the calling thread goes on with the pyramid and stats.
import { RowScatter } from './row-scatter';

export interface CscJob {
  rows: number; cols: number; nnz: number;
  indptr: Float64Array; cindptr: Float64Array;
  /** The CSR: column indices and values. */
  col: Uint32Array; data: Float64Array;
  /** Scratch for each CSR entry's row (nnz elements). */
  entryRows: Uint32Array;
  /** The CSC's row indices and values (nnz elements each). */
  outRows: Uint32Array; outData: Float64Array;
}

export function scatterCsc(j: CscJob): void {
  for (let r = 0; r < j.rows; r++) j.entryRows.fill(r, j.indptr[r], j.indptr[r + 1]);
  new RowScatter(j.cindptr, 0, j.cols, j.nnz, false, { col: j.outRows, re: j.outData }).addAll(j.nnz, j.col, j.entryRows, j.data);
}

// worker_threads entry: builds the CSC arrays of a sparse matrix from its entries in file order (on shared
// memory, read in place): scatter by column (stable), then sort each column by row (stable) — the same
// arrays as scattering the finished CSR by column, since duplicates keep their file order either way.
// Lets the store builder build the CSC on a second core while it builds the CSR.
import { parentPort } from 'node:worker_threads';
import { RowScatter } from './row-scatter';

export interface CscPiece { n: number; r: Uint32Array; c: Uint32Array; re: Float64Array; im?: Float64Array }
export interface CscRequest { cindptr: Float64Array; cols: number; nnz: number; cplx: boolean; pieces: CscPiece[] }
/** Row indices and values of the CSC, column by column. */
export interface CscResult { rows: Uint32Array; re: Float64Array; im?: Float64Array }

parentPort?.on('message', (m: CscRequest) => {
  const cs = new RowScatter(m.cindptr, 0, m.cols, m.nnz, m.cplx);
  for (const p of m.pieces) cs.add(p.n, p.c, p.r, p.re, p.im); // rows and columns swapped
  cs.sortRows();
  const r: CscResult = { rows: cs.col, re: cs.re, im: cs.im };
  parentPort!.postMessage(r, [cs.col.buffer, cs.re.buffer, ...(cs.im ? [cs.im.buffer] : [])] as ArrayBuffer[]);
});

// The CSC of a real (f8) CSR held in memory: RowScatter.addAll with rows and columns swapped (its
// cache-friendly two passes). The input is in row order, so within each column the rows come out
// ascending and duplicates in CSR order, as csr.tocsc() has them. On a worker thread when the arrays
// are on shared memory, while the calling thread goes on with the pyramid and stats.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../importers/start-worker';
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

const shared = (a: ArrayBufferView): boolean => a.buffer instanceof SharedArrayBuffer;

/**
 * A worker thread for one `scatterCsc`, started ahead of time (its start-up overlaps the parse).
 * `run` falls back to this thread when the job's big arrays are not shared or the worker failed.
 */
export class CscWorker {
  private worker?: Worker;
  private failed?: Error;

  constructor() {
    try {
      this.worker = startWorker(__dirname, 'csc-worker');
      this.worker.on('error', (e) => { this.failed = e; });
      this.worker.unref();
    } catch { this.worker = undefined; }
  }

  run(j: CscJob): Promise<void> {
    const w = this.worker;
    if (!w || this.failed || ![j.col, j.data, j.entryRows, j.outRows, j.outData].every(shared)) {
      scatterCsc(j);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const off = () => { w.off('message', done); w.off('error', crashed); w.off('exit', exited); };
      const done = () => { off(); resolve(); };
      // A crash (say, out of memory) is only a lost optimisation: the job is done here instead (it
      // rewrites every output element). An exit without one is `dispose` (the build was abandoned).
      const crashed = () => { off(); try { scatterCsc(j); resolve(); } catch (e) { reject(e); } };
      const exited = (code: number) => { off(); reject(new Error(`CSC worker exited (code ${code})`)); };
      w.once('message', done);
      w.once('error', crashed);
      w.once('exit', exited);
      w.ref();
      w.postMessage(j);
    });
  }

  dispose(): void { void this.worker?.terminate(); this.worker = undefined; }
}

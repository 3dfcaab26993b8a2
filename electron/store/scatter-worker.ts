// A worker thread for the sparse builder's big scatters on shared memory (see scatter-worker-main): one
// half of the CSR rows while the calling thread does the other (scatterRows), then the CSC while the
// calling thread computes the pyramid and stats (scatterCsc). Started ahead of time: its start-up
// overlaps the parse. `run` does the job on the calling thread when the arrays are not shared or the
// worker failed: an optimisation only, never a different result.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../importers/start-worker';
import { scatterCsc, type CscJob } from './csc-scatter';
import { scatterRows, type RowsJob } from './row-scatter';

export type ScatterJob = ({ kind: 'csc' } & CscJob) | ({ kind: 'rows' } & RowsJob);

/** Does `job` on this thread. */
export function runScatterJob(job: ScatterJob): void {
  if (job.kind === 'csc') scatterCsc(job); else scatterRows(job);
}

const shared = (a: ArrayBufferView): boolean => a.buffer instanceof SharedArrayBuffer;
const bigArrays = (j: ScatterJob): ArrayBufferView[] =>
  j.kind === 'csc' ? [j.col, j.data, j.entryRows, j.outRows, j.outData] : [j.R, j.C, j.RE, j.col, j.re];

export class ScatterWorker {
  private worker?: Worker;
  private failed?: Error;

  constructor() {
    try {
      this.worker = startWorker(__dirname, 'scatter-worker-main');
      this.worker.on('error', (e) => { this.failed = e; });
      this.worker.unref();
    } catch { this.worker = undefined; }
  }

  /** Does `job` on the worker (one job at a time). */
  run(j: ScatterJob): Promise<void> {
    const w = this.worker;
    if (!w || this.failed || !bigArrays(j).every(shared)) {
      runScatterJob(j);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const off = () => { w.off('message', done); w.off('error', crashed); w.off('exit', exited); };
      const done = () => { off(); w.unref(); resolve(); };
      // A crash (say, out of memory) is only a lost optimisation: the job is done here instead (it
      // rewrites every output element). An exit without one is `dispose` (the build was abandoned).
      const crashed = () => { off(); try { runScatterJob(j); resolve(); } catch (e) { reject(e); } };
      const exited = (code: number) => { off(); reject(new Error(`scatter worker exited (code ${code})`)); };
      w.once('message', done);
      w.once('error', crashed);
      w.once('exit', exited);
      w.ref();
      w.postMessage(j);
    });
  }

  dispose(): void { void this.worker?.terminate(); this.worker = undefined; }
}

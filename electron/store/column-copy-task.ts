// Runs the column-major copy (column-copy.ts) on a worker thread beside the dense builder's pyramid and
// stats pass, so both cores work; where no worker starts (or it dies without an answer) the copy is
// written on the calling thread instead, when it is awaited. Cancelling stops the worker between bands.
import type { Worker } from 'node:worker_threads';
import { CancelledError } from '../importers/matrix-source';
import { startWorker } from '../importers/start-worker';
import { checkCancelled, type BuildContext } from './build-context';
import { writeColumnCopy, type ColumnCopyJob } from './column-copy';
import type { ColumnCopyReply } from './column-copy-worker';

type Outcome = { t: 'done'; file: string; size: number } | { t: 'cancelled' } | { t: 'failed'; error: Error } | { t: 'lost' };

export class ColumnCopyTask {
  private readonly cancelFlag = new Int32Array(new SharedArrayBuffer(4));
  private readonly outcome: Promise<Outcome>;
  private rowsDone = 0;
  /** While the builder waits in `finish`: where the worker's progress goes. */
  private onProgress?: (done: number) => void;

  constructor(private readonly job: ColumnCopyJob) {
    this.outcome = new Promise<Outcome>(resolve => {
      let worker: Worker;
      try { worker = startWorker(__dirname, 'column-copy-worker'); } catch { resolve({ t: 'lost' }); return; }
      worker.on('message', (m: ColumnCopyReply) => {
        if (m.t === 'progress') { this.rowsDone = m.done; this.onProgress?.(m.done); return; }
        if (m.t === 'failed') resolve({ t: 'failed', error: Object.assign(new Error(m.message), m.code ? { code: m.code } : {}) });
        else resolve(m);
        void worker.terminate();
      });
      // A crash (say, the worker could not start) is only a lost optimisation: `finish` writes the copy itself.
      worker.on('error', () => resolve({ t: 'lost' }));
      worker.on('exit', () => resolve({ t: 'lost' }));
      worker.postMessage({ job, cancel: this.cancelFlag });
    });
  }

  /** Waits for the copy (reporting its progress), or writes it here if the worker was lost. */
  async finish(ctx: BuildContext): Promise<{ file: string; size: number }> {
    const { rows } = this.job;
    this.onProgress = done => ctx.progress('column copy', done, rows);
    ctx.progress('column copy', this.rowsDone, rows);
    const abort = () => Atomics.store(this.cancelFlag, 0, 1);
    ctx.signal?.addEventListener('abort', abort);
    try {
      const o = await this.outcome;
      if (o.t === 'done') return { file: o.file, size: o.size };
      if (o.t === 'cancelled') throw new CancelledError();
      if (o.t === 'failed') throw o.error;
      return writeColumnCopy(this.job, r0 => {
        checkCancelled(ctx.signal);
        ctx.progress('column copy', r0, rows);
      });
    } finally {
      ctx.signal?.removeEventListener('abort', abort);
      this.onProgress = undefined;
    }
  }

  /** Stops the worker (the build failed elsewhere) and waits until it has closed its files. */
  async abandon(): Promise<void> {
    Atomics.store(this.cancelFlag, 0, 1);
    await this.outcome;
  }
}

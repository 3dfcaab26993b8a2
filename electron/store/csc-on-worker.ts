// Runs csc-worker on a thread of its own for one conversion: started early (its start-up overlaps the
// parse), given the entries once they are counted, terminated when done or abandoned.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../importers/start-worker';
import type { CscPiece, CscRequest, CscResult } from './csc-worker';

export class CscOnWorker {
  private readonly worker: Worker;
  private result?: Promise<CscResult>;

  constructor() {
    this.worker = startWorker(__dirname, 'csc-worker');
  }

  /** True when every array of every piece is on shared memory (the worker reads them in place). */
  static canShare(pieces: CscPiece[]): boolean {
    const sh = (a?: Uint32Array | Float64Array) => a === undefined || a.buffer instanceof SharedArrayBuffer;
    return pieces.every((p) => sh(p.r) && sh(p.c) && sh(p.re) && sh(p.im));
  }

  /** Starts the build; `cindptr` is copied (transferred). */
  start(cindptr: Float64Array, nnz: number, cplx: boolean, pieces: CscPiece[]): void {
    const ptr = cindptr.slice();
    this.result = new Promise<CscResult>((resolve, reject) => {
      this.worker.once('message', resolve);
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`CSC worker exited (code ${code})`)));
    });
    this.result.catch(() => {}); // awaited by the caller, or abandoned after an earlier error
    const req: CscRequest = { cindptr: ptr, cols: cindptr.length - 1, nnz, cplx, pieces };
    this.worker.postMessage(req, [ptr.buffer]);
  }

  async done(): Promise<CscResult> {
    if (!this.result) throw new Error('CSC worker not started');
    return this.result;
  }

  close(): void {
    void this.worker.terminate();
  }
}

// A few worker threads parsing CSV runs (see csv-parse-worker.ts). Requests go round-robin; each
// answer resolves the promise of its request. Closing rejects whatever is still pending.
import { Worker } from 'node:worker_threads';
import { CancelledError } from '../matrix-source';
import type { CsvParseRequest, CsvParseResult } from './csv-parse-worker';
import { startWorker as startWorkerFile } from '../start-worker';

const startWorker = () => startWorkerFile(__dirname, 'csv-parse-worker');

export class CsvParsePool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (r: CsvParseResult) => void; reject: (e: Error) => void }>();
  private next = 0;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      const w = startWorker();
      w.on('message', (r: CsvParseResult) => { const p = this.waiting.get(r.id); this.waiting.delete(r.id); p?.resolve(r); });
      w.on('error', e => this.failAll(e));
      w.on('exit', code => { if (this.waiting.size) this.failAll(new Error(`CSV parse worker exited (code ${code})`)); });
      this.workers.push(w);
    }
  }

  /** Parse a run; `req.buf` is transferred (it comes back in the result). */
  parse(req: Omit<CsvParseRequest, 'id'>): Promise<CsvParseResult> {
    const id = this.next++;
    const p = new Promise<CsvParseResult>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    p.catch(() => {}); // may be rejected unawaited when an earlier run fails
    this.workers[id % this.size].postMessage({ ...req, id }, [req.buf]);
    return p;
  }

  private failAll(e: Error): void {
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    this.failAll(new CancelledError());
    await Promise.all(this.workers.map(w => w.terminate()));
  }
}

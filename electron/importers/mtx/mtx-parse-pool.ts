// The parse workers (mtx-parse-worker) and the pipeline that feeds them runs of whole lines (8 MiB by
// default) round-robin, and hands their results on strictly in file order, with at most one run per
// worker (plus one) in flight. The main thread only finds where the runs start and end; the workers
// read them from the file themselves, straight into their kernel's memory (one copy of the text, and no
// run buffers to fault in).
// Workers are started on first use and kept (unref'd, so they never hold the process open): the store
// builder scans twice (count, then scatter) and each import would otherwise pay the start-up again.
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { ScanOptions } from '../matrix-source';
import { lineRanges } from '../text/line-ranges';
import type { RunFile } from './run-file';
import { startWorker as startWorkerFile } from '../start-worker';

const startWorker = () => startWorkerFile(__dirname, 'mtx-parse-worker');

interface Pending { resolve: (r: { id: number }) => void; reject: (e: Error) => void }
export interface PoolWorker { worker: Worker; pending: Map<number, Pending>; dead: boolean }

const pool: PoolWorker[] = [];
let nextId = 0;

/** A new request id. */
export const requestId = (): number => nextId++;

export function getWorkers(n: number): PoolWorker[] {
  for (let i = pool.length - 1; i >= 0; i--) if (pool[i].dead) pool.splice(i, 1);
  while (pool.length < n) {
    const pw: PoolWorker = { worker: startWorker(), pending: new Map(), dead: false };
    const fail = (e: Error) => {
      pw.dead = true;
      for (const p of pw.pending.values()) p.reject(e);
      pw.pending.clear();
    };
    pw.worker.on('message', (r: { id: number }) => {
      const p = pw.pending.get(r.id);
      pw.pending.delete(r.id);
      if (pw.pending.size === 0) pw.worker.unref();
      p?.resolve(r);
    });
    pw.worker.on('error', (e) => fail(e));
    pw.worker.on('exit', (code) => fail(new Error(`MTX parse worker exited (code ${code})`)));
    pw.worker.unref();
    pool.push(pw);
  }
  return pool.slice(0, n);
}

/** Sends `req` (transferring `transfer`); resolves with the worker's answer. */
export function send<R extends { id: number }>(pw: PoolWorker, req: { id: number }, transfer: ArrayBuffer[] = []): Promise<R> {
  const p = new Promise<R>((resolve, reject) => pw.pending.set(req.id, { resolve: resolve as (r: { id: number }) => void, reject }));
  p.catch(() => {}); // may be rejected unawaited after an earlier run failed; that earlier error is the one thrown
  pw.worker.ref();
  pw.worker.postMessage(req, transfer);
  return p;
}

/** How a file's scan runs on the workers (see MtxOpenOptions); `tooLong` builds the error for a line too long. */
export interface ParallelOptions extends ScanOptions {
  workers: number;
  readSize?: number;
  maxLine?: number;
  chunkSize?: number;
  tooLong: (line: number, offset: number) => Error;
}

export interface RunsOptions extends ScanOptions {
  readSize?: number;
  maxLine?: number;
  /** The error for a line longer than the reader takes (`offset`: where it starts in the file). */
  tooLong: (offset: number) => Error;
}

/**
 * Has `workers` parse the lines of `path` from byte `from`: this thread only finds where runs of whole
 * lines start and end (see lineRanges), `post(worker, run)` sends one (round-robin; the worker reads
 * it from the file), and each result goes to `consume` in file order, with at most one run per worker
 * (plus one) in flight. A line too long is met while the runs before it are still being parsed: they
 * are consumed first (an error in them comes first; `consume` moves the line count on), then
 * `o.tooLong` makes its error, with its line.
 */
export async function parseRanges<R>(path: string, from: number, workers: PoolWorker[], o: RunsOptions,
  post: (pw: PoolWorker, run: RunFile) => Promise<R>, consume: (r: R) => void | Promise<void>): Promise<void> {
  const W = workers.length;
  const inflight: Promise<R>[] = [];
  let k = 0;
  let tooLongAt = -1;
  const tooLong = new Error('line too long');
  // One descriptor for the whole scan, which the workers read through (see RunFile); closed only once
  // no run is being read any more.
  const fh = await open(path, 'r');
  try {
    try {
      for await (const range of lineRanges(fh, from, { readSize: o.readSize, maxLine: o.maxLine, signal: o.signal, onBytes: o.onBytes },
        (off) => { tooLongAt = off; return tooLong; })) {
        if (range.end === range.start) continue;
        inflight.push(post(workers[k++ % W], { path, fd: fh.fd, start: range.start, len: range.end - range.start, last: range.last }));
        while (inflight.length > W) await consume(await inflight.shift()!); // bounded memory
      }
    } catch (e) {
      if (e !== tooLong) throw e;
      while (inflight.length) await consume(await inflight.shift()!);
      throw o.tooLong(tooLongAt);
    }
    while (inflight.length) await consume(await inflight.shift()!);
  } finally {
    await Promise.allSettled(inflight);
    await fh.close();
  }
}

// Parses a coordinate file's entry lines on worker threads: the main thread reads runs of whole lines
// (8 MiB by default) into buffers that it transfers (no copy) round-robin to the workers, and emits their
// results strictly in file order. Line numbers and the running entry count are tracked here; a run that
// fails in a worker (or that would exceed the declared count) is re-parsed on this thread so the
// InputError is exactly the single-threaded one (same line, same words).
// Workers are started on first use and kept (unref'd, so they never hold the process open): the store
// builder scans twice (count, then scatter) and each import would otherwise pay the start-up again.
// With `counts`, the workers also count entries per row/column; the sums land in `counts` at the end.
import { Worker } from 'node:worker_threads';
import { CancelledError, addCounts, entryBuffers, type EntryCounts, type ScanOptions, type SparseSink } from '../matrix-source';
import { readLineRuns } from '../text/chunked-reader';
import { CoordinateParser, ENTRY_CHUNK } from './mtx-body-parser';
import type { MtxHeader } from './mtx-header';
import type { CountsRequest, CountsResult, EntryBlock, ParseRequest, ParseResult } from './mtx-parse-worker';
import { startWorker as startWorkerFile } from '../start-worker';

const startWorker = () => startWorkerFile(__dirname, 'mtx-parse-worker');

interface Pending { resolve: (r: ParseResult | CountsResult) => void; reject: (e: Error) => void }
interface PoolWorker { worker: Worker; pending: Map<number, Pending>; dead: boolean }

const pool: PoolWorker[] = [];
let nextId = 0;
let nextScan = 0;

function getWorkers(n: number): PoolWorker[] {
  for (let i = pool.length - 1; i >= 0; i--) if (pool[i].dead) pool.splice(i, 1);
  while (pool.length < n) {
    const pw: PoolWorker = { worker: startWorker(), pending: new Map(), dead: false };
    const fail = (e: Error) => {
      pw.dead = true;
      for (const p of pw.pending.values()) p.reject(e);
      pw.pending.clear();
    };
    pw.worker.on('message', (r: ParseResult | CountsResult) => {
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

function send(pw: PoolWorker, req: ParseRequest): Promise<ParseResult>;
function send(pw: PoolWorker, req: CountsRequest): Promise<CountsResult>;
function send(pw: PoolWorker, req: ParseRequest | CountsRequest): Promise<ParseResult | CountsResult> {
  const p = new Promise<ParseResult | CountsResult>((resolve, reject) => pw.pending.set(req.id, { resolve, reject }));
  p.catch(() => {}); // may be rejected unawaited after an earlier run failed; that earlier error is the one thrown
  pw.worker.ref();
  pw.worker.postMessage(req, req.type === 'parse' ? [req.buf, ...(req.reuse ?? []).flatMap(entryBuffers)] : []);
  return p;
}

/** Adds each worker's counts for `scan` to `into` (and makes the workers forget them). */
async function collectCounts(workers: PoolWorker[], scan: number, into?: EntryCounts): Promise<void> {
  const got = await Promise.all(workers.map((pw) => send(pw, { type: 'counts', id: nextId++, scan })));
  if (!into) return;
  for (const g of got) if (g.rows && g.cols) addCounts(into, { rows: g.rows, cols: g.cols });
}

export interface ParallelOptions extends ScanOptions {
  workers: number;
  readSize?: number;
  chunkSize?: number;
  tooLong: (line: number, offset: number) => Error;
}

export async function scanCoordinateParallel(path: string, h: MtxHeader, sink: SparseSink, o: ParallelOptions): Promise<number> {
  const workers = getWorkers(Math.max(1, o.workers));
  const W = workers.length;
  const free: ArrayBuffer[] = [];
  const chunkSize = o.chunkSize ?? ENTRY_CHUNK;
  let line = h.dataLine;
  let count = 0;
  let emitted = 0;

  // Output blocks go back to the workers with later runs (the sink has copied what it keeps): about
  // as many as a run fills, and no more than the runs in flight can use.
  const freeBlocks: EntryBlock[] = [];
  let perRun = 1;
  const recycle = (r: ParseResult): void => {
    perRun = Math.max(perRun, r.blocks.length);
    for (const b of [...r.blocks, ...r.spare]) if (freeBlocks.length < (W + 1) * perRun) freeBlocks.push(b);
  };

  const reparse = (r: ParseResult): never => {
    const p = new CoordinateParser(path, { ...h, dataLine: line }, { entries() {} });
    p.count = count;
    p.parse(new Uint8Array(r.buf, 0, r.len), 0, r.len);
    throw new Error(`${path}: a parse worker reported an error near line ${line} that could not be reproduced`);
  };
  const consume = (r: ParseResult): void => {
    if (r.error || count + r.count > h.declared) reparse(r);
    for (const blk of r.blocks) {
      for (let off = 0; off < blk.n; off += chunkSize) {
        const len = Math.min(chunkSize, blk.n - off);
        sink.entries({
          length: len,
          rows: blk.rows.subarray(off, off + len),
          cols: blk.cols.subarray(off, off + len),
          re: blk.re.subarray(off, off + len),
          im: blk.im?.subarray(off, off + len),
        });
      }
    }
    line += r.lines;
    count += r.count;
    emitted += r.n;
    free.push(r.buf);
    recycle(r);
  };

  const inflight: Promise<ParseResult>[] = [];
  let k = 0;
  const scan = o.counts ? nextScan++ : undefined;
  let collected = false;
  try {
    // Each run is read into a buffer of its own (reused once a worker returns it) and transferred as is.
    const alloc = (n: number): Buffer => {
      const at = free.findIndex((b) => b.byteLength >= n);
      return Buffer.from(at >= 0 ? free.splice(at, 1)[0] : new ArrayBuffer(n + (n >> 4)));
    };
    for await (const run of readLineRuns(path, h.dataOffset, { readSize: o.readSize, signal: o.signal, onBytes: o.onBytes, alloc },
      (off) => o.tooLong(line, off))) {
      const len = run.end - run.start;
      if (len === 0) { free.push(run.buf.buffer as ArrayBuffer); continue; }
      const reuse = freeBlocks.splice(0, perRun);
      inflight.push(send(workers[k++ % W], { type: 'parse', id: nextId++, buf: run.buf.buffer as ArrayBuffer, len, header: h, scan, reuse }));
      while (inflight.length > W) consume(await inflight.shift()!); // ≤ W+1 runs in flight: bounded memory
    }
    while (inflight.length) consume(await inflight.shift()!);
    if (o.signal?.aborted) throw new CancelledError();
    const p = new CoordinateParser(path, { ...h, dataLine: line }, { entries() {} });
    p.count = count;
    p.finish(); // throws when entries are missing
    collected = true;
    if (scan !== undefined) await collectCounts(workers, scan, o.counts);
    return emitted;
  } finally {
    if (scan !== undefined && !collected) void collectCounts(workers, scan).catch(() => {});
  }
}

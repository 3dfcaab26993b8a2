// Parses a coordinate file's entry lines on worker threads: the main thread reads runs of whole lines
// (8 MiB by default), hands them round-robin to the workers, and emits their results strictly in file
// order. Line numbers and the running entry count are tracked here; a run that fails in a worker (or that
// would exceed the declared count) is re-parsed on this thread so the InputError is exactly the
// single-threaded one (same line, same words).
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { CancelledError, type ScanOptions, type SparseSink } from '../matrix-source';
import { readLineRuns } from '../text/chunked-reader';
import { CoordinateParser, ENTRY_CHUNK } from './mtx-body-parser';
import type { MtxHeader } from './mtx-header';
import type { ParseRequest, ParseResult } from './mtx-parse-worker';

const FROM_SOURCE = __filename.endsWith('.ts');
const WORKER_FILE = join(__dirname, `mtx-parse-worker${FROM_SOURCE ? '.ts' : '.js'}`);
/** Running from TypeScript sources (tests, bench, unbuilt checkout): load the worker through tsx's require hook. */
function startWorker(): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_FILE);
  const code = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(WORKER_FILE)});`;
  return new Worker(code, { eval: true });
}

export interface ParallelOptions extends ScanOptions {
  workers: number;
  readSize?: number;
  chunkSize?: number;
  tooLong: (line: number, offset: number) => Error;
}

export async function scanCoordinateParallel(path: string, h: MtxHeader, sink: SparseSink, o: ParallelOptions): Promise<number> {
  const W = Math.max(1, o.workers);
  const workers: Worker[] = [];
  const waiting = new Map<number, { resolve: (r: ParseResult) => void; reject: (e: Error) => void }>();
  const failAll = (e: Error) => { for (const w of waiting.values()) w.reject(e); waiting.clear(); };
  for (let i = 0; i < W; i++) {
    const w = startWorker();
    w.on('message', (r: ParseResult) => { const p = waiting.get(r.id); waiting.delete(r.id); p?.resolve(r); });
    w.on('error', (e) => failAll(e));
    w.on('exit', (code) => { if (waiting.size) failAll(new Error(`MTX parse worker exited (code ${code})`)); });
    workers.push(w);
  }
  const free: ArrayBuffer[] = [];
  const chunkSize = o.chunkSize ?? ENTRY_CHUNK;
  let line = h.dataLine;
  let count = 0;
  let emitted = 0;

  const reparse = (r: ParseResult): never => {
    const p = new CoordinateParser(path, { ...h, dataLine: line }, { entries() {} });
    p.count = count;
    p.parse(new Uint8Array(r.buf, 0, r.len), 0, r.len);
    throw new Error(`${path}: a parse worker reported an error near line ${line} that could not be reproduced`);
  };
  const consume = (r: ParseResult): void => {
    if (r.error || count + r.count > h.declared) reparse(r);
    for (let off = 0; off < r.n; off += chunkSize) {
      const len = Math.min(chunkSize, r.n - off);
      sink.entries({
        length: len,
        rows: r.rows!.subarray(off, off + len),
        cols: r.cols!.subarray(off, off + len),
        re: r.re!.subarray(off, off + len),
        im: r.im?.subarray(off, off + len),
      });
    }
    line += r.lines;
    count += r.count;
    emitted += r.n;
    free.push(r.buf);
  };

  try {
    const inflight: Promise<ParseResult>[] = [];
    let id = 0;
    for await (const run of readLineRuns(path, h.dataOffset, { readSize: o.readSize, signal: o.signal, onBytes: o.onBytes },
      (off) => o.tooLong(line, off))) {
      const len = run.end - run.start;
      if (len === 0) continue;
      let k = free.findIndex((b) => b.byteLength >= len);
      const ab = k >= 0 ? free.splice(k, 1)[0] : new ArrayBuffer(Math.max(len, o.readSize ?? 0));
      new Uint8Array(ab, 0, len).set(run.buf.subarray(run.start, run.end));
      const req: ParseRequest = { id, buf: ab, len, header: h };
      const pending = new Promise<ParseResult>((resolve, reject) => waiting.set(req.id, { resolve, reject }));
      pending.catch(() => {}); // rejected unawaited when an earlier run fails; the error that matters is thrown
      inflight.push(pending);
      workers[id % W].postMessage(req, [ab]);
      id++;
      while (inflight.length >= 2 * W) consume(await inflight.shift()!);
    }
    while (inflight.length) consume(await inflight.shift()!);
    if (o.signal?.aborted) throw new CancelledError();
    const p = new CoordinateParser(path, { ...h, dataLine: line }, { entries() {} });
    p.count = count;
    p.finish(); // throws when entries are missing
    return emitted;
  } finally {
    failAll(new CancelledError());
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

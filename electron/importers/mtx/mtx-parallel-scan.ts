// Parses a coordinate file's entry lines on the parse workers (see mtx-parse-pool) and emits their
// results strictly in file order. Line numbers and the running entry count are tracked here; a run that
// fails in a worker (or that would exceed the declared count) is re-parsed on this thread so the
// InputError is exactly the single-threaded one (same line, same words).
// With `counts`, the workers also count entries per row/column; the sums land in `counts` at the end.
import { CancelledError, addCounts, entryBuffers, type EntryCounts, type SparseSink } from '../matrix-source';
import { CoordinateParser, ENTRY_CHUNK } from './mtx-body-parser';
import type { MtxHeader } from './mtx-header';
import { readRunFile } from './run-file';
import type { CountsRequest, CountsResult, EntryBlock, ParseRequest, ParseResult } from './mtx-parse-worker';
import { getWorkers, parseRanges, requestId, send, type ParallelOptions, type PoolWorker } from './mtx-parse-pool';

let nextScan = 0;

/** Adds each worker's counts for `scan` to `into` (and makes the workers forget them). */
async function collectCounts(workers: PoolWorker[], scan: number, into?: EntryCounts): Promise<void> {
  const got = await Promise.all(workers.map((pw) => {
    const req: CountsRequest = { type: 'counts', id: requestId(), scan };
    return send<CountsResult>(pw, req);
  }));
  if (!into) return;
  for (const g of got) if (g.rows && g.cols) addCounts(into, { rows: g.rows, cols: g.cols });
}

export async function scanCoordinateParallel(path: string, h: MtxHeader, sink: SparseSink, o: ParallelOptions): Promise<number> {
  const workers = getWorkers(Math.max(1, o.workers));
  const W = workers.length;
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
    const bytes = readRunFile(r.file); // a read error is the error then
    p.parse(bytes, 0, bytes.length);
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
    recycle(r);
  };

  const scan = o.counts ? nextScan++ : undefined;
  let collected = false;
  try {
    // The workers read their runs from the file themselves, straight into their kernel's memory.
    await parseRanges(path, h.dataOffset, workers, { ...o, tooLong: (off) => o.tooLong(line, off) }, (pw, file) => {
      const reuse = freeBlocks.splice(0, perRun);
      const req: ParseRequest = { type: 'parse', id: requestId(), file, header: h, scan, reuse };
      return send<ParseResult>(pw, req, reuse.flatMap(entryBuffers));
    }, consume);
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

// Parses an array file's value lines on the parse workers (see mtx-parse-pool, array-run) and emits the
// values in file order as the column runs the single-threaded path emits (array-column-runs). Line
// numbers and the running value count are tracked here; a run that fails in a worker (or that would
// exceed the values the size line allows) is re-parsed on this thread by ArrayParser, so the InputError
// is exactly the single-threaded one (same line, same words).
import { CancelledError, type DenseSink } from '../matrix-source';
import { ArrayParser } from './mtx-body-parser';
import type { MtxHeader } from './mtx-header';
import { ColumnRuns } from './array-column-runs';
import { valueBuffers, type Values, type ValuesRequest, type ValuesResult } from './array-run';
import { getWorkers, parseRuns, requestId, send, type ParallelOptions } from './mtx-parse-pool';

export async function scanArrayParallel(path: string, h: MtxHeader, sink: DenseSink, o: ParallelOptions): Promise<void> {
  const workers = getWorkers(Math.max(1, o.workers));
  let line = h.dataLine;
  let count = 0;
  const signal = o.signal;
  const runs = new ColumnRuns(h, async (col, row, re, im) => {
    await sink.colRun(col, row, re, im);
    if (signal?.aborted) throw new CancelledError();
  });
  // A parser that goes on where the runs consumed so far end (for errors).
  const parserHere = (): ArrayParser => {
    const p = new ArrayParser(path, { ...h, dataLine: line });
    p.count = count;
    return p;
  };
  const reparse = (r: ValuesResult): never => {
    const p = parserHere(), b = new Uint8Array(r.buf, 0, r.len);
    for (let at = 0; at < r.len;) {
      at = p.parse(b, at, r.len);
      if (p.ready) p.consumed();
    }
    throw new Error(`${path}: a parse worker reported an error near line ${line} that could not be reproduced`);
  };
  // Value arrays go back to the workers with later runs (the column runs have copied them).
  const spare: Values[] = [];

  await parseRuns(path, h.dataOffset, workers, { ...o, tooLong: (off) => o.tooLong(line, off) }, (pw, buf, len) => {
    const reuse = spare.pop();
    const req: ValuesRequest = { type: 'values', id: requestId(), buf, len, header: h, reuse };
    return send<ValuesResult>(pw, req, [buf, ...(reuse ? valueBuffers(reuse) : [])]);
  }, async (r) => {
    if (r.error || count + r.count > h.declared) reparse(r);
    await runs.add(r.count, r.values.re, r.values.im);
    line += r.lines;
    count += r.count;
    spare.push(r.values);
    return r.buf;
  });
  if (signal?.aborted) throw new CancelledError();
  parserHere().finish(); // throws when values are missing
}

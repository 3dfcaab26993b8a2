// Parses an array file's value lines on the parse workers (see mtx-parse-pool, array-run) and emits the
// values in file order as the column runs the single-threaded path emits (array-column-runs). Line
// numbers and the running value count are tracked here; a run that fails in a worker (or that would
// exceed the values the size line allows) is re-parsed on this thread by ArrayParser, so the InputError
// is exactly the single-threaded one (same line, same words).
import { CancelledError, type DenseSink } from '../matrix-source';
import { ArrayParser } from './mtx-body-parser';
import type { MtxHeader } from './mtx-header';
import { readRunFile } from './run-file';
import { ColumnRuns } from './array-column-runs';
import { valueBuffers, type Values, type ValuesRequest, type ValuesResult } from './array-run';
import { getWorkers, parseRanges, requestId, send, type ParallelOptions } from './mtx-parse-pool';

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
    const p = parserHere(), b = readRunFile(r.file); // a read error is the error then
    for (let at = 0; at < b.length;) {
      at = p.parse(b, at, b.length);
      if (p.ready) p.consumed();
    }
    throw new Error(`${path}: a parse worker reported an error near line ${line} that could not be reproduced`);
  };
  // Value arrays go back to the workers with later runs (the column runs have copied them).
  const spare: Values[] = [];

  // The workers read their runs from the file themselves, straight into their kernel's memory.
  await parseRanges(path, h.dataOffset, workers, { ...o, tooLong: (off) => o.tooLong(line, off) }, (pw, file) => {
    const reuse = spare.pop();
    const req: ValuesRequest = { type: 'values', id: requestId(), file, header: h, reuse };
    return send<ValuesResult>(pw, req, reuse ? valueBuffers(reuse) : []);
  }, async (r) => {
    if (r.error || count + r.count > h.declared) reparse(r);
    await runs.add(r.count, r.values.re, r.values.im);
    line += r.lines;
    count += r.count;
    spare.push(r.values);
  });
  if (signal?.aborted) throw new CancelledError();
  parserHere().finish(); // throws when values are missing
}

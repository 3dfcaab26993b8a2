// worker_threads entry: parses one run of whole CSV lines into row-major values and sends them back
// (transferred, with the input bytes for reuse). The worker does not know the run's line numbers:
// on any error it only says so, and the main thread re-parses that run to throw the exact InputError.
import { parentPort } from 'node:worker_threads';
import { parseCsvRun, type RunDialect } from './parse-csv-run';

export interface CsvParseRequest { id: number; buf: ArrayBuffer; len: number; dialect: RunDialect }
export interface CsvParseResult { id: number; buf: ArrayBuffer; error: boolean; rows: number; lines: number; values?: Float64Array }

class RunFailed extends Error {}
const fail = (): never => { throw new RunFailed(); };

parentPort?.on('message', (m: CsvParseRequest) => {
  const t = Buffer.from(m.buf, 0, m.len);
  let result: CsvParseResult;
  const transfer: ArrayBuffer[] = [m.buf];
  try {
    const r = parseCsvRun(t, 0, m.len, m.dialect, 1, false, fail);
    result = { id: m.id, buf: m.buf, error: false, rows: r.rows, lines: r.lines, values: r.values };
    transfer.push(r.values.buffer as ArrayBuffer);
  } catch (e) {
    if (!(e instanceof RunFailed)) throw e;
    result = { id: m.id, buf: m.buf, error: true, rows: 0, lines: 0 };
  }
  parentPort!.postMessage(result, transfer);
});

// worker_threads entry: parses one run of whole coordinate lines into typed arrays and sends them back
// (transferred, with the input bytes so the main thread can reuse or re-parse them). The worker knows
// neither the global line number nor the running entry count: on any error it only says so, and the
// main thread re-parses that run itself to throw the exact same InputError as the single-threaded path.
import { parentPort } from 'node:worker_threads';
import type { EntryChunk } from '../matrix-source';
import { CoordinateParser } from './mtx-body-parser';
import type { MtxHeader } from './mtx-header';

export interface ParseRequest { id: number; buf: ArrayBuffer; len: number; header: MtxHeader }
export interface ParseResult {
  id: number;
  buf: ArrayBuffer;
  len: number;
  error: boolean;
  /** Lines in the run, entry lines in the run, entries emitted (after expansion). */
  lines: number;
  count: number;
  n: number;
  rows?: Uint32Array;
  cols?: Uint32Array;
  re?: Float64Array;
  im?: Float64Array;
}

function handle(m: ParseRequest): { result: ParseResult; transfer: ArrayBuffer[] } {
  const b = new Uint8Array(m.buf, 0, m.len);
  let nl = 0;
  for (let i = 0; i < m.len; i++) if (b[i] === 10) nl++;
  const symmetric = m.header.symmetry !== 'general';
  const cap = (symmetric ? 2 * nl : nl) + 2;
  const h: MtxHeader = { ...m.header, declared: Number.MAX_SAFE_INTEGER, dataLine: 1 };
  let out: EntryChunk | undefined;
  const parser = new CoordinateParser('', h, { entries(c) { out = c; } }, cap);
  try {
    parser.parse(b, 0, m.len);
    parser.flush();
  } catch {
    return { result: { id: m.id, buf: m.buf, len: m.len, error: true, lines: 0, count: 0, n: 0 }, transfer: [m.buf] };
  }
  const result: ParseResult = {
    id: m.id, buf: m.buf, len: m.len, error: false, lines: parser.line - 1, count: parser.count, n: parser.emitted,
    rows: out?.rows, cols: out?.cols, re: out?.re, im: out?.im,
  };
  const transfer = [m.buf];
  if (out) { transfer.push(out.rows.buffer as ArrayBuffer, out.cols.buffer as ArrayBuffer, out.re.buffer as ArrayBuffer); if (out.im) transfer.push(out.im.buffer as ArrayBuffer); }
  return { result, transfer };
}

parentPort?.on('message', (m: ParseRequest) => {
  const { result, transfer } = handle(m);
  parentPort!.postMessage(result, transfer);
});

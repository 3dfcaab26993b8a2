// worker_threads entry: parses one run of whole coordinate lines into typed arrays and sends them back
// (transferred, with the input bytes so the main thread can reuse or re-parse them). The worker knows
// neither the global line number nor the running entry count: on any error it only says so, and the
// main thread re-parses that run itself to throw the exact same InputError as the single-threaded path.
import { parentPort } from 'node:worker_threads';
import type { EntryChunk } from '../matrix-source';
import { CoordinateParser } from './mtx-body-parser';
import type { MtxHeader } from './mtx-header';

export interface ParseRequest { id: number; buf: ArrayBuffer; len: number; header: MtxHeader }
/** Entries of one run, in order, as one or more blocks. */
export interface EntryBlock { n: number; rows: Uint32Array; cols: Uint32Array; re: Float64Array; im?: Float64Array }
export interface ParseResult {
  id: number;
  buf: ArrayBuffer;
  len: number;
  error: boolean;
  /** Lines in the run, entry lines in the run, entries emitted (after expansion). */
  lines: number;
  count: number;
  n: number;
  blocks: EntryBlock[];
}

/** Output block size (entries): typical real-valued lines are 24+ bytes; a run with shorter lines fills several blocks. */
const blockCap = (len: number, symmetric: boolean): number => Math.max(1024, Math.ceil(len / 24) * (symmetric ? 2 : 1));

function handle(m: ParseRequest): { result: ParseResult; transfer: ArrayBuffer[] } {
  const b = new Uint8Array(m.buf, 0, m.len);
  const h: MtxHeader = { ...m.header, declared: Number.MAX_SAFE_INTEGER, dataLine: 1 };
  const blocks: EntryBlock[] = [];
  const transfer: ArrayBuffer[] = [m.buf];
  // The parser reuses its arrays after each sink call: take them over and give it fresh ones.
  let parser: CoordinateParser;
  const sink = {
    entries(c: EntryChunk) {
      blocks.push({ n: c.length, rows: c.rows, cols: c.cols, re: c.re, im: c.im });
      transfer.push(c.rows.buffer as ArrayBuffer, c.cols.buffer as ArrayBuffer, c.re.buffer as ArrayBuffer);
      if (c.im) transfer.push(c.im.buffer as ArrayBuffer);
      const cap = c.rows.length;
      c.rows = new Uint32Array(cap); c.cols = new Uint32Array(cap); c.re = new Float64Array(cap);
      if (c.im) c.im = new Float64Array(cap);
    },
  };
  parser = new CoordinateParser('', h, sink, blockCap(m.len, m.header.symmetry !== 'general'));
  try {
    parser.parse(b, 0, m.len);
    parser.flush();
  } catch {
    return { result: { id: m.id, buf: m.buf, len: m.len, error: true, lines: 0, count: 0, n: 0, blocks: [] }, transfer: [m.buf] };
  }
  return {
    result: { id: m.id, buf: m.buf, len: m.len, error: false, lines: parser.line - 1, count: parser.count, n: parser.emitted, blocks },
    transfer,
  };
}

parentPort?.on('message', (m: ParseRequest) => {
  const { result, transfer } = handle(m);
  parentPort!.postMessage(result, transfer);
});

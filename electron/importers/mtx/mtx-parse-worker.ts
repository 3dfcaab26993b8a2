// worker_threads entry: parses one run of whole coordinate lines into typed arrays and sends them back
// (transferred, with the input bytes so the main thread can reuse or re-parse them). The worker knows
// neither the global line number nor the running entry count: on any error it only says so, and the
// main thread re-parses that run itself to throw the exact same InputError as the single-threaded path.
// When asked to (`scan`), it also counts the entries per row and column for that scan, across runs, and
// hands the counts over on a CountsRequest: the store builder's counting pass then costs the main
// thread only a sum of one array per worker.
import { parentPort } from 'node:worker_threads';
import { countEntries, entryBuffers, type EntryChunk, type EntryCounts } from '../matrix-source';
import { CoordinateParser } from './mtx-body-parser';
import type { MtxHeader } from './mtx-header';

export interface ParseRequest {
  type: 'parse'; id: number; buf: ArrayBuffer; len: number; header: MtxHeader; scan?: number;
  /**
   * Output blocks of earlier runs, handed back for reuse (fresh memory costs a page fault per 4 KiB,
   * more than parsing into it): used when their capacity is this run's, returned in `spare` otherwise.
   */
  reuse?: EntryBlock[];
}
/** Asks for (and forgets) a scan's counts; answered in order, after every earlier request. */
export interface CountsRequest { type: 'counts'; id: number; scan: number }
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
  /** The request's `reuse` blocks this run did not need. */
  spare: EntryBlock[];
}
/** A scan's counts in this worker (undefined when it parsed nothing for that scan). */
export interface CountsResult { id: number; rows?: Uint32Array; cols?: Uint32Array }

/**
 * Output block size (entries): typical real-valued lines are 24+ bytes; a run with shorter lines fills
 * several blocks. Rounded up (to 1 Ki entries, 64 Ki above 64 Ki), so that the runs of one scan (all
 * about the read size) share one capacity and can reuse each other's blocks.
 */
export function blockCap(len: number, symmetric: boolean): number {
  const n = Math.ceil(len / 24) * (symmetric ? 2 : 1);
  const unit = n <= 65536 ? 1024 : 65536;
  return Math.max(1, Math.ceil(n / unit)) * unit;
}

const scans = new Map<number, EntryCounts>();

function countBlocks(scan: number, h: MtxHeader, blocks: EntryBlock[]): void {
  let c = scans.get(scan);
  if (!c) scans.set(scan, c = { rows: new Uint32Array(h.rows), cols: new Uint32Array(h.cols) });
  for (const b of blocks) countEntries(c, b.n, b.rows, b.cols);
}

function handle(m: ParseRequest): { result: ParseResult; transfer: ArrayBuffer[] } {
  const b = new Uint8Array(m.buf, 0, m.len);
  const h: MtxHeader = { ...m.header, declared: Number.MAX_SAFE_INTEGER, dataLine: 1 };
  const complex = m.header.field === 'complex';
  const cap = blockCap(m.len, m.header.symmetry !== 'general');
  const blocks: EntryBlock[] = [];
  const reuse: EntryBlock[] = [];
  const spare: EntryBlock[] = [];
  for (const blk of m.reuse ?? []) (blk.rows.length === cap && (blk.im !== undefined) === complex ? reuse : spare).push(blk);
  const fresh = (): EntryBlock => reuse.pop() ?? {
    n: 0, rows: new Uint32Array(cap), cols: new Uint32Array(cap), re: new Float64Array(cap), im: complex ? new Float64Array(cap) : undefined,
  };
  // The parser reuses its arrays after each sink call: take them over and give it another block's.
  let current = fresh();
  let last = false; // the final flush: the parser needs no more arrays after it
  const sink = {
    entries(c: EntryChunk) {
      blocks.push({ n: c.length, rows: c.rows, cols: c.cols, re: c.re, im: c.im });
      if (last) return;
      current = fresh();
      c.rows = current.rows; c.cols = current.cols; c.re = current.re; c.im = current.im;
    },
  };
  const parser = new CoordinateParser('', h, sink, cap, current);
  try {
    parser.parse(b, 0, m.len);
    last = true;
    const before = blocks.length;
    parser.flush();
    if (blocks.length === before) reuse.push(current); // the parser's arrays, left empty
  } catch {
    spare.push(...reuse, ...blocks);
    return { result: { id: m.id, buf: m.buf, len: m.len, error: true, lines: 0, count: 0, n: 0, blocks: [], spare }, transfer: [m.buf, ...spare.flatMap(entryBuffers)] };
  }
  spare.push(...reuse);
  if (m.scan !== undefined) countBlocks(m.scan, m.header, blocks);
  return {
    result: { id: m.id, buf: m.buf, len: m.len, error: false, lines: parser.line - 1, count: parser.count, n: parser.emitted, blocks, spare },
    transfer: [m.buf, ...blocks.flatMap(entryBuffers), ...spare.flatMap(entryBuffers)],
  };
}

parentPort?.on('message', (m: ParseRequest | CountsRequest) => {
  if (m.type === 'counts') {
    const c = scans.get(m.scan);
    scans.delete(m.scan);
    const r: CountsResult = { id: m.id, rows: c?.rows, cols: c?.cols };
    parentPort!.postMessage(r, c ? [c.rows.buffer as ArrayBuffer, c.cols.buffer as ArrayBuffer] : []);
    return;
  }
  const { result, transfer } = handle(m);
  parentPort!.postMessage(result, transfer);
});

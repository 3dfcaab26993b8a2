// worker_threads entry: parses one run of whole coordinate lines into typed arrays on shared memory and
// sends them back (with the input bytes, transferred, so the main thread can reuse or re-parse them). The worker knows
// neither the global line number nor the running entry count: on any error it only says so, and the
// main thread re-parses that run itself to throw the exact same InputError as the single-threaded path.
// When asked to (`scan`), it also counts the entries per row and column for that scan, across runs, and
// hands the counts over on a CountsRequest: the store builder's counting pass then costs the main
// thread only a sum of one array per worker.
import { parentPort } from 'node:worker_threads';
import type { EntryChunk } from '../matrix-source';
import { CoordinateParser } from './mtx-body-parser';
import type { MtxHeader } from './mtx-header';

export interface ParseRequest { type: 'parse'; id: number; buf: ArrayBuffer; len: number; header: MtxHeader; scan?: number }
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
}
/** A scan's counts in this worker (undefined when it parsed nothing for that scan). */
export interface CountsResult { id: number; rows?: Uint32Array; cols?: Uint32Array }

/** Output block size (entries): typical real-valued lines are 24+ bytes; a run with shorter lines fills several blocks. */
const blockCap = (len: number, symmetric: boolean): number => Math.max(1024, Math.ceil(len / 24) * (symmetric ? 2 : 1));

const scans = new Map<number, { rows: Uint32Array; cols: Uint32Array }>();

function countBlocks(scan: number, h: MtxHeader, blocks: EntryBlock[]): void {
  let c = scans.get(scan);
  if (!c) scans.set(scan, c = { rows: new Uint32Array(h.rows), cols: new Uint32Array(h.cols) });
  const rc = c.rows, cc = c.cols;
  for (const b of blocks) {
    const R = b.rows, C = b.cols;
    for (let i = 0, n = b.n; i < n; i++) { rc[R[i]]++; cc[C[i]]++; }
  }
}

/** A copy of the first n elements of `a` (or n fresh zeros) on shared memory. */
function shared<T extends Uint32Array | Float64Array>(a: T, n: number, copy: boolean): T {
  const ctor = a.constructor as { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };
  const t = new ctor(new SharedArrayBuffer(n * ctor.BYTES_PER_ELEMENT));
  if (copy) t.set(a.subarray(0, n) as never);
  return t;
}

function handle(m: ParseRequest): { result: ParseResult; transfer: ArrayBuffer[] } {
  const b = new Uint8Array(m.buf, 0, m.len);
  const h: MtxHeader = { ...m.header, declared: Number.MAX_SAFE_INTEGER, dataLine: 1 };
  const blocks: EntryBlock[] = [];
  // The parser reuses its arrays after each sink call: take them over and give it fresh ones. They are
  // on shared memory, so that the receiver can keep them and share them with other threads (the store
  // builder builds the CSC on a worker of its own from them).
  const fresh = (c: EntryChunk, cap: number): void => {
    c.rows = shared(c.rows, cap, false); c.cols = shared(c.cols, cap, false); c.re = shared(c.re, cap, false);
    if (c.im) c.im = shared(c.im, cap, false);
  };
  let parser: CoordinateParser;
  let last = false; // the final flush: the parser needs no fresh arrays after it
  const sink = {
    entries(c: EntryChunk) {
      const n = c.length, cap = c.rows.length;
      // A receiver may keep the blocks (owned chunks): a mostly empty one is sent as a right-sized copy.
      if (2 * n >= cap) {
        blocks.push({ n, rows: c.rows, cols: c.cols, re: c.re, im: c.im });
        if (!last) fresh(c, cap);
      } else {
        blocks.push({ n, rows: shared(c.rows, n, true), cols: shared(c.cols, n, true), re: shared(c.re, n, true), im: c.im && shared(c.im, n, true) });
      }
    },
  };
  parser = new CoordinateParser('', h, sink, blockCap(m.len, m.header.symmetry !== 'general'));
  fresh(parser.chunk, parser.chunk.rows.length);
  try {
    parser.parse(b, 0, m.len);
    last = true;
    parser.flush();
  } catch {
    return { result: { id: m.id, buf: m.buf, len: m.len, error: true, lines: 0, count: 0, n: 0, blocks: [] }, transfer: [m.buf] };
  }
  if (m.scan !== undefined) countBlocks(m.scan, m.header, blocks);
  return {
    result: { id: m.id, buf: m.buf, len: m.len, error: false, lines: parser.line - 1, count: parser.count, n: parser.emitted, blocks },
    transfer: [m.buf],
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

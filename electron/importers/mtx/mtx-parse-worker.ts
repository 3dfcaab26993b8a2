// worker_threads entry: reads one run of whole coordinate lines from the file (straight into the
// kernel's memory), parses it into typed arrays and sends them back (transferred). The worker knows
// neither the global line number nor the running entry count: on any error (a read error too) it only
// says so, and the main thread re-reads and re-parses that run itself to throw the exact same error as
// the single-threaded path.
// When asked to (`scan`), it also counts the entries per row and column for that scan, across runs, and
// hands the counts over on a CountsRequest: the store builder's counting pass then costs the main
// thread only a sum of one array per worker.
// Runs are parsed by the WebAssembly kernel (coordinate-kernel) where it can run, else by the JS parser:
// the same entries either way. Runs of array files (ValuesRequest) are parsed by array-run.
import { parentPort } from 'node:worker_threads';
import { addCounts, countEntries, entryBuffers, type EntryChunk, type EntryCounts } from '../matrix-source';
import { parseValuesRun, type ValuesRequest } from './array-run';
import { CoordinateKernel } from './coordinate-kernel';
import { CoordinateParser } from './mtx-body-parser';
import { readRunFile, type RunFile } from './run-file';
import type { MtxHeader } from './mtx-header';

export interface ParseRequest {
  /** The run of lines to parse, read here from the file. */
  type: 'parse'; id: number; file: RunFile; header: MtxHeader; scan?: number;
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
  /** The request's run. */
  file: RunFile;
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

/** Adds counts (the caller's own arrays, not kept) to a scan's. */
function addScanCounts(scan: number, src: EntryCounts): void {
  const c = scans.get(scan);
  if (c) addCounts(c, src); else scans.set(scan, src);
}

let kernel: CoordinateKernel | null = null;
let kernelKey = '';
/** A kernel bigger than this (counts of a huge matrix) is dropped when the worker has been idle a while. */
const KEEP_BYTES = 64 << 20;
let idle: NodeJS.Timeout | undefined;
/** The kernel for files like `h` (one at a time: a worker parses one file's runs after another's). */
function kernelFor(h: MtxHeader): CoordinateKernel | null {
  const key = `${h.rows} ${h.cols} ${h.field} ${h.symmetry}`;
  if (key !== kernelKey) {
    settleKernelCounts();
    kernel = CoordinateKernel.create(h);
    kernelKey = key;
  }
  if (idle) clearTimeout(idle);
  if (kernel && kernel.bytes > KEEP_BYTES) {
    idle = setTimeout(() => { settleKernelCounts(); kernel = null; kernelKey = ''; }, 1000);
    idle.unref();
  }
  return kernel;
}
/** Moves the counts the kernel holds into its scan's (the kernel then counts nothing). */
function settleKernelCounts(): void {
  if (kernel?.countsScan === undefined) return;
  addScanCounts(kernel.countsScan, kernel.counts());
  kernel.startCounting(undefined);
}

/** Output blocks of one run: reused ones first, then fresh ones; `spare` collects what goes back unused. */
class Blocks {
  readonly filled: EntryBlock[] = [];
  readonly spare: EntryBlock[] = [];
  private readonly reuse: EntryBlock[] = [];
  constructor(readonly cap: number, private readonly complex: boolean, given: EntryBlock[] = []) {
    for (const blk of given) (blk.rows.length === cap && (blk.im !== undefined) === complex ? this.reuse : this.spare).push(blk);
  }
  fresh(): EntryBlock {
    const b = this.reuse.pop();
    if (b) { b.n = 0; return b; }
    const cap = this.cap;
    return { n: 0, rows: new Uint32Array(cap), cols: new Uint32Array(cap), re: new Float64Array(cap), im: this.complex ? new Float64Array(cap) : undefined };
  }
  /** The reply: `blocks` filled (none after an error), the rest back as spare. */
  reply(m: ParseRequest, r: { lines: number; count: number; n: number } | null, leftover: EntryBlock[] = []): { result: ParseResult; transfer: ArrayBuffer[] } {
    const blocks = r ? this.filled : [];
    const spare = [...this.spare, ...leftover, ...this.reuse, ...(r ? [] : this.filled)];
    const result: ParseResult = { id: m.id, file: m.file, error: !r, lines: r?.lines ?? 0, count: r?.count ?? 0, n: r?.n ?? 0, blocks, spare };
    return { result, transfer: [...blocks.flatMap(entryBuffers), ...spare.flatMap(entryBuffers)] };
  }
}

/** Parses a run with the kernel; null when the kernel cannot take it (see parseRun). */
function parseWithKernel(k: CoordinateKernel, m: ParseRequest, out: Blocks): { result: ParseResult; transfer: ArrayBuffer[] } | null {
  if (k.countsScan !== m.scan) { settleKernelCounts(); k.startCounting(m.scan); }
  let current = out.fresh();
  let r: ReturnType<CoordinateKernel['parseRun']>;
  try {
    r = k.parseRun(m.file, (n, R, C, RE, IM) => {
      for (let at = 0; at < n;) {
        const take = Math.min(n - at, out.cap - current.n);
        const o = current.n;
        current.rows.set(R.subarray(at, at + take), o);
        current.cols.set(C.subarray(at, at + take), o);
        current.re.set(RE.subarray(at, at + take), o);
        if (IM) current.im!.set(IM.subarray(at, at + take), o);
        current.n += take;
        at += take;
        if (current.n === out.cap) { out.filled.push(current); current = out.fresh(); }
      }
    });
  } catch {
    return out.reply(m, null, [current]);
  }
  if (!r) { out.spare.push(current); return null; }
  if (current.n > 0) out.filled.push(current); else out.spare.push(current);
  return out.reply(m, r);
}

/** Parses a run with the JS parser, then counts its entries (when asked to). */
function parseWithJs(m: ParseRequest, out: Blocks): { result: ParseResult; transfer: ArrayBuffer[] } {
  const h: MtxHeader = { ...m.header, declared: Number.MAX_SAFE_INTEGER, dataLine: 1 };
  // The parser reuses its arrays after each sink call: take them over and give it another block's.
  let current = out.fresh();
  let last = false; // the final flush: the parser needs no more arrays after it
  const sink = {
    entries(c: EntryChunk) {
      out.filled.push({ n: c.length, rows: c.rows, cols: c.cols, re: c.re, im: c.im });
      if (last) return;
      current = out.fresh();
      c.rows = current.rows; c.cols = current.cols; c.re = current.re; c.im = current.im;
    },
  };
  const parser = new CoordinateParser('', h, sink, out.cap, current);
  try {
    const bytes = readRunFile(m.file);
    parser.parse(bytes, 0, bytes.length);
    last = true;
    const before = out.filled.length;
    parser.flush();
    if (out.filled.length === before) out.spare.push(current); // the parser's arrays, left empty
  } catch {
    return out.reply(m, null);
  }
  if (m.scan !== undefined) countBlocks(m.scan, m.header, out.filled);
  return out.reply(m, { lines: parser.line - 1, count: parser.count, n: parser.emitted });
}

function handle(m: ParseRequest): { result: ParseResult; transfer: ArrayBuffer[] } {
  const out = new Blocks(blockCap(m.file.len, m.header.symmetry !== 'general'), m.header.field === 'complex', m.reuse);
  const k = kernelFor(m.header);
  return (k && parseWithKernel(k, m, out)) || parseWithJs(m, out);
}

parentPort?.on('message', (m: ParseRequest | CountsRequest | ValuesRequest) => {
  if (m.type === 'counts') {
    if (kernel?.countsScan === m.scan) settleKernelCounts();
    const c = scans.get(m.scan);
    scans.delete(m.scan);
    const r: CountsResult = { id: m.id, rows: c?.rows, cols: c?.cols };
    parentPort!.postMessage(r, c ? [c.rows.buffer as ArrayBuffer, c.cols.buffer as ArrayBuffer] : []);
    return;
  }
  const { result, transfer } = m.type === 'values' ? parseValuesRun(m) : handle(m);
  parentPort!.postMessage(result, transfer);
});

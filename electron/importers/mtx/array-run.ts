// One run of whole value lines of an array file, parsed in a parse worker (mtx-parse-worker): its values
// in file order, by the WebAssembly kernel (array-kernel) where it can run, else by the JS ArrayParser.
// The worker knows neither the global line number nor the running value count: on any error it only
// says so, and the main thread re-parses that run itself (see mtx-array-parallel-scan).
import { ArrayKernel, runValueParser } from './array-kernel';
import type { MtxHeader } from './mtx-header';
import { readRunFile, type RunFile } from './run-file';

/** Values of a run (the first `count` of each array); `im` for complex files. */
export interface Values { re: Float64Array; im?: Float64Array }
export interface ValuesRequest {
  /** The run of lines to parse, read here from the file (straight into the kernel's memory). */
  type: 'values'; id: number; file: RunFile; header: MtxHeader;
  /** The arrays of an earlier run, handed back for reuse (fresh memory costs a page fault per 4 KiB). */
  reuse?: Values;
}
export interface ValuesResult {
  id: number; file: RunFile; error: boolean;
  /** Lines and value lines in the run. */
  lines: number; count: number;
  values: Values;
}

/** The arrays' buffers, to transfer. */
export const valueBuffers = (v: Values): ArrayBuffer[] => (v.im ? [v.re.buffer, v.im.buffer] : [v.re.buffer]) as ArrayBuffer[];

/** Values appended in order, in arrays that grow as needed. */
class Growing implements Values {
  n = 0;
  re: Float64Array;
  im?: Float64Array;
  constructor(cap: number, complex: boolean, given?: Values) {
    const fits = given && given.re.length >= cap && (given.im !== undefined) === complex;
    this.re = fits ? given.re : new Float64Array(cap);
    this.im = fits ? given.im : complex ? new Float64Array(cap) : undefined;
  }
  append(n: number, re: Float64Array, im: Float64Array | undefined): void {
    if (this.n + n > this.re.length) {
      const cap = Math.max(2 * this.re.length, this.n + n);
      const grow = (a: Float64Array) => { const b = new Float64Array(cap); b.set(a.subarray(0, this.n)); return b; };
      this.re = grow(this.re);
      if (this.im) this.im = grow(this.im);
    }
    this.re.set(re.subarray(0, n), this.n);
    if (im) this.im!.set(im.subarray(0, n), this.n);
    this.n += n;
  }
}

let kernel: ArrayKernel | null = null;
let kernelField = '';
/** The kernel for files of `h`'s field (kept for the next run). */
function kernelFor(h: MtxHeader): ArrayKernel | null {
  if (h.field !== kernelField) { kernel = ArrayKernel.create(h); kernelField = h.field; }
  return kernel;
}

/** Parses a run with the JS parser. */
function parseWithJs(h: MtxHeader, b: Uint8Array, out: Growing): { lines: number; count: number } {
  const p = runValueParser(h, 65536);
  for (let at = 0; at < b.length;) {
    at = p.parse(b, at, b.length);
    if (p.ready) { out.append(p.runLength, p.re, p.im); p.consumed(); }
  }
  out.append(p.runLength, p.re, p.im);
  return { lines: p.line - 1, count: p.count };
}

/** Parses the run of `m`, with `kernel` where there is one (default: this worker's for the file's field). */
export function parseValuesRun(m: ValuesRequest, kernel = kernelFor(m.header)): { result: ValuesResult; transfer: ArrayBuffer[] } {
  const h = m.header;
  // most value lines take 8+ bytes ("-0.1234\n"): one allocation for common runs, growth for the rest;
  // rounded up (to 1 Ki values, 64 Ki above 64 Ki), so that the runs of a scan (all about the read
  // size) reuse each other's arrays
  const est = Math.ceil(m.file.len / 8), unit = est <= 65536 ? 1024 : 65536;
  const out = new Growing(Math.max(1, Math.ceil(est / unit)) * unit, h.field === 'complex', m.reuse);
  let r: { lines: number; count: number } | null = null;
  let error = false;
  try {
    r = kernel?.parseRun(m.file, (n, re, im) => out.append(n, re, im)) ?? null;
    if (!r) { out.n = 0; r = parseWithJs(h, readRunFile(m.file), out); }
  } catch {
    error = true; // a read error too: the main thread re-reads the run
  }
  const values = { re: out.re, im: out.im };
  const result: ValuesResult = { id: m.id, file: m.file, error, lines: r?.lines ?? 0, count: r?.count ?? 0, values };
  return { result, transfer: valueBuffers(values) };
}

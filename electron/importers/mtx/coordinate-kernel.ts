// Coordinate entry lines parsed by WebAssembly (coordinate-kernel.wat), for the parse workers: the
// common lines at several times the JS parser's speed, with identical entries. A line the kernel leaves
// (comments after an entry, inf/nan, > 19 significant digits, rare rounding cases, every error) is parsed
// by the JS CoordinateParser, one line, and the kernel goes on after it: results, order and errors are
// exactly the JS parser's. The kernel also counts entries per row and column as it goes (see counting).
import { CoordinateParser } from './mtx-body-parser';
import type { MtxHeader } from './mtx-header';
import { LARGEST_POW10, POW5_LIMBS, SMALLEST_POW10 } from '../text/parse-decimal';
import { WASM_BASE64 } from './coordinate-kernel.wasm';
import { WASM_PAGE as PAGE, lazyModule, wasm, type WasmMemory, type WasmModule } from '../../wasm/wasm-module';

interface WasmGlobal { value: number }
interface Exports {
  memory: WasmMemory;
  setup(pow5: number, p10: number, rows: number, cols: number, re: number, im: number,
    cap: number, kind: number, sym: number, R: number, C: number): void;
  counting(rc: number, cc: number, rh: number, ch: number): void;
  parse(p: number, end: number): number;
  tally(n: number): void;
  n: WasmGlobal; lines: WasmGlobal; count: WasmGlobal; stop: WasmGlobal;
}
/** Entries the kernel parses between two hand-overs (its output arrays stay in the CPU cache). */
const CAP = 1 << 16;
/** Most memory a kernel may take (counts + input); bigger matrices keep the JS parser. */
const MAX_BYTES = 1.5 * 2 ** 30;
const STOP_FULL = 1, STOP_JS = 2;

const kernelModule = lazyModule(WASM_BASE64);

const align = (bytes: number) => Math.ceil(bytes / 64) * 64;
const KIND: Record<string, number> = { real: 0, double: 0, integer: 1, pattern: 2, complex: 3 };
const SYM: Record<string, number> = { general: 0, symmetric: 1, 'skew-symmetric': 2, hermitian: 3 };

/** Receives each batch of parsed entries, in file order (views valid until the call returns). */
export type KernelOutput = (n: number, rows: Uint32Array, cols: Uint32Array, re: Float64Array, im: Float64Array | undefined) => void;

export class CoordinateKernel {
  private readonly x: Exports;
  private readonly at: { rows: number; cols: number; re: number; im: number; rc: number; cc: number; rh: number; ch: number; input: number };
  private readonly complex: boolean;
  private readonly line: CoordinateParser;
  /** The entries of the line the JS parser just read (at most two). */
  private lineEntries: { n: number; rows: Uint32Array; cols: Uint32Array; re: Float64Array; im?: Float64Array } =
    { n: 0, rows: new Uint32Array(0), cols: new Uint32Array(0), re: new Float64Array(0) };
  /** The scan whose counts the kernel's count arrays hold (undefined: none). */
  countsScan: number | undefined;

  /** A kernel for the entry lines of files with header `h`, or null where it cannot run (then use the JS parser). */
  static create(h: MtxHeader): CoordinateKernel | null {
    const mod = kernelModule();
    if (!mod || !wasm || KIND[h.field] === undefined || SYM[h.symmetry] === undefined) return null;
    if (6 * (h.rows + h.cols) + 2 * CAP * 24 > MAX_BYTES || h.rows > 2 ** 32 || h.cols > 2 ** 32) return null;
    try { return new CoordinateKernel(h, mod); } catch { return null; }
  }

  private constructor(private readonly h: MtxHeader, mod: WasmModule) {
    this.x = new wasm!.Instance(mod, {}).exports as unknown as Exports;
    this.complex = h.field === 'complex';
    const pow5 = 0, pow5Bytes = 16 * (LARGEST_POW10 - SMALLEST_POW10 + 1);
    const p10 = align(pow5 + pow5Bytes);
    const rows = align(p10 + 23 * 8), cols = align(rows + 4 * CAP), re = align(cols + 4 * CAP), im = align(re + 8 * CAP);
    const rc = align(im + 8 * CAP), cc = align(rc + 2 * h.rows), rh = align(cc + 2 * h.cols), ch = align(rh + 4 * h.rows);
    const input = align(ch + 4 * h.cols);
    this.at = { rows, cols, re, im, rc, cc, rh, ch, input };
    if (!this.ensure(input + 1)) throw new RangeError('no memory for the coordinate kernel');
    const mem = this.x.memory.buffer;
    // POW5 entries: high 64 bits, then low 64 bits (16-bit limbs, least significant first, little-endian).
    const limbs = new Uint16Array(mem, pow5, pow5Bytes / 2);
    for (let k = 0; k < pow5Bytes / 16; k++) {
      for (let t = 0; t < 4; t++) { limbs[8 * k + t] = POW5_LIMBS[8 * k + 4 + t]; limbs[8 * k + 4 + t] = POW5_LIMBS[8 * k + t]; }
    }
    const tens = new Float64Array(mem, p10, 23);
    for (let i = 0, v = 1; i < 23; i++, v *= 10) tens[i] = v; // 10^0..10^22 are exact doubles
    this.x.setup(pow5, p10, rows, cols, re, im, CAP, KIND[h.field], SYM[h.symmetry], h.rows, h.cols);
    this.line = new CoordinateParser('', { ...h, declared: Number.MAX_SAFE_INTEGER, dataLine: 1 }, {
      entries: (c) => { this.lineEntries = { n: c.length, rows: c.rows, cols: c.cols, re: c.re, im: c.im }; },
    }, 4);
  }

  /** Grows the memory to at least `bytes`; false when it cannot. */
  private ensure(bytes: number): boolean {
    const have = this.x.memory.buffer.byteLength;
    if (bytes <= have) return true;
    try { this.x.memory.grow(Math.ceil((bytes - have) / PAGE)); return true; } catch { return false; }
  }

  /** Bytes of memory the kernel holds. */
  get bytes(): number { return this.x.memory.buffer.byteLength; }

  /** Counts per row and column so far (new arrays). */
  counts(): { rows: Uint32Array; cols: Uint32Array } {
    const mem = this.x.memory.buffer, at = this.at, h = this.h;
    const whole = (lo: number, hi: number, n: number): Uint32Array => {
      const out = new Uint32Array(n), l = new Uint16Array(mem, lo, n), w = new Uint32Array(mem, hi, n);
      for (let i = 0; i < n; i++) out[i] = l[i] + w[i] * 65536;
      return out;
    };
    return { rows: whole(at.rc, at.rh, h.rows), cols: whole(at.cc, at.ch, h.cols) };
  }

  /** The count arrays may hold counts (fresh memory is zero: no need to clear it, and touch its pages). */
  private countsUsed = false;

  /** Starts counting for `scan` from zero (undefined: stops counting). */
  startCounting(scan: number | undefined): void {
    this.countsScan = scan;
    const at = this.at;
    if (scan === undefined) { this.x.counting(0, 0, 0, 0); return; }
    if (this.countsUsed) new Uint8Array(this.x.memory.buffer, at.rc, at.input - at.rc).fill(0);
    this.countsUsed = true;
    this.x.counting(at.rc, at.cc, at.rh, at.ch);
  }

  /**
   * Parses `bytes` (whole lines, the last ending in '\n'), handing the entries to `out` in order; counts
   * them when counting. Returns the lines, entry lines and entries (after symmetry expansion) it read,
   * and how many lines the JS parser read; null, before parsing anything, when the kernel cannot take
   * a run that long (no memory): the caller parses it with the JS parser.
   * Throws the JS parser's error for a line that is not a valid entry (its line number is relative to
   * the run: the caller re-parses the run to report the real one).
   */
  parseRun(bytes: Uint8Array, out: KernelOutput): { lines: number; count: number; n: number; jsLines: number } | null {
    const len = bytes.length;
    const x = this.x, at = this.at;
    if (at.input + len + 1 > 2 ** 32 - PAGE || !this.ensure(at.input + len + 1)) return null;
    const mem = x.memory.buffer;
    const input = new Uint8Array(mem, at.input, len + 1);
    input.set(bytes);
    input[len] = 10; // a sentinel: no scan can run past the end
    const rows = new Uint32Array(mem, at.rows, CAP), cols = new Uint32Array(mem, at.cols, CAP);
    const re = new Float64Array(mem, at.re, CAP), im = this.complex ? new Float64Array(mem, at.im, CAP) : undefined;
    x.n.value = 0; x.lines.value = 0; x.count.value = 0;
    let lines = 0, count = 0, emitted = 0;
    let p = 0;
    for (;;) {
      p = x.parse(at.input + p, at.input + len) - at.input;
      const stop = x.stop.value;
      if (stop === STOP_JS) {
        // one line for the JS parser (which throws if it is not a valid entry)
        let e = p;
        while (input[e] !== 10) e++;
        const L = this.line;
        const before = L.count;
        L.parse(input, p, e + 1);
        L.flush();
        const got = this.lineEntries;
        let n = x.n.value;
        for (let k = 0; k < got.n; k++, n++) {
          rows[n] = got.rows[k]; cols[n] = got.cols[k]; re[n] = got.re[k];
          if (im) im[n] = got.im![k];
        }
        this.lineEntries.n = 0;
        x.n.value = n;
        lines++;
        count += L.count - before;
        p = e + 1;
      }
      // the entries so far go out when the arrays are full and at the end
      if (stop === STOP_FULL || p >= len) {
        const n = x.n.value;
        x.tally(n);
        if (n > 0) out(n, rows, cols, re, im);
        emitted += n;
        x.n.value = 0;
      }
      if (p >= len) break;
    }
    return { lines: lines + x.lines.value, count: count + x.count.value, n: emitted, jsLines: lines };
  }
}

// Coordinate entry lines parsed by WebAssembly (coordinate-kernel.wat), for the parse workers: the
// common lines at several times the JS parser's speed, with identical entries. A line the kernel leaves
// (comments after an entry, inf/nan, > 19 significant digits, rare rounding cases, every error) is parsed
// by the JS CoordinateParser, one line, and the kernel goes on after it: results, order and errors are
// exactly the JS parser's. The kernel also counts entries per row and column as it goes (see counting).
import { CoordinateParser } from './mtx-body-parser';
import type { MtxHeader } from './mtx-header';
import type { RunFile } from './run-file';
import { CAP, KIND, MtxKernel, align, kernelModule } from './mtx-kernel';
import { wasm, type WasmModule } from '../../wasm/wasm-module';

/** Most memory a kernel may take (counts + input); bigger matrices keep the JS parser. */
const MAX_BYTES = 1.5 * 2 ** 30;
const SYM: Record<string, number> = { general: 0, symmetric: 1, 'skew-symmetric': 2, hermitian: 3 };

/** Receives each batch of parsed entries, in file order (views valid until the call returns). */
export type KernelOutput = (n: number, rows: Uint32Array, cols: Uint32Array, re: Float64Array, im: Float64Array | undefined) => void;

export class CoordinateKernel extends MtxKernel {
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
    super(mod);
    this.complex = h.field === 'complex';
    const rows = MtxKernel.FREE, cols = align(rows + 4 * CAP), re = align(cols + 4 * CAP), im = align(re + 8 * CAP);
    const rc = align(im + 8 * CAP), cc = align(rc + 2 * h.rows), rh = align(cc + 2 * h.cols), ch = align(rh + 4 * h.rows);
    const input = align(ch + 4 * h.cols);
    this.at = { rows, cols, re, im, rc, cc, rh, ch, input };
    if (!this.ensure(input + 1)) throw new RangeError('no memory for the coordinate kernel');
    this.setup(this.at, KIND[h.field], SYM[h.symmetry], h.rows, h.cols);
    this.line = new CoordinateParser('', { ...h, declared: Number.MAX_SAFE_INTEGER, dataLine: 1 }, {
      entries: (c) => { this.lineEntries = { n: c.length, rows: c.rows, cols: c.cols, re: c.re, im: c.im }; },
    }, 4);
  }

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
   * Parses `bytes` (whole lines, the last ending in '\n'; or the file run they name, read straight into
   * the kernel's memory), handing the entries to `out` in order; counts
   * them when counting. Returns the lines, entry lines and entries (after symmetry expansion) it read,
   * and how many lines the JS parser read; null, before parsing anything, when the kernel cannot take
   * a run that long (no memory): the caller parses it with the JS parser.
   * Throws the JS parser's error for a line that is not a valid entry (its line number is relative to
   * the run: the caller re-parses the run to report the real one).
   */
  parseRun(bytes: Uint8Array | RunFile, out: KernelOutput): { lines: number; count: number; n: number; jsLines: number } | null {
    const x = this.x, at = this.at;
    const input = this.load(bytes, at.input);
    if (!input) return null;
    const mem = x.memory.buffer;
    const rows = new Uint32Array(mem, at.rows, CAP), cols = new Uint32Array(mem, at.cols, CAP);
    const re = new Float64Array(mem, at.re, CAP), im = this.complex ? new Float64Array(mem, at.im, CAP) : undefined;
    const L = this.line;
    let emitted = 0;
    const r = this.run(input, at.input, (p, end) => x.parse(p, end), (p, end) => {
      const before = L.count;
      L.parse(input, p, end);
      L.flush();
      const got = this.lineEntries;
      let n = x.n.value;
      for (let k = 0; k < got.n; k++, n++) {
        rows[n] = got.rows[k]; cols[n] = got.cols[k]; re[n] = got.re[k];
        if (im) im[n] = got.im![k];
      }
      this.lineEntries.n = 0;
      x.n.value = n;
      return L.count - before;
    }, () => {
      const n = x.n.value;
      x.tally(n);
      if (n > 0) out(n, rows, cols, re, im);
      emitted += n;
      x.n.value = 0;
    });
    return { ...r, n: emitted };
  }
}

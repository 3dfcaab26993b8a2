// Array value lines parsed by WebAssembly (parseArray in coordinate-kernel.wat), for the parse workers:
// a run's values in file order, identical to the JS ArrayParser's. A line the kernel leaves (a comment
// after the value, inf/nan, > 19 significant digits, rare rounding cases, every error) is parsed by the
// JS ArrayParser, one line, and the kernel goes on after it. Columns are the main thread's business: a
// run only knows its values (see mtx-array-parallel-scan).
import { ArrayParser } from './mtx-body-parser';
import type { MtxHeader } from './mtx-header';
import type { RunFile } from './run-file';
import { CAP, KIND, MtxKernel, align, kernelModule } from './mtx-kernel';
import { wasm, type WasmModule } from '../../wasm/wasm-module';

/** Receives each batch of parsed values, in file order (views valid until the call returns). */
export type ValuesOutput = (n: number, re: Float64Array, im: Float64Array | undefined) => void;

/**
 * A JS parser of the value lines of a run of an array file with header `h`: values in file order, a
 * ready run every `runSize` values (no columns, no limit on the count; line numbers from 1).
 */
export function runValueParser(h: MtxHeader, runSize: number): ArrayParser {
  const MAX = Number.MAX_SAFE_INTEGER;
  return new ArrayParser('', { ...h, symmetry: 'general', rows: MAX, cols: 1, declared: MAX, dataLine: 1 }, runSize);
}

export class ArrayKernel extends MtxKernel {
  private readonly at: { re: number; im: number; input: number };
  private readonly complex: boolean;
  /** Parses the one line the kernel leaves. */
  private readonly line: ArrayParser;

  /** A kernel for the value lines of array files with header `h`, or null where it cannot run (then use the JS parser). */
  static create(h: MtxHeader): ArrayKernel | null {
    const mod = kernelModule();
    if (!mod || !wasm || h.format !== 'array' || KIND[h.field] === undefined || h.field === 'pattern') return null;
    try { return new ArrayKernel(h, mod); } catch { return null; }
  }

  private constructor(h: MtxHeader, mod: WasmModule) {
    super(mod);
    this.complex = h.field === 'complex';
    const re = MtxKernel.FREE, im = align(re + 8 * CAP), input = align(im + 8 * CAP);
    this.at = { re, im, input };
    if (!this.ensure(input + 1)) throw new RangeError('no memory for the array kernel');
    this.setup({ rows: 0, cols: 0, re, im }, KIND[h.field], 0, 0, 0);
    this.line = runValueParser(h, 1);
  }

  /**
   * Parses `bytes` (whole lines, the last ending in '\n'; or the file run they name), handing the values to `out` in order. Returns
   * the lines and value lines it read, and how many lines the JS parser read; null, before parsing
   * anything, when the kernel cannot take a run that long (no memory): the caller parses it with the JS
   * parser. Throws the JS parser's error for a line that is not a valid value line (its line number is
   * relative to the run: the caller re-parses the run to report the real one).
   */
  parseRun(bytes: Uint8Array | RunFile, out: ValuesOutput): { lines: number; count: number; jsLines: number } | null {
    const x = this.x, at = this.at;
    const input = this.load(bytes, at.input);
    if (!input) return null;
    const mem = x.memory.buffer;
    const re = new Float64Array(mem, at.re, CAP), im = this.complex ? new Float64Array(mem, at.im, CAP) : undefined;
    const L = this.line;
    return this.run(input, at.input, (p, end) => x.parseArray(p, end), (p, end) => {
      L.parse(input, p, end);
      const n = x.n.value;
      re[n] = L.re[0];
      if (im) im[n] = L.im![0];
      L.consumed();
      x.n.value = n + 1;
      return 1;
    }, () => {
      const n = x.n.value;
      if (n > 0) out(n, re, im);
      x.n.value = 0;
    });
  }
}

// The WebAssembly kernel of coordinate-kernel.wat as its two users share it (coordinate-kernel.ts for
// coordinate lines, array-kernel.ts for array lines): an instance with its number tables in place, its
// memory, and the loop that runs it over a run of whole lines, handing each line it leaves to the JS
// parser (so values, order and errors are the JS parser's) and its output over when full and at the end.
import { LARGEST_POW10, POW5_LIMBS, SMALLEST_POW10 } from '../text/parse-decimal';
import { WASM_BASE64 } from './coordinate-kernel.wasm';
import { readRunInto, runBytes, type RunFile } from './run-file';
import { WASM_PAGE as PAGE, lazyModule, wasm, type WasmMemory, type WasmModule } from '../../wasm/wasm-module';

interface WasmGlobal { value: number }
export interface KernelExports {
  memory: WasmMemory;
  setup(pow5: number, p10: number, rows: number, cols: number, re: number, im: number,
    cap: number, kind: number, sym: number, R: number, C: number): void;
  counting(rc: number, cc: number, rh: number, ch: number): void;
  parse(p: number, end: number): number;
  parseArray(p: number, end: number): number;
  tally(n: number): void;
  n: WasmGlobal; lines: WasmGlobal; count: WasmGlobal; stop: WasmGlobal;
}

/** Entries the kernel parses between two hand-overs (its output arrays stay in the CPU cache). */
export const CAP = 1 << 16;
const STOP_FULL = 1, STOP_JS = 2;

export const kernelModule = lazyModule(WASM_BASE64);
export const align = (bytes: number) => Math.ceil(bytes / 64) * 64;
export const KIND: Record<string, number> = { real: 0, double: 0, integer: 1, pattern: 2, complex: 3 };

const POW5_AT = 0, POW5_BYTES = 16 * (LARGEST_POW10 - SMALLEST_POW10 + 1);
const P10_AT = align(POW5_AT + POW5_BYTES);

export abstract class MtxKernel {
  protected readonly x: KernelExports;
  /** The first byte after the number tables: each kernel lays out its arrays from there. */
  protected static readonly FREE = align(P10_AT + 23 * 8);

  protected constructor(mod: WasmModule) {
    this.x = new wasm!.Instance(mod, {}).exports as unknown as KernelExports;
    if (!this.ensure(MtxKernel.FREE)) throw new RangeError('no memory for the kernel');
    const mem = this.x.memory.buffer;
    // POW5 entries: high 64 bits, then low 64 bits (16-bit limbs, least significant first, little-endian).
    const limbs = new Uint16Array(mem, POW5_AT, POW5_BYTES / 2);
    for (let k = 0; k < POW5_BYTES / 16; k++) {
      for (let t = 0; t < 4; t++) { limbs[8 * k + t] = POW5_LIMBS[8 * k + 4 + t]; limbs[8 * k + 4 + t] = POW5_LIMBS[8 * k + t]; }
    }
    const tens = new Float64Array(mem, P10_AT, 23);
    for (let i = 0, v = 1; i < 23; i++, v *= 10) tens[i] = v; // 10^0..10^22 are exact doubles
  }

  /** Sets the kernel up (see setup in the .wat; the tables are this class's). */
  protected setup(at: { rows: number; cols: number; re: number; im: number }, kind: number, sym: number, R: number, C: number): void {
    this.x.setup(POW5_AT, P10_AT, at.rows, at.cols, at.re, at.im, CAP, kind, sym, R, C);
  }

  /** Grows the memory to at least `bytes`; false when it cannot. */
  protected ensure(bytes: number): boolean {
    const have = this.x.memory.buffer.byteLength;
    if (bytes <= have) return true;
    try { this.x.memory.grow(Math.ceil((bytes - have) / PAGE)); return true; } catch { return false; }
  }

  /** Bytes of memory the kernel holds. */
  get bytes(): number { return this.x.memory.buffer.byteLength; }

  /**
   * Copies `bytes` (whole lines, the last ending in '\n'), or reads the file run they name, into the memory
   * at `at`, then a '\n' sentinel (no scan can run past the end); null when the memory cannot hold them.
   */
  protected load(bytes: Uint8Array | RunFile, at: number): Uint8Array | null {
    const room = bytes instanceof Uint8Array ? bytes.length : runBytes(bytes);
    if (at + room + 1 > 2 ** 32 - PAGE || !this.ensure(at + room + 1)) return null;
    let len = room;
    if (bytes instanceof Uint8Array) new Uint8Array(this.x.memory.buffer, at, len).set(bytes);
    else len = readRunInto(bytes, new Uint8Array(this.x.memory.buffer, at, room)); // straight from the file
    const input = new Uint8Array(this.x.memory.buffer, at, len + 1);
    input[len] = 10;
    return input;
  }

  /**
   * Runs `parse` (a kernel entry: parse or parseArray) over the loaded `input` (at `at`): `jsLine(p, end)`
   * parses the line [p, end) the kernel left (adding its entries to the output, returning its entry
   * lines; it throws the JS parser's error for a bad line), `flush()` hands the output over when it is
   * full and at the end. Returns the lines and entry lines read, and how many lines the JS parser read.
   */
  protected run(input: Uint8Array, at: number, parse: (p: number, end: number) => number,
    jsLine: (p: number, end: number) => number, flush: () => void): { lines: number; count: number; jsLines: number } {
    const x = this.x, len = input.length - 1;
    x.n.value = 0; x.lines.value = 0; x.count.value = 0;
    let jsLines = 0, jsCount = 0;
    let p = 0;
    for (;;) {
      p = parse(at + p, at + len) - at;
      const stop = x.stop.value;
      if (stop === STOP_JS) {
        let e = p;
        while (input[e] !== 10) e++;
        jsCount += jsLine(p, e + 1);
        jsLines++;
        p = e + 1;
      }
      if (stop === STOP_FULL || p >= len) flush();
      if (p >= len) break;
    }
    return { lines: jsLines + x.lines.value, count: jsCount + x.count.value, jsLines };
  }
}

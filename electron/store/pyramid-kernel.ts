// The dense pyramid's hot loops in WebAssembly (pyramid-kernel.wat, same bytes out as the JS loops):
// every level's cell state and output row, and the rows being aggregated, live in one WebAssembly memory.
// Rows handed over in a buffer from rowsBuffer() are aggregated in place; others are copied in first.
import { WASM_BASE64 } from './pyramid-kernel.wasm';
import { WASM_PAGE as PAGE, lazyModule, wasm, type WasmMemory } from '../wasm/wasm-module';

/** A level's arrays that move into the kernel's memory: cell state and the row written out. */
export interface LevelArrays {
  readonly cols: number;
  min: Float64Array; max: Float64Array; sum: Float64Array; count: Float64Array;
  fmin: Float32Array; fmax: Float32Array; fsum: Float32Array; u4: Uint32Array;
}

type Fn = (...args: number[]) => void;

/** Most memory the kernel may take (levels + rows); a wider matrix gets the JS loops. */
const MAX_BYTES = 1 << 30;

/** The compiled kernel, or null where WebAssembly SIMD is missing (the caller keeps its JS loops). */
const kernelModule = lazyModule(WASM_BASE64);

const align = (bytes: number) => Math.ceil(bytes / 64) * 64;
/** Bytes of one level's arrays: four f64 and four 4-byte arrays of `cols`. */
const levelBytes = (cols: number) => 4 * align(cols * 8) + 4 * align(cols * 4);
const byteAt = (a: ArrayBufferView) => a.byteOffset;

export class PyramidKernel {
  private rows!: Float64Array;
  private readonly rowsAt: number;
  private readonly fns: { rows4: Fn; store: Fn; absorb: Fn };

  private constructor(readonly memory: WasmMemory, exports: Record<string, unknown>, private readonly levels: LevelArrays[]) {
    this.fns = exports as unknown as PyramidKernel['fns'];
    this.rowsAt = levels.reduce((a, L) => a + levelBytes(L.cols), 0);
    this.views();
  }

  /**
   * A kernel for these levels (finest first, of a matrix `cols` wide), their arrays moved into its memory
   * (values kept); undefined where WebAssembly SIMD is missing or the matrix is too wide.
   */
  static create(levels: LevelArrays[], cols: number): PyramidKernel | undefined {
    const mod = kernelModule();
    const bytes = levels.reduce((a, L) => a + levelBytes(L.cols), 0) + 4 * cols * 8;
    if (!wasm || !mod || bytes > MAX_BYTES) return undefined;
    const memory = new wasm.Memory({ initial: Math.ceil(bytes / PAGE) });
    const old = levels.map(L => ({ ...L }));
    const k = new PyramidKernel(memory, new wasm.Instance(mod, { env: { memory } }).exports, levels);
    levels.forEach((L, i) => { L.min.set(old[i].min); L.max.set(old[i].max); L.sum.set(old[i].sum); L.count.set(old[i].count); });
    return k;
  }

  /** (Re)makes every view over the memory: at creation and after it grows. */
  private views(): void {
    const buf = this.memory.buffer;
    let at = 0;
    const f64 = (n: number) => { const a = new Float64Array(buf, at, n); at += align(n * 8); return a; };
    const f32 = (n: number) => { const a = new Float32Array(buf, at, n); at += align(n * 4); return a; };
    for (const L of this.levels) {
      const n = L.cols;
      L.min = f64(n); L.max = f64(n); L.sum = f64(n); L.count = f64(n);
      L.fmin = f32(n); L.fmax = f32(n); L.fsum = f32(n);
      L.u4 = new Uint32Array(buf, at, n); at += align(n * 4);
    }
    this.rows = new Float64Array(buf, this.rowsAt);
  }

  /**
   * At least n elements inside the kernel's memory (undefined if that would pass MAX_BYTES); rows in it
   * are not copied. Growing renews the levels' arrays and detaches buffers handed out before.
   */
  rowsBuffer(n: number): Float64Array | undefined {
    if (n > this.rows.length) {
      const bytes = this.rowsAt + n * 8;
      if (bytes > MAX_BYTES) return undefined;
      this.memory.grow(Math.ceil((bytes - this.memory.buffer.byteLength) / PAGE));
      this.views();
    }
    return this.rows.subarray(0, n);
  }

  /** addRows4's whole cells: g rows (of one cell row) of v from o, `cols` apart, into L's cells [0, n). */
  addRows4(L: LevelArrays, v: Float64Array, o: number, cols: number, g: number, n: number): void {
    let at: number;
    if (v.buffer === this.memory.buffer) at = v.byteOffset + o * 8;
    else {
      // Copied in (the memory holds 4 rows from creation, so this never grows it).
      this.rows.set(v.subarray(o, o + (g - 1) * cols + 4 * n));
      at = this.rowsAt;
    }
    this.fns.rows4(at, cols * 8, g, n, byteAt(L.min), byteAt(L.max), byteAt(L.sum), byteAt(L.count));
  }

  /** Level.writeCurrent's conversion into L's fmin, fmax, fsum, u4. */
  store(L: LevelArrays): void {
    this.fns.store(L.cols, byteAt(L.min), byteAt(L.max), byteAt(L.sum), byteAt(L.count), byteAt(L.fmin), byteAt(L.fmax), byteAt(L.fsum), byteAt(L.u4));
  }

  /** Level.absorb: the finer level f's cells merged into L's. */
  absorb(L: LevelArrays, f: LevelArrays): void {
    this.fns.absorb(f.cols, byteAt(f.min), byteAt(f.max), byteAt(f.sum), byteAt(f.count), byteAt(L.min), byteAt(L.max), byteAt(L.sum), byteAt(L.count));
  }
}

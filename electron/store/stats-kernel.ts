// RunningStats's two passes over a chunk in WebAssembly (stats-kernel.wat), for values that already sit
// in a WebAssembly memory (the dense builder's rows, in the pyramid kernel's memory): no copy.
import { WASM_BASE64 } from './stats-kernel.wasm';
import { lazyModule, wasm, type WasmMemory } from '../wasm/wasm-module';

/** What one pass over a chunk finds (RunningStats merges these). */
export interface ChunkScan {
  finite: number; sum: number; min: number; max: number;
  zeros: number; nan: number; posinf: number; neginf: number;
}

type Global = { value: number };
interface Exports {
  scan(v: number, n: number): void;
  sqdev(v: number, n: number, mean: number, allFinite: number): number;
  finite: Global; sum: Global; min: Global; max: Global; zeros: Global; nan: Global; posinf: Global; neginf: Global;
}

const statsModule = lazyModule(WASM_BASE64);

export class StatsKernel {
  private constructor(private readonly memory: WasmMemory, private readonly fns: Exports) {}

  /** A kernel over `memory`, or undefined where WebAssembly SIMD is missing. */
  static over(memory: WasmMemory | undefined): StatsKernel | undefined {
    const mod = statsModule();
    if (!memory || !wasm || !mod) return undefined;
    return new StatsKernel(memory, new wasm.Instance(mod, { env: { memory } }).exports as unknown as Exports);
  }

  /** Whether v is a view of this kernel's memory (as it is now: growing the memory detaches old views). */
  holds(v: Float64Array): boolean { return v.buffer === this.memory.buffer; }

  scan(v: Float64Array, n: number): ChunkScan {
    const f = this.fns;
    f.scan(v.byteOffset, n);
    return {
      finite: f.finite.value, sum: f.sum.value, min: f.min.value, max: f.max.value,
      zeros: f.zeros.value, nan: f.nan.value, posinf: f.posinf.value, neginf: f.neginf.value,
    };
  }

  /** Σ (x − mean)² over the finite values among v[0..n); `allFinite`: scan found only finite values. */
  sqdev(v: Float64Array, n: number, mean: number, allFinite: boolean): number {
    return this.fns.sqdev(v.byteOffset, n, mean, allFinite ? 1 : 0);
  }
}

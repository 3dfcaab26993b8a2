// The opened files of one store: dense values or sparse CSR + CSC triplets, and the pyramid levels.
// Opening reads headers only (O(1) in the store size).
import * as path from 'node:path';
import { isComplex, type PyramidLevel, type StoreManifest } from '../../shared/store-manifest';
import { EngineError } from './engine-error';
import { openNpyArray, type NpyArray, type TypedArray } from './npy-array';
import { ReadScratch } from './read-scratch';
import type { SourceMode } from './store-file';

export interface LevelArrays { meta: PyramidLevel; min: NpyArray; max: NpyArray; sum: NpyArray; count: NpyArray }

export class StoreData {
  readonly rows: number;
  readonly cols: number;
  readonly sparse: boolean;
  readonly complex: boolean;
  values?: NpyArray;
  /** Dense: the column-major copy of the values (flat index col * rows + row), when the store has one. */
  valuesByColumn?: NpyArray;
  indptr?: NpyArray; indices?: NpyArray; data?: NpyArray;
  cscIndptr?: NpyArray; cscIndices?: NpyArray; cscData?: NpyArray;
  readonly levels: LevelArrays[] = [];
  private readonly opened: NpyArray[] = [];
  private modScratch: Float64Array | Float32Array = new Float64Array(0);

  constructor(readonly storePath: string, readonly manifest: StoreManifest, readonly mode: SourceMode) {
    [this.rows, this.cols] = manifest.shape;
    this.sparse = manifest.kind === 'sparse';
    this.complex = isComplex(manifest.dtype);
    try {
      const f = manifest.files;
      if (this.sparse) {
        this.indptr = this.open(f.indptr, 'indptr');
        this.indices = this.open(f.indices, 'indices');
        this.data = this.open(f.data, 'data');
        this.cscIndptr = this.open(f.cscIndptr, 'cscIndptr');
        this.cscIndices = this.open(f.cscIndices, 'cscIndices');
        this.cscData = this.open(f.cscData, 'cscData');
      } else {
        this.values = this.open(f.values, 'values');
        if (this.values.length !== this.rows * this.cols) {
          throw new EngineError('store-corrupt', `${this.values.path}: holds ${this.values.length} values, the manifest says ${this.rows}×${this.cols}`);
        }
        if (f.valuesByColumn) {
          this.valuesByColumn = this.open(f.valuesByColumn, 'valuesByColumn', this.mode, true);
          if (this.valuesByColumn.length !== this.values.length) {
            throw new EngineError('store-corrupt', `${this.valuesByColumn.path}: holds ${this.valuesByColumn.length} values, the manifest says ${this.rows}×${this.cols}`);
          }
        }
      }
      // Pyramid levels are read in row segments by positional reads in both modes: one syscall per
      // segment beats a page fault per page touched (measured: viewport p95 87 → ~40 ms on 20000² f32).
      // A query reads one level, four files at once: one read buffer per role serves all levels.
      const scratch = { min: new ReadScratch(), max: new ReadScratch(), sum: new ReadScratch(), count: new ReadScratch() };
      for (const lv of manifest.pyramid ?? []) {
        const agg = (k: 'min' | 'max' | 'sum' | 'count') => this.open(lv.files[k], `L${lv.level} ${k}`, 'paged', false, scratch[k]);
        this.levels.push({ meta: lv, min: agg('min'), max: agg('max'), sum: agg('sum'), count: agg('count') });
      }
      this.levels.sort((a, b) => a.meta.block - b.meta.block);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  private open(rel: string | undefined, what: string, mode: SourceMode = this.mode, fortranOrder = false, scratch?: ReadScratch): NpyArray {
    if (!rel) throw new EngineError('store-corrupt', `${this.storePath}: manifest lists no ${what} file`);
    try {
      const a = openNpyArray(path.join(this.storePath, rel), mode, fortranOrder, scratch);
      this.opened.push(a);
      return a;
    } catch (e) {
      if (e instanceof EngineError) throw e;
      throw new EngineError('store-corrupt', `${this.storePath}: cannot open ${what} (${(e as Error).message})`);
    }
  }

  /** Decoded values of a raw chunk: itself for real dtypes, the modulus |z| for complex (reused scratch). */
  decode(raw: TypedArray): ArrayLike<number> {
    if (!this.complex) return raw;
    const n = raw.length >> 1;
    if (this.manifest.dtype === 'c8') {
      if (!(this.modScratch instanceof Float32Array) || this.modScratch.length < n) this.modScratch = new Float32Array(Math.max(n, 1024));
      const out = this.modScratch;
      for (let k = 0; k < n; k++) { const re = raw[2 * k], im = raw[2 * k + 1]; out[k] = Math.sqrt(re * re + im * im); }
      return out.subarray(0, n);
    }
    if (!(this.modScratch instanceof Float64Array) || this.modScratch.length < n) this.modScratch = new Float64Array(Math.max(n, 1024));
    const out = this.modScratch;
    for (let k = 0; k < n; k++) out[k] = Math.hypot(raw[2 * k], raw[2 * k + 1]);
    return out.subarray(0, n);
  }

  /** Modulus (complex) or the value itself, rounded like NumPy's abs for c8. */
  modulus(re: number, im: number): number {
    if (!this.complex) return re;
    return this.manifest.dtype === 'c8' ? Math.fround(Math.sqrt(re * re + im * im)) : Math.hypot(re, im);
  }

  /** Row i's CSR entry range [lo, hi). */
  rowRange(i: number): [number, number] {
    const p = this.indptr!.read(i, i + 2);
    return [Number(p[0]), Number(p[1])];
  }
  colRange(j: number): [number, number] {
    const p = this.cscIndptr!.read(j, j + 2);
    return [Number(p[0]), Number(p[1])];
  }

  /**
   * Unmaps from this process the store pages the last query read (they stay in the page cache, shared):
   * mapped pages only this process maps count as its private memory (a helper's viewports and rows
   * left 5-55 MiB of them on the memory bench). Paged files: nothing to do.
   */
  releaseTouched(): void {
    for (const a of this.opened) a.releaseTouched();
  }

  close(): void {
    for (const a of this.opened.splice(0)) { try { a.close(); } catch { /* already closed */ } }
  }
}

/** First position in sorted `a[lo, hi)` with a[pos] >= x. */
export function lowerBound(a: ArrayLike<number>, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

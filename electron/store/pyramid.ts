// The block-aggregate pyramid, built by streaming over the written matrix once, row by row (memory
// O(cols) per level). The finest level aggregates the data; each coarser level (block ×2) is built from
// the finer level's rows as they are emitted, never from the data again.
import * as path from 'node:path';
import * as fs from 'node:fs';
import type { PyramidLevel } from '../../shared/store-manifest';
import { buildNpyHeader } from './npy-header';
import { AppendWriter, bytesOf } from './positional-io';
import { PyramidKernel, type LevelArrays } from './pyramid-kernel';
import { SLOT_BYTES, writeBehind } from './write-behind';
import type { WasmMemory } from '../wasm/wasm-module';

/** Side (rows and cols) the coarsest level must fit in. */
export const PYRAMID_TOP = 256;

/**
 * Levels (log2 of the block size) to build, finest first, ending with the first level whose grid is
 * ≤ 256×256. A matrix that already fits gets one level with block 1. Dense starts at block 4; sparse
 * at the smallest block whose cell grid is no bigger than max(nnz, 2^20) cells.
 */
export function planPyramid(rows: number, cols: number, kind: 'dense' | 'sparse', nnz: number): number[] {
  const cells = (k: number) => Math.ceil(rows / 2 ** k) * Math.ceil(cols / 2 ** k);
  const fits = (k: number) => Math.ceil(rows / 2 ** k) <= PYRAMID_TOP && Math.ceil(cols / 2 ** k) <= PYRAMID_TOP;
  let k0 = 0;
  if (!fits(0)) {
    if (kind === 'dense') k0 = 2;
    else while (cells(k0) > Math.max(nnz, 2 ** 20)) k0++;
  }
  const ks = [k0];
  for (let k = k0; !fits(k); ) ks.push(++k);
  return ks;
}

export const levelFileName = (k: number, agg: 'min' | 'max' | 'sum' | 'count') => `pyramid/L${k}_${agg}.npy`;

/**
 * Scratch for choosing between two values by index, t[+(y < x)]: a data-dependent choice without a
 * branch (random data would mispredict one at nearly every value).
 */
const pick = new Float64Array(16);

class Level implements LevelArrays {
  readonly block: number;
  readonly rows: number;
  readonly cols: number;
  // The arrays are replaced by views of the kernel's memory when it takes over (see PyramidBuilder.simd).
  min: Float64Array;
  max: Float64Array;
  sum: Float64Array;
  count: Float64Array;
  fmin: Float32Array;
  fmax: Float32Array;
  fsum: Float32Array;
  u4: Uint32Array;
  /** The WebAssembly form of writeCurrent's and absorb's loops, once dense rows come. */
  kernel?: PyramidKernel;
  /** Index of the cell row being accumulated. */
  cur = 0;
  /** Finer rows absorbed into `cur` since it was last emitted. */
  pending = 0;
  private readonly writers: Record<'min' | 'max' | 'sum' | 'count', AppendWriter>;

  constructor(dir: string, readonly k: number, matrixRows: number, matrixCols: number) {
    this.block = 2 ** k;
    this.rows = Math.ceil(matrixRows / this.block);
    this.cols = Math.ceil(matrixCols / this.block);
    this.min = new Float64Array(this.cols).fill(Infinity);
    this.max = new Float64Array(this.cols).fill(-Infinity);
    this.sum = new Float64Array(this.cols);
    this.count = new Float64Array(this.cols);
    this.fmin = new Float32Array(this.cols);
    this.fmax = new Float32Array(this.cols);
    this.fsum = new Float32Array(this.cols);
    this.u4 = new Uint32Array(this.cols);
    const open = (agg: 'min' | 'max' | 'sum' | 'count') => {
      const w = new AppendWriter(path.join(dir, levelFileName(k, agg)), SLOT_BYTES, writeBehind() ?? undefined);
      w.write(buildNpyHeader(agg === 'count' ? '<u4' : '<f4', [this.rows, this.cols]));
      return w;
    };
    this.writers = { min: open('min'), max: open('max'), sum: open('sum'), count: open('count') };
  }

  /** Writes the current cell row (the caller forwards it to the next level and resets it). */
  writeCurrent(): void {
    const { fmin, fmax, fsum, u4, cols, count, min, max, sum } = this;
    if (this.kernel) this.kernel.store(this);
    else for (let j = 0; j < cols; j++) {
      const c = count[j];
      u4[j] = c;
      if (c > 0) { fmin[j] = min[j]; fmax[j] = max[j]; fsum[j] = sum[j]; } else { fmin[j] = NaN; fmax[j] = NaN; fsum[j] = NaN; }
    }
    this.writers.min.write(bytesOf(fmin));
    this.writers.max.write(bytesOf(fmax));
    this.writers.sum.write(bytesOf(fsum));
    this.writers.count.write(bytesOf(u4));
  }

  reset(): void {
    this.min.fill(Infinity); this.max.fill(-Infinity); this.sum.fill(0); this.count.fill(0);
    this.pending = 0;
  }

  /** Merges a finer level's row (cells 2j, 2j+1 → j). */
  absorb(f: Level): void {
    this.pending++;
    if (this.kernel) { this.kernel.absorb(this, f); return; }
    const { min, max, sum, count } = this;
    const fmin = f.min, fmax = f.max, fsum = f.sum, fcount = f.count;
    const t = pick;
    for (let j = 0; j < f.cols; j++) {
      const c = fcount[j];
      if (c === 0) continue;
      const J = j >> 1;
      count[J] += c; sum[J] += fsum[j];
      // min[J] = fmin[j] < min[J] ? fmin[j] : min[J], without a branch (see addRows4); max likewise.
      t[0] = min[J]; t[1] = fmin[j]; min[J] = t[+(t[1] < t[0])];
      t[2] = max[J]; t[3] = fmax[j]; max[J] = t[2 + +(t[3] > t[2])];
    }
  }

  /** Writes out what is buffered; the files' fsync and close go on in the background (see AppendWriter.closeLater). */
  close(): { sizes: Record<'min' | 'max' | 'sum' | 'count', number>; closed: Promise<void>[] } {
    const sizes = { min: 0, max: 0, sum: 0, count: 0 };
    const closed: Promise<void>[] = [];
    for (const agg of ['min', 'max', 'sum', 'count'] as const) {
      const c = this.writers[agg].closeLater();
      sizes[agg] = c.size;
      closed.push(c.closed);
    }
    return { sizes, closed };
  }

  abandon(): void { for (const w of Object.values(this.writers)) w.abandon(); }
}

export class PyramidBuilder {
  private readonly levels: Level[];
  private readonly base: Level;
  /** First matrix row of the next finest-level cell row. */
  private nextBoundary: number;
  /** Elements or entries fed, for the build rate. */
  fed = 0;
  /** The WebAssembly loops once dense rows come (null: none, the JS loops run). */
  private kernel: PyramidKernel | null | undefined;

  /** `simd: false` keeps to the JS loops (the kernel's tests compare the two). */
  constructor(dir: string, readonly rows: number, readonly cols: number, ks: number[], private readonly opts: { simd?: boolean } = {}) {
    fs.mkdirSync(path.join(dir, 'pyramid'), { recursive: true });
    this.levels = [];
    try {
      for (const k of ks) this.levels.push(new Level(dir, k, rows, cols));
    } catch (e) { this.abandon(); throw e; }
    this.base = this.levels[0];
    this.nextBoundary = this.base.block;
  }

  /** Emits finest-level rows until `cellRow` is the current one. */
  private advanceTo(cellRow: number): void {
    const b = this.base;
    while (b.cur < cellRow) {
      this.emit(0);
      b.cur++;
    }
    this.nextBoundary = (b.cur + 1) * b.block;
  }

  private emit(i: number): void {
    const L = this.levels[i];
    L.writeCurrent();
    const up = this.levels[i + 1];
    if (up) {
      const target = L.cur >> 1;
      if (target !== up.cur) { this.emit(i + 1); up.cur = target; }
      up.absorb(L);
    }
    L.reset();
  }

  /** The kernel, made when the first dense rows come (block-4 levels only): it takes over the levels' arrays. */
  private simd(): PyramidKernel | null {
    if (this.kernel === undefined) {
      this.kernel = (this.opts.simd !== false && this.base.block === 4 && PyramidKernel.create(this.levels, this.cols)) || null;
      if (this.kernel) for (const L of this.levels) L.kernel = this.kernel;
    }
    return this.kernel;
  }

  /** A buffer for at least n elements of denseRows's rows: rows given in it reach the kernel without a copy. */
  rowsBuffer(n: number): Float64Array {
    return this.simd()?.rowsBuffer(n) ?? new Float64Array(n);
  }

  /** The WebAssembly memory rowsBuffer's rows live in (undefined where the JS loops run). */
  rowsMemory(): WasmMemory | undefined {
    return this.simd()?.memory;
  }

  /**
   * n consecutive dense rows from row r0: row r0 + i is v[off + i*cols .. off + (i+1)*cols) (magnitudes
   * for complex). Rows must come in order; any split into calls gives the same output.
   */
  denseRows(r0: number, n: number, v: Float64Array, off = 0): void {
    const cols = this.cols;
    for (let i = 0; i < n;) {
      const r = r0 + i;
      if (r >= this.nextBoundary) this.advanceTo(Math.floor(r / this.base.block));
      // The rows of the current cell row that this call holds.
      const g = Math.min(n - i, this.nextBoundary - r);
      if (this.base.block === 4) this.addRows4(v, off + i * cols, g);
      else this.addRows(v, off + i * cols, g);
      i += g;
    }
    this.fed += n * cols;
  }

  /**
   * Adds g rows (one cell row's worth at most) to the base level's cells from cb0 on. The order of
   * operations is fixed, so any split into calls gives the same output: per row, s = 0 + x0 + x1 + ...
   * over its finite values; per cell, sum += s row by row; min/max keep the first of equal values
   * (+0 or -0, whichever comes first).
   */
  private addRows(v: Float64Array, o: number, g: number, cb0 = 0): void {
    const { min, max, sum, count, block, cols: lc } = this.base;
    const cols = this.cols;
    for (let cb = cb0; cb < lc; cb++) {
      const j0 = o + cb * block, w = Math.min(cols - cb * block, block);
      let mn = min[cb], mx = max[cb], S = sum[cb], c = count[cb];
      for (let row = 0, p = j0; row < g; row++, p += cols) {
        let s = 0, k = 0;
        for (let j = p, e = p + w; j < e; j++) {
          const x = v[j];
          if (x - x !== 0) continue; // NaN, ±Infinity
          k++; s += x;
          if (x < mn) mn = x;
          if (x > mx) mx = x;
        }
        if (k > 0) { S += s; c += k; }
      }
      min[cb] = mn; max[cb] = mx; sum[cb] = S; count[cb] = c;
    }
  }

  /** addRows for block 4: four values at a time, one finiteness test per row of a cell (their sum's). */
  private addRows4(v: Float64Array, o: number, g: number): void {
    const cols = this.cols;
    const full = cols >> 2;
    const k = this.simd();
    if (k) {
      k.addRows4(this.base, v, o, cols, g, full);
      if (full < this.base.cols) this.addRows(v, o, g, full);
      return;
    }
    const { min, max, sum, count, cols: lc } = this.base;
    const t = pick;
    for (let cb = 0; cb < full; cb++) {
      let mn = min[cb], mx = max[cb], S = sum[cb], c = count[cb];
      for (let row = 0, p = o + 4 * cb; row < g; row++, p += cols) {
        const x0 = v[p], x1 = v[p + 1], x2 = v[p + 2], x3 = v[p + 3];
        const s = 0 + x0 + x1 + x2 + x3;
        if (s - s === 0) {
          // All four finite (a NaN or ±Infinity makes the sum non-finite). Min and max pairwise, keeping
          // the earlier of equal values like a left-to-right scan, chosen by index: ia is x0's or x1's,
          // then ia or ib (see pick for why no branches).
          S += s; c += 4;
          const ia = p + +(x1 < x0), ib = p + 2 + +(x3 < x2);
          const m = v[ia + (ib - ia) * +(v[ib] < v[ia])];
          t[0] = mn; t[1] = m; mn = t[+(m < mn)];
          const ja = p + +(x1 > x0), jb = p + 2 + +(x3 > x2);
          const M = v[ja + (jb - ja) * +(v[jb] > v[ja])];
          t[2] = mx; t[3] = M; mx = t[2 + +(M > mx)];
        } else {
          // Some value is not finite, or the finite sum overflowed: value by value.
          let q = 0, k = 0;
          for (let j = p; j < p + 4; j++) {
            const x = v[j];
            if (x - x !== 0) continue;
            k++; q += x;
            if (x < mn) mn = x;
            if (x > mx) mx = x;
          }
          if (k > 0) { S += q; c += k; }
        }
      }
      min[cb] = mn; max[cb] = mx; sum[cb] = S; count[cb] = c;
    }
    if (full < lc) this.addRows(v, o, g, full);
  }

  /** A stored sparse entry; entries must come in row order. */
  sparseEntry(r: number, c: number, x: number): void {
    if (r >= this.nextBoundary) this.advanceTo(Math.floor(r / this.base.block));
    this.fed++;
    if (x - x !== 0) return;
    const b = this.base;
    const cb = Math.floor(c / b.block);
    b.count[cb]++; b.sum[cb] += x;
    if (x < b.min[cb]) b.min[cb] = x;
    if (x > b.max[cb]) b.max[cb] = x;
  }

  /** n stored sparse entries (rows R, columns C, values V), in row order: the batch form of sparseEntry. */
  sparseEntries(n: number, R: ArrayLike<number>, C: ArrayLike<number>, V: ArrayLike<number>): void {
    const b = this.base;
    const B = b.block, inv = 1 / B;
    const { min, max, sum, count } = b;
    for (let i = 0; i < n; i++) {
      const r = R[i];
      if (r >= this.nextBoundary) this.advanceTo(Math.floor(r / B));
      const x = V[i];
      if (x - x !== 0) continue;
      let cb = Math.floor(C[i] * inv);
      if (cb * B > C[i]) cb--; // guard against rounding of the reciprocal
      count[cb]++; sum[cb] += x;
      if (x < min[cb]) min[cb] = x;
      if (x > max[cb]) max[cb] = x;
    }
    this.fed += n;
  }

  /**
   * Emits the remaining rows of every level and describes the levels. Their files are complete when this
   * returns; `synced` settles once they are also fsync'd and closed (await it before committing the store).
   */
  finish(): { levels: PyramidLevel[]; sizes: Record<string, number>; synced: Promise<void> } {
    if (this.base.rows > 0) {
      this.advanceTo(this.base.rows - 1);
      this.emit(0);
      for (let i = 1; i < this.levels.length; i++) if (this.levels[i].pending > 0) this.emit(i);
    }
    const sizes: Record<string, number> = {};
    const closed: Promise<void>[] = [];
    const levels = this.levels.map(L => {
      const s = L.close();
      closed.push(...s.closed);
      const files = { min: levelFileName(L.k, 'min'), max: levelFileName(L.k, 'max'), sum: levelFileName(L.k, 'sum'), count: levelFileName(L.k, 'count') };
      for (const agg of ['min', 'max', 'sum', 'count'] as const) sizes[files[agg]] = s.sizes[agg];
      return { level: L.k, block: L.block, rows: L.rows, cols: L.cols, files };
    });
    const synced = Promise.all(closed).then(() => {});
    synced.catch(() => {}); // seen by whoever awaits it; a build that fails first leaves nothing unhandled
    return { levels, sizes, synced };
  }

  abandon(): void { for (const L of this.levels) L.abandon(); }
}

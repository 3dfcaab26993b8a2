// Whole-matrix statistics, accumulated chunk by chunk: each chunk's mean and sum of squared
// deviations are computed exactly (two passes over the chunk in memory), then merged with Chan's
// parallel formula, which stays accurate over billions of elements.
import type { StoreStats } from '../../shared/store-manifest';
import type { ChunkScan, StatsKernel } from './stats-kernel';

export class RunningStats {
  private finite = 0;
  private nan = 0;
  private posinf = 0;
  private neginf = 0;
  private zeros = 0;
  private min = Infinity;
  private max = -Infinity;
  private mean = 0;
  private m2 = 0;

  /**
   * Adds the first n values of `v` (magnitudes for complex matrices); with a kernel whose memory holds v,
   * its WebAssembly passes do the work.
   */
  add(v: Float64Array, n = v.length, kernel?: StatsKernel): void {
    const k = kernel?.holds(v) ? kernel : undefined;
    const s = k ? k.scan(v, n) : scanChunk(v, n);
    this.nan += s.nan; this.posinf += s.posinf; this.neginf += s.neginf; this.zeros += s.zeros;
    if (s.finite === 0) return;
    const mean = s.sum / s.finite;
    const m2 = k ? k.sqdev(v, n, mean, s.finite === n) : sqdev(v, n, mean);
    if (s.min < this.min) this.min = s.min;
    if (s.max > this.max) this.max = s.max;
    this.merge(s.finite, mean, m2);
  }

  /** Adds `count` zeros (a sparse matrix's implicit entries). */
  addZeros(count: number): void {
    if (count <= 0) return;
    this.zeros += count;
    if (0 < this.min) this.min = 0;
    if (0 > this.max) this.max = 0;
    this.merge(count, 0, 0);
  }

  private merge(n: number, mean: number, m2: number): void {
    const total = this.finite + n;
    const delta = mean - this.mean;
    this.mean += delta * (n / total);
    this.m2 += m2 + delta * delta * (this.finite * n / total);
    this.finite = total;
  }

  result(): StoreStats {
    const has = this.finite > 0;
    return {
      min: has ? this.min : null,
      max: has ? this.max : null,
      mean: has ? this.mean : null,
      std: has ? Math.sqrt(Math.max(0, this.m2 / this.finite)) : null,
      finite: this.finite, nan: this.nan, posinf: this.posinf, neginf: this.neginf, zeros: this.zeros,
    };
  }
}

/** The first pass over a chunk, in JS. */
function scanChunk(v: Float64Array, n: number): ChunkScan {
  let finite = 0, sum = 0, min = Infinity, max = -Infinity, zeros = 0, nan = 0, posinf = 0, neginf = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x !== x) { nan++; continue; }
    if (x === Infinity) { posinf++; continue; }
    if (x === -Infinity) { neginf++; continue; }
    if (x === 0) zeros++;
    finite++; sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { finite, sum, min, max, zeros, nan, posinf, neginf };
}

/** Σ (x − mean)² over the chunk's finite values, in JS. */
function sqdev(v: Float64Array, n: number, mean: number): number {
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x - x === 0) { const d = x - mean; m2 += d * d; } // finite only
  }
  return m2;
}

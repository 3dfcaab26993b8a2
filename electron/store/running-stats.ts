// Whole-matrix statistics, accumulated chunk by chunk: each chunk's mean and sum of squared
// deviations are computed exactly (two passes over the chunk in memory), then merged with Chan's
// parallel formula, which stays accurate over billions of elements.
import type { StoreStats } from '../../shared/store-manifest';

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

  /** Adds the first n values of `v` (magnitudes for complex matrices). */
  add(v: Float64Array, n = v.length): void {
    let cnt = 0, sum = 0, mn = Infinity, mx = -Infinity, zeros = 0, nan = 0, pinf = 0, ninf = 0;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (x !== x) { nan++; continue; }
      if (x === Infinity) { pinf++; continue; }
      if (x === -Infinity) { ninf++; continue; }
      if (x === 0) zeros++;
      cnt++; sum += x;
      if (x < mn) mn = x;
      if (x > mx) mx = x;
    }
    this.nan += nan; this.posinf += pinf; this.neginf += ninf; this.zeros += zeros;
    if (cnt === 0) return;
    const mean = sum / cnt;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (x - x === 0) { const d = x - mean; m2 += d * d; } // finite only
    }
    if (mn < this.min) this.min = mn;
    if (mx > this.max) this.max = mx;
    this.merge(cnt, mean, m2);
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

// Whole-matrix (or rectangle) statistics as mergeable partials: finite count, min, max, mean and M2
// (Chan et al.'s parallel variance), non-finite and zero counts, and the smallest positive value.
import type { StoreStats } from '../../shared/store-manifest';

export interface StatsPartial {
  finite: number; min: number; max: number; mean: number; m2: number;
  nan: number; posinf: number; neginf: number; zeros: number;
  /** Smallest finite value > 0 (Infinity when none): the default low end of log histograms. */
  minPositive: number;
  /** Stored elements visited (dense: all). */
  stored: number;
}

export function emptyStats(): StatsPartial {
  return { finite: 0, min: Infinity, max: -Infinity, mean: 0, m2: 0, nan: 0, posinf: 0, neginf: 0, zeros: 0, minPositive: Infinity, stored: 0 };
}

/** Adds a chunk of values. */
export function addToStats(p: StatsPartial, vals: ArrayLike<number>): void {
  let n = 0, sum = 0, mn = Infinity, mx = -Infinity, nan = 0, posinf = 0, neginf = 0, zeros = 0, minPos = Infinity;
  const len = vals.length;
  for (let i = 0; i < len; i++) {
    const v = vals[i];
    if (v - v === 0) {
      n++; sum += v;
      if (v < mn) mn = v;
      if (v > mx) mx = v;
      if (v === 0) zeros++;
      else if (v > 0 && v < minPos) minPos = v;
    } else if (v !== v) nan++;
    else if (v > 0) posinf++;
    else neginf++;
  }
  let m2 = 0;
  if (n > 0) {
    const mean = sum / n;
    for (let i = 0; i < len; i++) { const v = vals[i]; if (v - v === 0) { const d = v - mean; m2 += d * d; } }
    mergeInto(p, { finite: n, min: mn, max: mx, mean, m2, nan: 0, posinf: 0, neginf: 0, zeros: 0, minPositive: minPos, stored: 0 });
  }
  p.nan += nan; p.posinf += posinf; p.neginf += neginf; p.zeros += zeros;
}

/** Adds `count` zeros (implicit zeros of a sparse matrix). */
export function addZerosToStats(p: StatsPartial, count: number): void {
  if (count <= 0) return;
  mergeInto(p, { ...emptyStats(), finite: count, min: 0, max: 0, mean: 0, m2: 0 });
  p.zeros += count;
}

function mergeInto(p: StatsPartial, q: StatsPartial): void {
  if (q.finite > 0) {
    const n = p.finite + q.finite;
    const d = q.mean - p.mean;
    p.mean = p.finite === 0 ? q.mean : p.mean + d * (q.finite / n);
    p.m2 = p.m2 + q.m2 + d * d * (p.finite * q.finite / n);
    p.finite = n;
    if (q.min < p.min) p.min = q.min;
    if (q.max > p.max) p.max = q.max;
    if (q.minPositive < p.minPositive) p.minPositive = q.minPositive;
  }
}

export function mergeStats(parts: StatsPartial[]): StatsPartial {
  const out = emptyStats();
  for (const q of parts) {
    mergeInto(out, q);
    out.nan += q.nan; out.posinf += q.posinf; out.neginf += q.neginf; out.zeros += q.zeros; out.stored += q.stored;
  }
  return out;
}

export function statsResult(p: StatsPartial): StoreStats {
  const has = p.finite > 0;
  return {
    min: has ? p.min : null, max: has ? p.max : null,
    mean: has ? p.mean : null, std: has ? Math.sqrt(p.m2 / p.finite) : null,
    finite: p.finite, nan: p.nan, posinf: p.posinf, neginf: p.neginf, zeros: p.zeros,
  };
}

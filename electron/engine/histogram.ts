// Histograms with NumPy's semantics: `numpy.histogram(finite_values, bins, range)` — edges from
// np.linspace in NumPy's dtype (float32 data → float32 edges), bins half-open except the last, the bin
// of each value settled against the edges exactly as NumPy's correction step does. Log bins: geometric
// edges over a positive range, same half-open rule.
import type { HistogramRequest, HistogramResult } from '../../shared/queries';
import type { StoreDtype, StoreStats } from '../../shared/store-manifest';
import { badInput } from './engine-error';

/** A histogram fully determined: what every band computes against. Plain data (crosses processes). */
export interface HistogramPlan {
  bins: number;
  log: boolean;
  edges: number[];
}

export interface HistogramPartial {
  counts: Float64Array;
  nan: number; posinf: number; neginf: number; zeros: number; below: number; above: number;
  /** Elements visited (sparse: distinct stored positions; the rest are implicit zeros). */
  stored: number;
}

/** Whether NumPy computes with float32 for this store dtype (f4 data, c8 moduli). */
export const isF32Kind = (d: StoreDtype): boolean => d === 'f4' || d === 'c8';

const f32 = Math.fround;
const id = (x: number): number => x;

/** np.linspace(start, stop, num, endpoint=True, dtype=out) where the arithmetic runs in float32 when computeF32. */
export function numpyLinspace(start: number, stop: number, num: number, computeF32: boolean, outF32: boolean): number[] {
  const r = computeF32 ? f32 : id;
  const out: number[] = new Array(num);
  const div = num - 1;
  const delta = r(stop - start);
  if (div > 0) {
    const step = r(delta / div);
    for (let k = 0; k < num; k++) out[k] = step === 0 ? r(r(r(k / div) * delta) + start) : r(r(k * step) + start);
    out[num - 1] = stop;
  } else if (num === 1) {
    out[0] = r(r(0 * delta) + start);
  }
  return outF32 ? out.map(f32) : out;
}

/**
 * The plan for a request: NumPy's outer edges (range, or the finite min..max; lo==hi → ±0.5; no finite
 * value → 0..1) and edges. `minPositive` (smallest finite positive value) is the default low end of log bins.
 */
export function planHistogram(req: HistogramRequest, dtype: StoreDtype, stats: StoreStats, minPositive?: number | null): HistogramPlan {
  const bins = req.bins;
  if (!Number.isInteger(bins) || bins < 1 || bins > 1e7) throw badInput(`histogram bins must be an integer in 1..10000000 (got ${bins})`);
  const isF32 = isF32Kind(dtype);
  if (req.range) {
    const [lo, hi] = req.range;
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw badInput(`histogram range [${lo}, ${hi}] is not finite`);
    if (lo > hi) throw badInput(`histogram range [${lo}, ${hi}]: max must be larger than min`);
  }
  if (req.log) {
    let lo: number, hi: number;
    if (req.range) [lo, hi] = req.range;
    else {
      if (minPositive == null || stats.max == null) throw badInput('log histogram: the matrix has no positive finite value');
      lo = minPositive; hi = stats.max;
    }
    if (!(lo > 0)) throw badInput(`log histogram range must be positive (got [${lo}, ${hi}])`);
    if (lo === hi) { lo = lo / 2; hi = hi * 2; }
    const a = Math.log(lo), b = Math.log(hi);
    const edges = new Array<number>(bins + 1);
    for (let k = 0; k <= bins; k++) edges[k] = Math.exp(a + (b - a) * (k / bins));
    edges[0] = lo; edges[bins] = hi;
    for (let k = 1; k <= bins; k++) if (edges[k] < edges[k - 1]) edges[k] = edges[k - 1];
    return { bins, log: true, edges };
  }
  let lo: number, hi: number, scalarF32 = false;
  if (req.range) [lo, hi] = req.range;
  else if (stats.min == null || stats.max == null || stats.finite === 0) { lo = 0; hi = 1; }
  else { lo = stats.min; hi = stats.max; scalarF32 = isF32; }
  if (lo === hi) {
    lo = scalarF32 ? f32(lo - 0.5) : lo - 0.5;
    hi = scalarF32 ? f32(hi + 0.5) : hi + 0.5;
  }
  return { bins, log: false, edges: numpyLinspace(lo, hi, bins + 1, scalarF32, isF32) };
}

export function emptyPartial(bins: number): HistogramPartial {
  return { counts: new Float64Array(bins), nan: 0, posinf: 0, neginf: 0, zeros: 0, below: 0, above: 0, stored: 0 };
}

/** Bin of a finite value: -1 below the range, -2 above, else 0..bins-1 (NumPy's rule). */
export function binOf(plan: HistogramPlan, v: number): number {
  const e = plan.edges, n = plan.bins;
  const lo = e[0], hi = e[n];
  if (v < lo) return -1;
  if (v > hi) return -2;
  let k = plan.log ? Math.floor((Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) * n)
    : Math.floor((v - lo) / (hi - lo) * n);
  if (!(k >= 0)) k = 0; else if (k > n - 1) k = n - 1;
  while (k > 0 && v < e[k]) k--;
  while (k < n - 1 && v >= e[k + 1]) k++;
  return k;
}

/** Adds a chunk of values to a partial. The hot loop of whole-matrix histograms. */
export function addToHistogram(plan: HistogramPlan, p: HistogramPartial, vals: ArrayLike<number>): void {
  const e = Float64Array.from(plan.edges);
  const n = plan.bins, lo = e[0], hi = e[n];
  const counts = p.counts;
  const logLo = Math.log(lo);
  const scale = plan.log ? n / (Math.log(hi) - logLo) : n / (hi - lo);
  const log = plan.log;
  let nan = 0, posinf = 0, neginf = 0, zeros = 0, below = 0, above = 0;
  const len = vals.length;
  for (let i = 0; i < len; i++) {
    const v = vals[i];
    if (v >= lo && v <= hi) {
      if (v === 0) zeros++;
      let k = log ? Math.floor((Math.log(v) - logLo) * scale) : Math.floor((v - lo) * scale);
      if (k > n - 1) k = n - 1; else if (!(k >= 0)) k = 0;
      if (v < e[k]) { do k--; while (k > 0 && v < e[k]); }
      else if (k < n - 1 && v >= e[k + 1]) { do k++; while (k < n - 1 && v >= e[k + 1]); }
      counts[k]++;
    } else if (v !== v) nan++;
    else if (v === Infinity) posinf++;
    else if (v === -Infinity) neginf++;
    else {
      if (v === 0) zeros++;
      if (v < lo) below++; else above++;
    }
  }
  p.nan += nan; p.posinf += posinf; p.neginf += neginf; p.zeros += zeros; p.below += below; p.above += above;
}

/** Adds `count` copies of the value 0 (a sparse matrix's implicit zeros) without visiting them. */
export function addZeros(plan: HistogramPlan, p: HistogramPartial, count: number): void {
  if (count <= 0) return;
  p.zeros += count;
  const k = binOf(plan, 0);
  if (k === -1) p.below += count; else if (k === -2) p.above += count; else p.counts[k] += count;
}

export function mergeHistograms(bins: number, parts: HistogramPartial[]): HistogramPartial {
  const out = emptyPartial(bins);
  for (const p of parts) {
    for (let k = 0; k < bins; k++) out.counts[k] += p.counts[k];
    out.nan += p.nan; out.posinf += p.posinf; out.neginf += p.neginf;
    out.zeros += p.zeros; out.below += p.below; out.above += p.above; out.stored += p.stored;
  }
  return out;
}

export function histogramResult(plan: HistogramPlan, p: HistogramPartial, total: number): HistogramResult {
  return {
    edges: plan.edges.slice(), counts: Array.from(p.counts),
    nan: p.nan, posinf: p.posinf, neginf: p.neginf, zeros: p.zeros, below: p.below, above: p.above, total,
  };
}

// Exact percentiles (NumPy's default 'linear' method) without sorting the matrix: a fine histogram
// pass locates the bin of every needed rank, a second pass collects the values of those few bins
// (or, for bins too full to collect, just their min/max: equal means the value is known, else the bin
// is histogrammed again). Sparse implicit zeros are counted, never materialized in bulk.
import type { StoreDtype } from '../../shared/store-manifest';
import { isF32Kind } from './histogram';

/** One refinement level of a bin chain: value v is in bin `bin` when binIndex(level, v) === bin. */
export interface ChainLevel { lo: number; hi: number; nb: number; bin: number }

/** Histogram request for one node (values passing `chain`), over [lo, hi] in nb bins. */
export interface PctHistNode { chain: ChainLevel[]; lo: number; hi: number; nb: number }
export interface PctCollectNode { chain: ChainLevel[]; collect: boolean }
export interface PctCollectPartial { min: number; max: number; count: number; values: Float64Array | null }

export const ROOT_BINS = 1 << 16;
/** Most values collected for one bin; fuller bins are refined instead. */
export const COLLECT_CAP = 1 << 22;

/** The bin of v in [lo, hi] split into nb equal bins (clamped; halves avoid overflow of hi - lo). */
export function binIndex(lo: number, hi: number, nb: number, v: number): number {
  const w = hi * 0.5 - lo * 0.5;
  if (!(w > 0)) return 0;
  const k = Math.floor((v * 0.5 - lo * 0.5) / w * nb);
  return k < 0 ? 0 : k >= nb ? nb - 1 : k;
}

export function inChain(chain: ChainLevel[], v: number): boolean {
  for (const c of chain) if (binIndex(c.lo, c.hi, c.nb, v) !== c.bin) return false;
  return true;
}

/** Band work: histogram of finite values for each node. */
export function pctHistAdd(nodes: PctHistNode[], counts: Float64Array[], vals: ArrayLike<number>): void {
  const len = vals.length;
  for (let j = 0; j < nodes.length; j++) {
    const { chain, lo, hi, nb } = nodes[j];
    const c = counts[j];
    const w = hi * 0.5 - lo * 0.5;
    const scale = w > 0 ? nb / w : 0;
    const lo2 = lo * 0.5;
    if (chain.length === 0) {
      for (let i = 0; i < len; i++) {
        const v = vals[i];
        if (v - v !== 0) continue;
        let k = Math.floor((v * 0.5 - lo2) * scale);
        if (k < 0) k = 0; else if (k >= nb) k = nb - 1;
        c[k]++;
      }
    } else {
      for (let i = 0; i < len; i++) {
        const v = vals[i];
        if (v - v !== 0 || !inChain(chain, v)) continue;
        let k = Math.floor((v * 0.5 - lo2) * scale);
        if (k < 0) k = 0; else if (k >= nb) k = nb - 1;
        c[k]++;
      }
    }
  }
}

/** Band work: for each node, min/max/count of its finite values, and the values themselves when `collect`. */
export class PctCollector {
  readonly parts: { min: number; max: number; count: number; buf: Float64Array | null }[];
  private readonly root: ChainLevel | null;
  /** Root bin → node indexes (all chains start with the same root level). */
  private readonly byRootBin = new Map<number, number[]>();
  constructor(private readonly nodes: PctCollectNode[]) {
    this.parts = nodes.map(n => ({ min: Infinity, max: -Infinity, count: 0, buf: n.collect ? new Float64Array(1024) : null }));
    this.root = nodes.length > 0 && nodes[0].chain.length > 0 ? nodes[0].chain[0] : null;
    nodes.forEach((n, j) => {
      const b = n.chain[0]?.bin ?? -1;
      const list = this.byRootBin.get(b);
      if (list) list.push(j); else this.byRootBin.set(b, [j]);
    });
  }
  add(vals: ArrayLike<number>): void {
    const root = this.root;
    if (!root) return;
    const { lo, hi, nb } = root;
    const w = hi * 0.5 - lo * 0.5;
    const scale = w > 0 ? nb / w : 0;
    const lo2 = lo * 0.5;
    const len = vals.length;
    for (let i = 0; i < len; i++) {
      const v = vals[i];
      if (v - v !== 0) continue;
      let k = Math.floor((v * 0.5 - lo2) * scale);
      if (k < 0) k = 0; else if (k >= nb) k = nb - 1;
      const list = this.byRootBin.get(k);
      if (!list) continue;
      for (const j of list) {
        const chain = this.nodes[j].chain;
        let ok = true;
        for (let l = 1; l < chain.length; l++) {
          const c = chain[l];
          if (binIndex(c.lo, c.hi, c.nb, v) !== c.bin) { ok = false; break; }
        }
        if (!ok) continue;
        const p = this.parts[j];
        if (v < p.min) p.min = v;
        if (v > p.max) p.max = v;
        if (p.buf) {
          if (p.count === p.buf.length) { const nb2 = new Float64Array(p.buf.length * 2); nb2.set(p.buf); p.buf = nb2; }
          p.buf[p.count] = v;
        }
        p.count++;
      }
    }
  }
  result(): PctCollectPartial[] {
    return this.parts.map(p => ({ min: p.min, max: p.max, count: p.count, values: p.buf ? p.buf.slice(0, p.count) : null }));
  }
}

export function mergeCollect(parts: PctCollectPartial[][]): PctCollectPartial[] {
  if (parts.length === 0) return [];
  return parts[0].map((_, j) => {
    let min = Infinity, max = -Infinity, count = 0;
    const vals: Float64Array[] = [];
    let collect = false;
    for (const p of parts) {
      const q = p[j];
      if (q.min < min) min = q.min;
      if (q.max > max) max = q.max;
      count += q.count;
      if (q.values) { collect = true; vals.push(q.values); }
    }
    let values: Float64Array | null = null;
    if (collect) {
      values = new Float64Array(count);
      let o = 0;
      for (const v of vals) { values.set(v, o); o += v.length; }
    }
    return { min, max, count, values };
  });
}

/** Runs a band task over the region and returns the merged partials. */
export type PassRunner = <T>(task: 'pct-hist' | 'pct-collect', req: { nodes: unknown[] }) => Promise<T>;

export interface PctRegionInfo {
  /** Finite elements (implicit zeros included). */
  n: number;
  min: number; max: number;
  implicitZeros: number;
  dtype: StoreDtype;
}

/** NumPy's linear interpolation of two neighbouring order statistics (diff in the data's precision). */
export function numpyLerp(a: number, b: number, t: number, dtype: StoreDtype): number {
  let diff = b - a;
  if (isF32Kind(dtype)) diff = Math.fround(diff);
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** The percentiles over a region, by histogram passes. */
export async function computePercentiles(ps: number[], info: PctRegionInfo, run: PassRunner): Promise<(number | null)[]> {
  const { n } = info;
  if (n === 0) return ps.map(() => null);
  // Ranks needed (0-based order statistics).
  const plan = ps.map(p => {
    const q = p / 100;
    const vi = (n - 1) * q;
    if (vi >= n - 1) return { lo: n - 1, hi: n - 1, t: vi - -1 };
    const lo = Math.floor(vi);
    return { lo, hi: lo + 1, t: vi - lo };
  });
  const ranks = [...new Set(plan.flatMap(x => [x.lo, x.hi]))].sort((a, b) => a - b);
  const known = new Map<number, number>();
  if (info.min === info.max) for (const r of ranks) known.set(r, info.min);

  interface Pending { chain: ChainLevel[]; lo: number; hi: number; ranks: { global: number; local: number }[] }
  let pending: Pending[] = info.min === info.max ? [] : [{ chain: [], lo: info.min, hi: info.max, ranks: ranks.map(r => ({ global: r, local: r })) }];
  const zeroCount = info.implicitZeros;
  // Fewer bins for small regions (cheap passes), 2^16 for big ones.
  const NB = Math.min(ROOT_BINS, Math.max(256, 2 ** Math.ceil(Math.log2(Math.max(1, n / 64)))));
  for (let iter = 0; pending.length > 0; iter++) {
    const hnodes: PctHistNode[] = pending.map(p => ({ chain: p.chain, lo: p.lo, hi: p.hi, nb: NB }));
    const counts = await run<Float64Array[]>('pct-hist', { nodes: hnodes });
    interface Child { chain: ChainLevel[]; count: number; ranks: { global: number; local: number }[]; parent: Pending }
    const children = new Map<string, Child>();
    pending.forEach((p, j) => {
      const c = counts[j];
      if (zeroCount > 0 && inChain(p.chain, 0)) c[binIndex(p.lo, p.hi, NB, 0)] += zeroCount;
      const cum = new Float64Array(NB + 1);
      for (let k = 0; k < NB; k++) cum[k + 1] = cum[k] + c[k];
      for (const r of p.ranks) {
        // bin b with cum[b] <= local < cum[b+1]
        let lo = 0, hi = NB;
        while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (cum[mid] <= r.local) lo = mid; else hi = mid; }
        const key = `${j}:${lo}`;
        let ch = children.get(key);
        if (!ch) { ch = { chain: [...p.chain, { lo: p.lo, hi: p.hi, nb: NB, bin: lo }], count: c[lo], ranks: [], parent: p }; children.set(key, ch); }
        ch.ranks.push({ global: r.global, local: r.local - cum[lo] });
      }
    });
    const list = [...children.values()];
    // Force collection when refinement would not progress (guards against endless refinement).
    const collect = list.map(ch => ch.count <= COLLECT_CAP || iter >= 8);
    const parts = await run<PctCollectPartial[]>('pct-collect', { nodes: list.map((ch, j) => ({ chain: ch.chain, collect: collect[j] })) });
    pending = [];
    list.forEach((ch, j) => {
      const part = parts[j];
      const zerosHere = zeroCount > 0 && inChain(ch.chain, 0) ? zeroCount : 0;
      let min = part.min, max = part.max;
      if (zerosHere > 0) { if (0 < min) min = 0; if (0 > max) max = 0; }
      if (collect[j]) {
        const vals = new Float64Array(part.count + zerosHere);
        vals.set(part.values!);
        vals.sort();
        for (const r of ch.ranks) known.set(r.global, vals[r.local]);
      } else if (min === max) {
        for (const r of ch.ranks) known.set(r.global, min);
      } else {
        pending.push({ chain: ch.chain, lo: min, hi: max, ranks: ch.ranks });
      }
    });
  }
  return plan.map(x => numpyLerp(known.get(x.lo)!, known.get(x.hi)!, x.t, info.dtype));
}

// A MatrixClient over a synthetic matrix computed on the fly, for developing and screenshotting the UI
// without a backend (`?fake=1`, or `?fake=sparse`). Answers follow shared/queries.ts semantics closely
// enough for the views; it is not a reference implementation.
import type { LinkState, MatrixClient, OpenOptions, RecentEntry } from '../../../shared/client';
import type { HistogramResult, MatrixInfo, QueryMap, QueryName, SliceResult, ViewportResult } from '../../../shared/queries';
import { expectedBlock } from '../../../shared/tile-math';

interface Synthetic { rows: number; cols: number; sparse: boolean; f: (i: number, j: number) => number }

function synthetic(kind: string): Synthetic {
  if (kind === 'sparse') {
    const rows = 5000, cols = 5000;
    return {
      rows, cols, sparse: true,
      f: (i, j) => {
        const d = Math.abs(i - j);
        if (d < 3 || (i * 7 + j * 13) % 997 === 0) return 1 + ((i + j) % 5);
        return 0;
      },
    };
  }
  const rows = 3000, cols = 4000;
  // separable tables keep the synthetic matrix cheap to evaluate on the UI thread
  const A = Float64Array.from({ length: rows }, (_, i) => 10 * Math.sin(i / 97));
  const B = Float64Array.from({ length: cols }, (_, j) => Math.cos(j / 131));
  const C = Float64Array.from({ length: rows }, (_, i) => 30 * Math.exp(-((i - 1500) ** 2) / 2e5));
  const D = Float64Array.from({ length: cols }, (_, j) => Math.exp(-((j - 2600) ** 2) / 2e5));
  return { rows, cols, sparse: false, f: (i, j) => A[i] * B[j] + C[i] * D[j] + ((i * 31 + j * 17) % 7) / 7 };
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((res, rej) => {
  const t = setTimeout(res, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); rej(new Error('cancelled')); });
});

export function createFakeClient(kind = 'dense'): MatrixClient {
  const m = synthetic(kind);
  const levels: number[] = [];
  for (let b = 1; ; b *= 2) { levels.push(b); if (Math.ceil(m.rows / b) <= 256 && Math.ceil(m.cols / b) <= 256) break; }
  // whole-matrix stats from a sample grid
  const sample: number[] = [];
  const sr = Math.max(1, Math.floor(m.rows / 300)), sc = Math.max(1, Math.floor(m.cols / 300));
  for (let i = 0; i < m.rows; i += sr) for (let j = 0; j < m.cols; j += sc) sample.push(m.f(i, j));
  sample.sort((a, b) => a - b);
  const mean = sample.reduce((a, b) => a + b, 0) / sample.length;
  const std = Math.sqrt(sample.reduce((a, b) => a + (b - mean) ** 2, 0) / sample.length);
  const total = m.rows * m.cols;
  const zeros = Math.round(sample.filter(v => v === 0).length / sample.length * total);
  const info: MatrixInfo = {
    id: `fake-${kind}`, storePath: `/tmp/fake-${kind}.mxstore`, sourcePath: `/synthetic/${kind}.npy`, sourceFormat: 'npy',
    shape: [m.rows, m.cols], kind: m.sparse ? 'sparse' : 'dense', dtype: 'f4',
    nnz: total - zeros, density: (total - zeros) / total,
    stats: { min: sample[0], max: sample[sample.length - 1], mean, std, finite: total, nan: 0, posinf: 0, neginf: 0, zeros },
    levels, header: `synthetic ${m.rows}×${m.cols} ${kind}`,
  };
  const listeners = new Set<(s: LinkState) => void>();
  const channel = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel('fake-link') : null;
  channel?.addEventListener('message', e => listeners.forEach(l => l(e.data as LinkState)));

  const percentile = (sorted: number[], p: number) => {
    if (!sorted.length) return null;
    const x = (p / 100) * (sorted.length - 1), lo = Math.floor(x), hi = Math.ceil(x);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (x - lo);
  };

  const handlers: { [Q in QueryName]: (req: QueryMap[Q]['req']) => QueryMap[Q]['res'] } = {
    info: () => info,
    stats: () => info.stats,
    value: ({ i, j }) => ({ i, j, value: m.f(i, j), ...(m.sparse ? { stored: m.f(i, j) !== 0 } : {}) }),
    viewport: (req): ViewportResult => {
      const block = expectedBlock(levels, req);
      const a0 = Math.floor(req.r0 / block), b0 = Math.floor(req.c0 / block);
      const rows = Math.floor((req.r1 - 1) / block) - a0 + 1, cols = Math.floor((req.c1 - 1) / block) - b0 + 1;
      const n = rows * cols;
      const out = { block, rowStart: a0 * block, colStart: b0 * block, rows, cols, min: new Float32Array(n), max: new Float32Array(n), mean: new Float32Array(n), count: new Float32Array(n) };
      const step = Math.max(1, Math.floor(block / 4));
      for (let a = 0; a < rows; a++) for (let b = 0; b < cols; b++) {
        let lo = Infinity, hi = -Infinity, s = 0, k = 0, c = 0;
        const i0 = (a0 + a) * block, j0 = (b0 + b) * block;
        for (let i = i0; i < Math.min(i0 + block, m.rows); i += step) for (let j = j0; j < Math.min(j0 + block, m.cols); j += step) {
          const v = m.f(i, j); lo = Math.min(lo, v); hi = Math.max(hi, v); s += v; k++; if (v !== 0 || !m.sparse) c++;
        }
        const area = (Math.min(i0 + block, m.rows) - i0) * (Math.min(j0 + block, m.cols) - j0);
        const idx = a * cols + b;
        out.min[idx] = lo; out.max[idx] = hi; out.mean[idx] = k ? s / k : NaN; out.count[idx] = k ? c / k * area : 0;
      }
      return out;
    },
    row: req => slice('row', req), col: req => slice('col', req),
    histogram: (req): HistogramResult => {
      const lo = req.range?.[0] ?? info.stats.min!, hi = req.range?.[1] ?? info.stats.max!;
      const edges: number[] = [];
      for (let k = 0; k <= req.bins; k++) edges.push(req.log ? 10 ** (Math.log10(lo) + k / req.bins * (Math.log10(hi) - Math.log10(lo))) : lo + k / req.bins * (hi - lo));
      const counts = new Array(req.bins).fill(0);
      let below = 0, above = 0;
      const scale = total / sample.length;
      for (const v of sample) {
        if (v < lo || (req.log && v <= 0)) { below += scale; continue; }
        if (v > hi) { above += scale; continue; }
        let k = edges.findIndex(e => e > v) - 1;
        if (k < 0) k = req.bins - 1;
        counts[Math.min(k, req.bins - 1)] += scale;
      }
      const rounded = counts.map(Math.round);
      below = Math.round(below); above = total - below - rounded.reduce((a, b) => a + b, 0);
      return { edges, counts: rounded, nan: 0, posinf: 0, neginf: 0, zeros, below, above, total };
    },
    percentiles: req => ({ p: req.p, values: req.p.map(p => percentile(sample, p)) }),
  };

  function slice(axis: 'row' | 'col', req: { index: number; start?: number; end?: number; points?: number }): SliceResult {
    const len = axis === 'row' ? m.cols : m.rows;
    const start = req.start ?? 0, end = req.end ?? len;
    const at = (k: number) => axis === 'row' ? m.f(req.index, k) : m.f(k, req.index);
    const points = req.points ?? Infinity;
    if (end - start <= points) {
      const values = new Float64Array(end - start);
      for (let k = start; k < end; k++) values[k - start] = at(k);
      return { axis, index: req.index, start, end, step: 1, values };
    }
    const step = Math.ceil((end - start) / points), n = Math.ceil((end - start) / step);
    const min = new Float32Array(n), max = new Float32Array(n);
    for (let p = 0; p < n; p++) {
      let lo = Infinity, hi = -Infinity;
      for (let k = start + p * step; k < Math.min(end, start + (p + 1) * step); k++) { const v = at(k); if (v < lo) lo = v; if (v > hi) hi = v; }
      min[p] = lo; max[p] = hi;
    }
    return { axis, index: req.index, start, end, step, min, max };
  }

  const recent: RecentEntry[] = [{ path: info.sourcePath, openedAt: new Date().toISOString(), shape: info.shape }];
  return {
    async current() { return info; },
    async open(path: string, options?: OpenOptions) {
      if (!/\.(mtx|mm|npy|csv|tsv)$/i.test(path)) throw new Error(`${path}: not a matrix file I can read (expected .mtx, .npy or .csv)`);
      for (let k = 0; k <= 10; k++) { options?.onProgress?.({ fraction: k / 10, phase: 'parsing' }); await sleep(60, options?.signal); }
      return info;
    },
    async openBytes(name: string, _bytes: Uint8Array, options?: OpenOptions) { return this.open(name, options); },
    async recent() { return recent; },
    async query(_id, name, req, signal) {
      await sleep(kind === 'slow' ? 300 : 5, signal);
      return (handlers[name] as (r: typeof req) => never)(req);
    },
    publishLink(state) { channel?.postMessage(state); },
    onLink(listener) { listeners.add(listener); return () => listeners.delete(listener); },
    newWindow() { window.open(location.href, '_blank'); },
  };
}

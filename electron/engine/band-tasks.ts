// Whole-matrix work as band tasks: each computes a partial over rows [rowStart, rowEnd) (optionally a
// rectangle's columns), partials merge exactly. The helper pool runs `runBandTask` in other
// processes; `splitBands` is how work is cut.
import type { Rect } from '../../shared/queries';
import type { StoreManifest } from '../../shared/store-manifest';
import { throwIfAborted } from './engine-error';
import { addToHistogram, emptyPartial, mergeHistograms, type HistogramPartial, type HistogramPlan } from './histogram';
import { mergeCollect, pctHistAdd, PctCollector, type PctCollectNode, type PctCollectPartial, type PctHistNode } from './percentiles';
import { scanStored, type Region } from './scan';
import { addToStats, emptyStats, mergeStats, type StatsPartial } from './stats';
import type { StoreData } from './store-data';

export const BAND_TASK_NAMES = ['histogram', 'stats', 'pct-hist', 'pct-collect'] as const;
export type BandTaskName = typeof BAND_TASK_NAMES[number];

export interface HistogramTaskReq { plan: HistogramPlan }
export interface StatsTaskReq { rect?: Rect }
export interface PctHistTaskReq { rect?: Rect; nodes: PctHistNode[] }
export interface PctCollectTaskReq { rect?: Rect; nodes: PctCollectNode[] }

export interface TaskTypes {
  histogram: { req: HistogramTaskReq; part: HistogramPartial };
  stats: { req: StatsTaskReq; part: StatsPartial };
  'pct-hist': { req: PctHistTaskReq; part: Float64Array[] };
  'pct-collect': { req: PctCollectTaskReq; part: PctCollectPartial[] };
}

/** The rows a task's request touches (a rectangle's, else all). */
export function taskRows(manifest: StoreManifest, req: unknown): [number, number] {
  const rect = (req as { rect?: Rect } | null)?.rect;
  const rows = manifest.shape[0];
  if (!rect) return [0, rows];
  return [Math.max(0, Math.min(rows, rect.r0)), Math.max(0, Math.min(rows, rect.r1))];
}

/** Cuts rows [r0, r1) (default all) into at most `parts` contiguous bands of near-equal rows. */
export function splitBands(manifest: StoreManifest, parts: number, rows?: [number, number]): { rowStart: number; rowEnd: number }[] {
  const [r0, r1] = rows ?? [0, manifest.shape[0]];
  const n = Math.max(0, r1 - r0);
  const k = Math.max(1, Math.min(parts, n));
  const out: { rowStart: number; rowEnd: number }[] = [];
  for (let i = 0; i < k; i++) {
    const a = r0 + Math.floor((n * i) / k), b = r0 + Math.floor((n * (i + 1)) / k);
    if (b > a || (n === 0 && i === 0)) out.push({ rowStart: a, rowEnd: b });
  }
  return out;
}

/** Bands of roughly `elements` elements (dense) or stored entries (sparse) each, for in-process runs with progress. */
export function bandsBySize(manifest: StoreManifest, req: unknown, elements = 1 << 23): { rowStart: number; rowEnd: number }[] {
  const [r0, r1] = taskRows(manifest, req);
  const [rows, cols] = manifest.shape;
  const perRow = manifest.kind === 'sparse' ? Math.max(1, manifest.nnz / Math.max(1, rows)) : Math.max(1, cols);
  const parts = Math.max(1, Math.ceil(((r1 - r0) * perRow) / elements));
  return splitBands(manifest, parts, [r0, r1]);
}

function region(store: StoreData, rowStart: number, rowEnd: number, rect?: Rect): Region {
  if (!rect) return { rowStart, rowEnd, c0: 0, c1: store.cols };
  return { rowStart: Math.max(rowStart, rect.r0), rowEnd: Math.min(rowEnd, rect.r1), c0: rect.c0, c1: rect.c1 };
}

export function runBandTask(store: StoreData, task: string, req: unknown, rowStart: number, rowEnd: number, signal?: AbortSignal): unknown {
  throwIfAborted(signal);
  rowStart = Math.max(0, rowStart); rowEnd = Math.min(store.rows, rowEnd);
  const main = store.values ?? store.data!;
  main.advise('sequential');
  try {
    return runTask(store, task, req, rowStart, rowEnd);
  } finally {
    main.advise('normal');
    // The helper unmaps the band's pages from its own page tables: they stay in the page cache for every
    // process, but a histogram would otherwise leave this helper's share of the matrix (hundreds of MiB)
    // mapped by it alone, counted as its private memory.
    store.releaseTouched();
  }
}

function runTask(store: StoreData, task: string, req: unknown, rowStart: number, rowEnd: number): unknown {
  switch (task as BandTaskName) {
    case 'histogram': {
      const { plan } = req as HistogramTaskReq;
      const p = emptyPartial(plan.bins);
      p.stored = scanStored(store, region(store, rowStart, rowEnd), v => addToHistogram(plan, p, v));
      return p;
    }
    case 'stats': {
      const { rect } = req as StatsTaskReq;
      const p = emptyStats();
      p.stored = scanStored(store, region(store, rowStart, rowEnd, rect), v => addToStats(p, v));
      return p;
    }
    case 'pct-hist': {
      const { rect, nodes } = req as PctHistTaskReq;
      const counts = nodes.map(n => new Float64Array(n.nb));
      scanStored(store, region(store, rowStart, rowEnd, rect), v => pctHistAdd(nodes, counts, v));
      return counts;
    }
    case 'pct-collect': {
      const { rect, nodes } = req as PctCollectTaskReq;
      const c = new PctCollector(nodes);
      scanStored(store, region(store, rowStart, rowEnd, rect), v => c.add(v));
      return c.result();
    }
    default:
      throw new Error(`unknown band task ${JSON.stringify(task)}`);
  }
}

/** Combines band partials of one task exactly (counts add; min/max; Chan's merge for variance). */
export function mergeBandResults(task: string, req: unknown, parts: unknown[]): unknown {
  switch (task as BandTaskName) {
    case 'histogram': return mergeHistograms((req as HistogramTaskReq).plan.bins, parts as HistogramPartial[]);
    case 'stats': return mergeStats(parts as StatsPartial[]);
    case 'pct-hist': {
      const nodes = (req as PctHistTaskReq).nodes;
      const out = nodes.map(n => new Float64Array(n.nb));
      for (const p of parts as Float64Array[][]) p.forEach((c, j) => { const o = out[j]; for (let k = 0; k < c.length; k++) o[k] += c[k]; });
      return out;
    }
    case 'pct-collect': {
      const ps = parts as PctCollectPartial[][];
      return ps.length ? mergeCollect(ps) : (req as PctCollectTaskReq).nodes.map(n => ({ min: Infinity, max: -Infinity, count: 0, values: n.collect ? new Float64Array(0) : null }));
    }
    default:
      throw new Error(`unknown band task ${JSON.stringify(task)}`);
  }
}

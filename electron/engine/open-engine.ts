// Attaches to a store and answers queries: viewport tiles, values, slices, histogram, percentiles, stats.
// Whole-matrix work runs as band tasks (band-tasks.ts), in this process or spread by the helper pool.
import type { HistogramResult, MatrixInfo, PercentilesResult, Progress, QueryMap, QueryName, Rect } from '../../shared/queries';
import type { StoreManifest, StoreStats } from '../../shared/store-manifest';
import { bandsBySize, mergeBandResults, runBandTask, taskRows } from './band-tasks';
import { badInput, EngineError, throwIfAborted } from './engine-error';
import { histogramResult, planHistogram, addZeros, type HistogramPartial } from './histogram';
import { loadManifest } from './load-manifest';
import { computePercentiles } from './percentiles';
import { colSlice, rowSlice, valueAt } from './slices';
import { addZerosToStats, statsResult, type StatsPartial } from './stats';
import { StoreData } from './store-data';
import type { SourceMode } from './store-file';
import { computeViewport } from './viewport';

export type { SourceMode } from './store-file';

export interface QueryContext {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Runs whole-matrix work over row bands, possibly in other processes (the helper pool). Default: in this process. */
  bands?: BandExecutor;
}

/** A piece of whole-matrix work over rows [rowStart, rowEnd). `task` names an engine band function (BAND_TASK_NAMES). */
export interface BandTask { task: string; req: unknown; rowStart: number; rowEnd: number }

/** Runs a band task over the whole matrix split into row bands, returns the partial results (any order). */
export type BandExecutor = (task: string, req: unknown, ctx: { signal?: AbortSignal; onProgress?: (p: Progress) => void }) => Promise<unknown[]>;

export interface MatrixEngine {
  readonly storePath: string;
  readonly manifest: StoreManifest;
  readonly mode: SourceMode;
  info(): MatrixInfo;
  query<Q extends QueryName>(name: Q, req: QueryMap[Q]['req'], ctx?: QueryContext): Promise<QueryMap[Q]['res']>;
  /** One band of whole-matrix work (what a helper process runs for the pool). */
  runBand(band: BandTask, ctx?: { signal?: AbortSignal }): Promise<unknown>;
  close(): Promise<void>;
}

/** Default mode: 'paged' inside Electron (V8 memory cage), 'mapped' elsewhere; MATRIX_EXPLORER_SOURCE overrides. */
export function defaultSourceMode(): SourceMode {
  const forced = process.env.MATRIX_EXPLORER_SOURCE;
  if (forced === 'mapped' || forced === 'paged') return forced;
  return process.versions.electron ? 'paged' : 'mapped';
}

const yieldToLoop = (): Promise<void> => new Promise(resolve => setImmediate(resolve));

function headerText(m: StoreManifest): string {
  const s = m.source;
  if (s.mtx) return `%%MatrixMarket matrix ${s.mtx.format} ${s.mtx.field} ${s.mtx.symmetry}`;
  if (s.npy) return `npy ${s.npy.version} descr=${s.npy.descr} fortran_order=${s.npy.fortranOrder} shape=(${s.npy.shape.join(', ')})`;
  if (s.csv) return `csv delimiter=${JSON.stringify(s.csv.delimiter)} header=${s.csv.header}`;
  return s.format;
}

class Engine implements MatrixEngine {
  private closed = false;
  constructor(readonly storePath: string, readonly manifest: StoreManifest, readonly mode: SourceMode, private readonly store: StoreData) {}

  info(): MatrixInfo {
    const m = this.manifest;
    const [rows, cols] = m.shape;
    return {
      id: this.storePath, storePath: this.storePath, sourcePath: m.source?.path ?? '', sourceFormat: m.source?.format ?? 'npy',
      shape: [rows, cols], kind: m.kind, dtype: m.dtype, nnz: m.nnz,
      density: rows * cols > 0 ? m.nnz / (rows * cols) : 0,
      stats: m.stats, levels: [1, ...this.store.levels.map(l => l.meta.block)], header: m.source ? headerText(m) : '',
    };
  }

  async runBand(band: BandTask, ctx: { signal?: AbortSignal } = {}): Promise<unknown> {
    this.check();
    return runBandTask(this.store, band.task, band.req, band.rowStart, band.rowEnd, ctx.signal);
  }

  /** In-process executor: bands of a few million elements, yielding to the event loop between them. */
  private localBands: BandExecutor = async (task, req, ctx) => {
    const bands = bandsBySize(this.manifest, req);
    const out: unknown[] = [];
    for (let k = 0; k < bands.length; k++) {
      throwIfAborted(ctx.signal);
      out.push(runBandTask(this.store, task, req, bands[k].rowStart, bands[k].rowEnd, ctx.signal));
      ctx.onProgress?.({ fraction: (k + 1) / bands.length, phase: task, done: k + 1, total: bands.length });
      await yieldToLoop();
      throwIfAborted(ctx.signal);
    }
    return out;
  };

  private async runTask<T>(task: string, req: unknown, ctx: QueryContext, phase?: string): Promise<T> {
    const exec = ctx.bands ?? this.localBands;
    const onProgress = ctx.onProgress && phase ? (p: Progress) => ctx.onProgress!({ ...p, phase }) : ctx.onProgress;
    const parts = await exec(task, req, { signal: ctx.signal, onProgress });
    throwIfAborted(ctx.signal);
    return mergeBandResults(task, req, parts) as T;
  }

  async query<Q extends QueryName>(name: Q, req: QueryMap[Q]['req'], ctx: QueryContext = {}): Promise<QueryMap[Q]['res']> {
    this.check();
    throwIfAborted(ctx.signal);
    const r = req as never;
    switch (name) {
      case 'info': return this.info() as QueryMap[Q]['res'];
      case 'viewport': return this.reading(() => computeViewport(this.store, r)) as QueryMap[Q]['res'];
      case 'value': {
        const q = req as QueryMap['value']['req'];
        return this.reading(() => valueAt(this.store, q?.i, q?.j)) as QueryMap[Q]['res'];
      }
      case 'row': return this.reading(() => rowSlice(this.store, r)) as QueryMap[Q]['res'];
      case 'col': return this.reading(() => colSlice(this.store, r)) as QueryMap[Q]['res'];
      case 'stats': return this.manifest.stats as QueryMap[Q]['res'];
      case 'histogram': return (await this.histogram(r, ctx)) as QueryMap[Q]['res'];
      case 'percentiles': return (await this.percentiles(r, ctx)) as QueryMap[Q]['res'];
      default: throw badInput(`unknown query ${JSON.stringify(name)}`);
    }
  }

  /**
   * A small query's read of the store, after which the pages it mapped are released (whole-matrix work
   * releases its bands in runBandTask): re-reading them later is a minor fault from the page cache.
   */
  private reading<T>(read: () => T): T {
    try { return read(); } finally { this.store.releaseTouched(); }
  }

  /** Recomputes the whole-matrix statistics over bands (the manifest holds them already). */
  async recomputeStats(ctx: QueryContext = {}, rect?: Rect): Promise<StoreStats & { minPositive: number | null }> {
    const part = await this.regionStats(ctx, rect);
    return { ...statsResult(part), minPositive: Number.isFinite(part.minPositive) ? part.minPositive : null };
  }

  private async regionStats(ctx: QueryContext, rect?: Rect): Promise<StatsPartial> {
    const part = await this.runTask<StatsPartial>('stats', rect ? { rect } : {}, ctx, 'stats');
    if (this.store.sparse) {
      const area = rect ? (rect.r1 - rect.r0) * (rect.c1 - rect.c0) : this.manifest.shape[0] * this.manifest.shape[1];
      addZerosToStats(part, area - part.stored);
    }
    return part;
  }

  private async histogram(req: QueryMap['histogram']['req'], ctx: QueryContext): Promise<HistogramResult> {
    if (!req || typeof req !== 'object') throw badInput('histogram: request must be an object with bins');
    let minPositive: number | null = null;
    let stats = this.manifest.stats;
    // Sparse default ranges come from a (cheap) pass over the stored entries: exact even when the store
    // keeps duplicate entries (whose sum is the element). Log bins need the smallest positive value.
    if (!req.range && (req.log || this.store.sparse)) {
      const s = await this.recomputeStats(ctx);
      minPositive = s.minPositive;
      if (this.store.sparse) stats = s;
    }
    const plan = planHistogram(req, this.manifest.dtype, stats, minPositive);
    const part = await this.runTask<HistogramPartial>('histogram', { plan }, ctx, 'histogram');
    const total = this.manifest.shape[0] * this.manifest.shape[1];
    if (this.store.sparse) addZeros(plan, part, total - part.stored);
    return histogramResult(plan, part, total);
  }

  private async percentiles(req: QueryMap['percentiles']['req'], ctx: QueryContext): Promise<PercentilesResult> {
    if (!req || !Array.isArray(req.p)) throw badInput('percentiles: request must have p, an array of numbers in [0, 100]');
    for (const p of req.p) if (typeof p !== 'number' || !(p >= 0 && p <= 100)) throw badInput(`percentiles: ${p} is not in [0, 100]`);
    const [rows, cols] = this.manifest.shape;
    let rect: Rect | undefined;
    let n: number, min: number, max: number, implicitZeros: number;
    if (req.rect) {
      const q = req.rect;
      for (const k of ['r0', 'r1', 'c0', 'c1'] as const) if (typeof q[k] !== 'number' || !Number.isFinite(q[k])) throw badInput(`percentiles: rect.${k} must be a number`);
      rect = { r0: Math.max(0, Math.floor(q.r0)), r1: Math.min(rows, Math.ceil(q.r1)), c0: Math.max(0, Math.floor(q.c0)), c1: Math.min(cols, Math.ceil(q.c1)) };
      if (rect.r1 <= rect.r0 || rect.c1 <= rect.c0) return { p: req.p.slice(), values: req.p.map(() => null) };
      const s = await this.regionStats(ctx, rect);
      n = s.finite; min = s.min; max = s.max;
      implicitZeros = this.store.sparse ? (rect.r1 - rect.r0) * (rect.c1 - rect.c0) - s.stored : 0;
    } else if (this.store.sparse) {
      // Sparse: one cheap pass over the stored entries gives exact counts (duplicates summed).
      const s = await this.regionStats(ctx);
      n = s.finite; min = s.min; max = s.max;
      implicitZeros = rows * cols - s.stored;
    } else {
      const s = this.manifest.stats;
      n = s.finite; min = s.min ?? 0; max = s.max ?? 0;
      implicitZeros = 0;
    }
    const values = await computePercentiles(req.p, { n, min, max, implicitZeros, dtype: this.manifest.dtype },
      async <T>(task: string, r: { nodes: unknown[] }) => this.runTask<T>(task, rect ? { ...r, rect } : r, ctx, 'percentiles'));
    return { p: req.p.slice(), values };
  }

  private check(): void {
    if (this.closed) throw new EngineError('internal', `${this.storePath}: engine is closed`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.store.close();
  }
}

/** Opens a store: reads its manifest and the .npy headers, maps or opens the files; no data scan. */
export async function openEngine(storePath: string, options: { mode?: SourceMode } = {}): Promise<MatrixEngine> {
  const manifest = await loadManifest(storePath);
  const mode = options.mode ?? defaultSourceMode();
  const store = new StoreData(storePath, manifest, mode);
  return new Engine(storePath, manifest, mode, store);
}

/** Band-task helpers the pool needs, re-exported from one place. */
export { BAND_TASK_NAMES, splitBands, taskRows, mergeBandResults } from './band-tasks';

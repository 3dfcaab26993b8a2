// A stand-in engine for the pool's unit tests: a synthetic matrix whose shape is in the store path
// ("…/fake-ROWSxCOLS"), value(i, j) = (i*cols + j) % 97, plus misbehaviours triggered by requests:
// value i = -1 → process.exit (poisoned request), i = -2 → async sleep j ms (honours cancel),
// i = -3 → synchronous busy loop j ms (ignores cancel), i = -4 → throws a bad-input error.
import type { QueryMap, QueryName } from '../../../shared/queries';
import type { StoreManifest } from '../../../shared/store-manifest';
import type { BandTask, MatrixEngine, QueryContext } from '../../engine/open-engine';

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); reject(Object.assign(new Error('cancelled'), { code: 'cancelled' })); }, { once: true });
});

let opens = 0;

export async function openFakeEngine(storePath: string): Promise<MatrixEngine> {
  opens++;
  const m = /(\d+)x(\d+)/.exec(storePath);
  if (!m) throw Object.assign(new Error(`${storePath}: not a store`), { code: 'not-found' });
  const rows = Number(m[1]), cols = Number(m[2]);
  const value = (i: number, j: number) => (i * cols + j) % 97;
  const histBand = (rowStart: number, rowEnd: number) => {
    const counts = new Float64Array(97);
    for (let i = rowStart; i < rowEnd; i++) for (let j = 0; j < cols; j++) counts[value(i, j)]++;
    return counts;
  };
  const engine: MatrixEngine = {
    storePath,
    manifest: { shape: [rows, cols] } as unknown as StoreManifest,
    mode: 'mapped',
    info: () => ({ id: storePath, storePath, shape: [rows, cols] }) as unknown as ReturnType<MatrixEngine['info']>,
    async runBand(band: BandTask, ctx?: { signal?: AbortSignal }) {
      const r = band.req as { delayMs?: number; busyMs?: number };
      if (r.delayMs) await sleep(r.delayMs, ctx?.signal);
      if (r.busyMs) { const end = Date.now() + r.busyMs; while (Date.now() < end) { /* a synchronous scan */ } }
      return { pid: process.pid, counts: histBand(band.rowStart, band.rowEnd) };
    },
    async query<Q extends QueryName>(name: Q, req: QueryMap[Q]['req'], ctx: QueryContext = {}): Promise<QueryMap[Q]['res']> {
      const any = req as Record<string, number>;
      switch (name) {
        case 'value': {
          if (any.i === -1) process.exit(7);
          if (any.i === -2) { await sleep(any.j, ctx.signal); return { i: -2, j: any.j, value: 0, pid: process.pid } as never; }
          if (any.i === -3) { const end = Date.now() + any.j; while (Date.now() < end) { /* deaf to cancel */ } return { i: -3, j: any.j, value: 0 } as never; }
          if (any.i === -4) throw Object.assign(new Error('row -4 is out of range'), { code: 'bad-input' });
          return { i: any.i, j: any.j, value: value(any.i, any.j), pid: process.pid, opens } as never;
        }
        case 'viewport': {
          const w = any.width, h = any.height;
          const mean = new Float32Array(w * h);
          for (let k = 0; k < mean.length; k++) mean[k] = k + 0.5;
          return { block: 1, rowStart: any.r0, colStart: any.c0, rows: h, cols: w, min: mean, max: mean, mean, count: mean } as never;
        }
        case 'histogram': {
          let counts: Float64Array, pids: number[] = [process.pid];
          ctx.onProgress?.({ fraction: 0, phase: 'counting' });
          if (ctx.bands) {
            const parts = (await ctx.bands('hist', { delayMs: any.delayMs ?? 0, busyMs: any.busyMs ?? 0 }, ctx)) as Array<{ pid: number; counts: Float64Array }>;
            counts = new Float64Array(97);
            for (const p of parts) p.counts.forEach((c, k) => { counts[k] += c; });
            pids = parts.map(p => p.pid);
          } else {
            if (any.delayMs) await sleep(any.delayMs, ctx.signal);
            counts = histBand(0, rows);
          }
          return { edges: [], counts: Array.from(counts), nan: 0, posinf: 0, neginf: 0, zeros: 0, below: 0, above: 0, total: rows * cols, pids } as never;
        }
        default:
          throw Object.assign(new Error(`fake engine: no ${name}`), { code: 'bad-input' });
      }
    },
    async close() {},
  };
  return engine;
}

// What a helper process does: attaches to stores by path (one engine per path, cached), answers
// query and band messages, honours cancel, reports progress, and — for whole-matrix queries —
// coordinates: it hands the engine a BandExecutor whose bands the parent spreads over all helpers.
// Under Electron it also serves windows' small queries on ports the parent hands it (window-port-server).
import type { Progress, QueryName } from '../../shared/queries';
import type { BandExecutor, MatrixEngine, SourceMode } from '../engine/open-engine';
import { splitRows } from './band-split';
import { afterAnswer } from './garbage-watch';
import type { ParentPort } from './parent-port';
import type { PortLike } from './protocol';
import { fromErrorPayload, PoolError, toErrorPayload } from './pool-error';
import { isObject, type AttachWindowMessage, type BandResultMessage, type FromHelper } from './protocol';
import { serveWindowPort, type WindowPortServer } from './window-port-server';

export type OpenEngineFn = (storePath: string, options: { mode?: SourceMode }) => Promise<MatrixEngine>;

/** Engines (open stores) a helper keeps; the least recently used beyond this are closed. */
const MAX_ENGINES = 16;

/**
 * Elements per band, about: small enough that a helper answers a window's small query between two
 * bands within ~50-100 ms, large enough that per-band overhead (a message, a partial result) is noise.
 */
const BAND_ELEMENTS = 8 * 2 ** 20;
const MAX_BANDS = 256;

/** Progress is sent at most this often per request. */
const PROGRESS_INTERVAL_MS = 100;

export function runHelper(open: OpenEngineFn, port: ParentPort, mode?: SourceMode): void {
  const engines = new Map<string, Promise<MatrixEngine>>();
  const running = new Map<number, AbortController>();
  const bandWaiters = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  let nextSub = 1;

  const send = (m: FromHelper) => port.send(m);
  const inUse = new Map<string, number>();
  const release = (storePath: string) => {
    const e = engines.get(storePath);
    if (!e || (inUse.get(storePath) ?? 0) > 0) return;
    engines.delete(storePath);
    e.then(engine => engine.close()).catch(() => { /* failed open or close: nothing held */ });
  };
  /** The engine of a store, opened once and kept (least recently used ones beyond MAX_ENGINES are closed). */
  const engineFor = (storePath: string): Promise<MatrixEngine> => {
    let e = engines.get(storePath);
    if (e) {
      engines.delete(storePath); // most recently used last
    } else {
      e = open(storePath, { mode });
      e.catch(() => { if (engines.get(storePath) === e) engines.delete(storePath); }); // a failed open is retried next time
    }
    engines.set(storePath, e);
    if (engines.size > MAX_ENGINES) for (const old of [...engines.keys()].slice(0, engines.size - MAX_ENGINES)) release(old);
    return e;
  };
  const using = async <T>(storePath: string, work: () => Promise<T>): Promise<T> => {
    inUse.set(storePath, (inUse.get(storePath) ?? 0) + 1);
    try { return await work(); } finally {
      const n = (inUse.get(storePath) ?? 1) - 1;
      if (n > 0) inUse.set(storePath, n); else inUse.delete(storePath);
    }
  };
  const withEngine = <T>(storePath: string, work: (engine: MatrixEngine) => Promise<T>): Promise<T> =>
    using(storePath, async () => work(await engineFor(storePath)));

  /** Windows' direct ports, by attachment name. */
  const windows = new Map<string, WindowPortServer>();
  const attachWindow = (m: AttachWindowMessage, port: PortLike) => {
    windows.get(m.attachWindow)?.close();
    const server = serveWindowPort(port, { matrixId: m.matrixId, storePath: m.storePath },
      (storePath, name, req, signal) => withEngine(storePath, engine => engine.query(name, req as never, { signal })),
      () => { if (windows.get(m.attachWindow) === server) windows.delete(m.attachWindow); });
    windows.set(m.attachWindow, server);
  };

  const progressSender = (id: number) => {
    let last = 0;
    return (p: Progress) => {
      const now = Date.now();
      if (now - last < PROGRESS_INTERVAL_MS && p.fraction !== 1) return;
      last = now;
      send({ id, progress: p });
    };
  };

  const bandsFor = (id: number, storePath: string, engine: MatrixEngine, count: number, signal: AbortSignal): BandExecutor =>
    async (task, req, ctx) => {
      const [rows, cols] = engine.manifest.shape;
      const work = engine.manifest.kind === 'sparse' ? engine.manifest.nnz : rows * cols;
      const ranges = splitRows(rows, Math.min(MAX_BANDS, Math.max(count, Math.ceil(work / BAND_ELEMENTS))));
      const subs: number[] = [];
      let done = 0;
      let onAbort = () => { /* set below */ };
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => {
          for (const sub of subs) bandWaiters.delete(sub);
          reject(new PoolError('cancelled', 'cancelled'));
        };
      });
      aborted.catch(() => { /* observed through Promise.race */ });
      if (signal.aborted || ctx.signal?.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      ctx.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const parts = ranges.map(([rowStart, rowEnd]) => new Promise<unknown>((resolve, reject) => {
          const sub = nextSub++;
          subs.push(sub);
          bandWaiters.set(sub, {
            resolve: r => {
              done++;
              ctx.onProgress?.({ fraction: done / ranges.length, phase: task, done, total: ranges.length });
              resolve(r);
            },
            reject,
          });
          send({ bandRequest: sub, of: id, storePath, band: { task, req, rowStart, rowEnd } });
        }));
        return await Promise.race([Promise.all(parts), aborted]);
      } finally {
        for (const sub of subs) bandWaiters.delete(sub);
        signal.removeEventListener('abort', onAbort);
        ctx.signal?.removeEventListener('abort', onAbort);
      }
    };

  const answer = async (id: number, work: (signal: AbortSignal) => Promise<unknown>) => {
    const controller = new AbortController();
    running.set(id, controller);
    try {
      const result = await work(controller.signal);
      send({ id, ok: true, result });
      afterAnswer();
    } catch (e) {
      send({ id, ok: false, error: controller.signal.aborted ? { code: 'cancelled', message: 'cancelled' } : toErrorPayload(e) });
    } finally {
      running.delete(id);
      controller.abort(); // drops band sub-requests still waiting (e.g. after a sibling band failed)
    }
  };

  port.onMessage((raw, ports) => {
    if (!isObject(raw)) return;
    if (typeof raw.attachWindow === 'string') {
      if (ports[0] && typeof raw.matrixId === 'string' && typeof raw.storePath === 'string') attachWindow(raw as unknown as AttachWindowMessage, ports[0]);
      return;
    }
    if (typeof raw.detachWindow === 'string') { windows.get(raw.detachWindow)?.close(); return; }
    if (typeof raw.cancel === 'number') { running.get(raw.cancel)?.abort(); return; }
    if (typeof raw.release === 'string') { release(raw.release); return; }
    if (typeof raw.bandResult === 'number') {
      const m = raw as unknown as BandResultMessage;
      const w = bandWaiters.get(m.bandResult);
      if (!w) return;
      bandWaiters.delete(m.bandResult);
      if (m.ok) w.resolve(m.result); else w.reject(fromErrorPayload(m.error!));
      return;
    }
    if (typeof raw.id !== 'number' || typeof raw.storePath !== 'string') return;
    const id = raw.id, storePath = raw.storePath;
    if (raw.band) {
      void answer(id, signal => withEngine(storePath, engine => engine.runBand(raw.band as never, { signal })));
    } else if (typeof raw.name === 'string') {
      const bands = typeof raw.bands === 'number' ? raw.bands : 1;
      void answer(id, signal => withEngine(storePath, engine => engine.query(raw.name as QueryName, raw.req as never, {
        signal,
        onProgress: progressSender(id),
        bands: bands > 1 ? bandsFor(id, storePath, engine, bands, signal) : undefined,
      })));
    }
  });
  port.onDisconnect(() => process.exit(0));
  send({ ready: true, pid: process.pid });
}

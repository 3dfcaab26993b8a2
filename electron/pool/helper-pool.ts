// A pool of helper processes attached to the same stores ("one copy, many readers"): every helper maps
// the same store files, so the page cache holds one copy however many helpers and windows read it.
//
// Small queries (viewport, value, row, col, info) go to the least-loaded helper. Whole-matrix queries
// (histogram, percentiles, stats) go to one helper as coordinator; the engine there gets a
// BandExecutor whose row bands the pool spreads over ALL helpers, and merges the partial results.
//
// Robustness: a helper that dies is restarted and its requests retried once elsewhere, then they fail
// with code 'helper-crashed'; every request has a deadline ('timeout'); an AbortSignal cancels
// ('cancelled'); a newer request with the same supersedeKey cancels the older ('superseded'). A helper
// that does not acknowledge a cancel within `cancelGraceMs` is killed and restarted. No caller hangs.
//
// Direct window ports (Electron): `helpers()`, `onHelpers()` and `sendPorts()` let the main process hand a
// helper one end of a MessageChannel per window (electron/shell/helper-port-broker decides which); the pool
// knows nothing of Electron — a port is an opaque transferable its channel's `sendWithPorts` carries.
import * as os from 'node:os';
import type { ErrorPayload, Progress, QueryMap, QueryName } from '../../shared/queries';
import type { BandTask } from '../engine/open-engine';
import { afterAnswer } from './garbage-watch';
import { fromErrorPayload, PoolError, type PoolErrorCode } from './pool-error';
import { isObject, type AttachWindowMessage, type BandResultMessage, type DetachWindowMessage, type FromHelper, type ToHelper } from './protocol';

export { PoolError } from './pool-error';

/** Starts one helper process; Node: child_process.fork, Electron: utilityProcess.fork. */
export type SpawnHelper = (index: number) => HelperChannel;

/** The parent's side of one helper: a message channel plus lifecycle. Messages are structured-cloneable. */
export interface HelperChannel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
  readonly pid?: number;
  /**
   * Sends a message that carries MessagePorts (Electron's utilityProcess; absent where ports cannot travel, e.g.
   * Node's fork). False when it could not be sent (the process is gone, or refused the ports).
   */
  sendWithPorts?(message: unknown, ports: unknown[]): boolean;
}

/** A running helper, as the pool shows it to whoever hands out direct window ports. */
export interface HelperInfo {
  index: number;
  /** Which process in that slot: a restarted helper has a new generation. */
  generation: number;
  /** Whether its channel can carry MessagePorts. */
  acceptsPorts: boolean;
}

/** A helper became ready (started or restarted), or is gone (crashed, killed, pool closed). */
export interface HelperEvent { kind: 'ready' | 'gone'; helper: HelperInfo }

export interface PoolOptions {
  /** Helpers to start (default: one per core). */
  size?: number;
  /** Default: fork electron/pool/helper-main (compiled .js, or .ts through tsx). */
  spawn?: SpawnHelper;
  /** Per-request deadline in ms (default 60 000). */
  deadlineMs?: number;
  /** A helper that has not answered a cancelled request this long after the cancel is killed and restarted (default 5000). */
  cancelGraceMs?: number;
  /** Row bands per helper for whole-matrix queries (default 8: small enough that other queries get a turn between bands). */
  bandsPerHelper?: number;
}

export interface PoolQueryOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Requests with the same supersedeKey (e.g. `${window}:viewport`) cancel the older one still running. */
  supersedeKey?: string;
  /** Overrides the pool's deadline for this request. */
  deadlineMs?: number;
}

/** Queries that read the whole matrix: fanned out over all helpers in row bands. */
const WHOLE_MATRIX: ReadonlySet<QueryName> = new Set<QueryName>(['histogram', 'percentiles', 'stats']);

interface Slot {
  index: number;
  generation: number;
  channel?: HelperChannel;
  alive: boolean;
  ready: boolean;
  queue: ToHelper[];
  /** Requests this helper is working on, by the id sent to it (settled ones wait for the helper's ack). */
  inflight: Map<number, Request>;
  /** Killed by the pool (cancel not acknowledged, or close): its requests are not charged a crash. */
  killedByPool: boolean;
  exited: Promise<void>;
}

interface Request {
  kind: 'query' | 'band';
  storePath: string;
  name?: QueryName;
  req?: unknown;
  band?: BandTask;
  /** Crashes suffered so far. */
  crashes: number;
  slot?: Slot;
  attemptId: number;
  settled: boolean;
  coordinating: boolean;
  children: Set<Request>;
  /** Bands: the coordinating query and the sub id its helper gave this band. */
  origin?: { request: Request; sub: number; slot: Slot; attemptId: number };
  onProgress?: (p: Progress) => void;
  supersedeKey?: string;
  deadlineTimer?: NodeJS.Timeout;
  graceTimer?: NodeJS.Timeout;
  settle: (err: PoolError | null, result?: unknown) => void;
}

/** Consecutive start-up failures (exit before 'ready') after which a slot is left down until the next query. */
const MAX_START_FAILURES = 3;

export class HelperPool {
  readonly size: number;
  private slots: Slot[] = [];
  private startFailures = new Map<number, number>();
  private supersede = new Map<string, Request>();
  private topLevel = new Set<Request>();
  private nextId = 1;
  private roundRobin = 0;
  private closed = false;
  private spawnError: string | null = null;
  private generations = 0;
  private readonly helperListeners = new Set<(e: HelperEvent) => void>();

  constructor(readonly options: PoolOptions = {}) {
    const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    this.size = Math.max(1, Math.floor(options.size ?? cores));
  }

  async query<Q extends QueryName>(storePath: string, name: Q, req: QueryMap[Q]['req'], opts: PoolQueryOptions = {}): Promise<QueryMap[Q]['res']> {
    if (this.closed) throw new PoolError('cancelled', 'the helper pool is closed');
    if (opts.signal?.aborted) throw new PoolError('cancelled', 'cancelled');
    this.ensureSlots();
    return new Promise<QueryMap[Q]['res']>((resolve, reject) => {
      const deadline = opts.deadlineMs ?? this.options.deadlineMs ?? 60_000;
      const onAbort = () => this.abort(request, 'cancelled', 'cancelled');
      const request: Request = {
        kind: 'query', storePath, name, req, crashes: 0, attemptId: 0, settled: false, coordinating: false,
        children: new Set(), onProgress: opts.onProgress, supersedeKey: opts.supersedeKey,
        settle: (err, result) => {
          opts.signal?.removeEventListener('abort', onAbort);
          this.topLevel.delete(request);
          if (err) reject(err); else resolve(result as QueryMap[Q]['res']);
        },
      };
      this.topLevel.add(request);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      request.deadlineTimer = setTimeout(
        () => this.abort(request, 'timeout', `${name} on ${storePath} did not finish within ${deadline} ms`), deadline);
      if (opts.supersedeKey !== undefined) {
        const older = this.supersede.get(opts.supersedeKey);
        if (older) this.abort(older, 'superseded', `superseded by a newer ${name} request (${opts.supersedeKey})`);
        this.supersede.set(opts.supersedeKey, request);
      }
      this.dispatch(request);
    });
  }

  /**
   * Tells every helper to close its engine of `storePath` when no request is using it (call after the
   * store was reconverted or deleted; the next query reopens it).
   */
  release(storePath: string): void {
    for (const s of this.slots) this.sendTo(s, { release: storePath });
  }

  /** Helpers running and ready now. */
  helpers(): HelperInfo[] {
    return this.slots.filter(s => s?.alive && s.ready).map(s => this.infoOf(s));
  }

  /** Listens for helpers becoming ready and going away; returns the unsubscribe. */
  onHelpers(listener: (e: HelperEvent) => void): () => void {
    this.helperListeners.add(listener);
    return () => { this.helperListeners.delete(listener); };
  }

  /**
   * Sends an attach (with the helper's end of a window's MessageChannel) or detach message to exactly the
   * helper process `helper` names. False, with nothing sent, when that process is gone or cannot carry ports.
   */
  sendPorts(helper: HelperInfo, message: AttachWindowMessage | DetachWindowMessage, ports: unknown[]): boolean {
    const slot = this.slots[helper.index];
    if (!slot || slot.generation !== helper.generation || !slot.alive || !slot.ready || !slot.channel) return false;
    if (ports.length === 0) { slot.channel.send(message); return true; }
    return slot.channel.sendWithPorts?.(message, ports) ?? false;
  }

  private infoOf(slot: Slot): HelperInfo {
    return { index: slot.index, generation: slot.generation, acceptsPorts: typeof slot.channel?.sendWithPorts === 'function' };
  }

  private emitHelper(kind: HelperEvent['kind'], slot: Slot): void {
    const e: HelperEvent = { kind, helper: this.infoOf(slot) };
    for (const l of [...this.helperListeners]) {
      try { l(e); } catch { /* a listener's failure is its own */ }
    }
  }

  /** PIDs of running helpers (for memory accounting). */
  pids(): number[] {
    return this.slots.filter(s => s.alive && s.channel?.pid !== undefined).map(s => s.channel!.pid!);
  }

  /** Rejects every pending request ('cancelled') and kills the helpers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const r of [...this.topLevel]) this.finish(r, new PoolError('cancelled', 'the helper pool was closed'));
    const exits = this.slots.map(s => s.exited);
    for (const s of this.slots) { s.killedByPool = true; if (s.alive) s.channel?.kill(); }
    await Promise.race([Promise.all(exits), new Promise(r => setTimeout(r, 3000).unref())]);
  }

  // ---- helpers' lifecycle ----

  private ensureSlots(): void {
    for (let i = 0; i < this.size; i++) {
      const s = this.slots[i];
      if (!s || !s.alive) {
        if (s && (this.startFailures.get(i) ?? 0) >= MAX_START_FAILURES) this.startFailures.set(i, 0);
        this.slots[i] = this.spawnSlot(i);
      }
    }
  }

  private spawnSlot(index: number): Slot {
    let onExited!: () => void;
    const slot: Slot = {
      index, generation: ++this.generations, alive: true, ready: false, queue: [], inflight: new Map(), killedByPool: false,
      exited: new Promise<void>(r => { onExited = r; }),
    };
    try {
      const spawn = this.options.spawn ?? defaultSpawn();
      const channel = spawn(index);
      slot.channel = channel;
      channel.onMessage(m => this.onMessage(slot, m));
      channel.onExit(code => { onExited(); this.onExit(slot, code); });
      this.spawnError = null;
    } catch (e) {
      slot.alive = false;
      onExited();
      this.spawnError = e instanceof Error ? e.message : String(e);
    }
    return slot;
  }

  private onExit(slot: Slot, code: number | null): void {
    if (!slot.alive) return;
    slot.alive = false;
    const wasReady = slot.ready;
    if (wasReady) this.emitHelper('gone', slot);
    const affected = [...slot.inflight.values()];
    slot.inflight.clear();
    for (const r of affected) clearTimeout(r.graceTimer);
    if (!this.closed && this.slots[slot.index] === slot) {
      const failures = wasReady ? 0 : (this.startFailures.get(slot.index) ?? 0) + 1;
      this.startFailures.set(slot.index, failures);
      if (failures < MAX_START_FAILURES) this.slots[slot.index] = this.spawnSlot(slot.index);
    }
    queueMicrotask(() => this.pumpBands());
    const how = code === null ? 'was killed' : `exited with code ${code}`;
    for (const r of affected) {
      if (r.settled) continue;
      this.dropChildren(r);
      if (!slot.killedByPool) r.crashes++;
      if (r.crashes >= 2) {
        this.finish(r, new PoolError('helper-crashed',
          `a helper process ${how} while answering ${describe(r)}, and again on retry; giving up`));
      } else {
        // Retry on the replacement (a new process for sure; another helper may be dying too).
        const fresh = this.slots[slot.index];
        if (r.kind === 'query' && fresh !== slot && fresh?.alive) this.send(r, fresh); else this.dispatch(r);
      }
    }
  }

  private onMessage(slot: Slot, raw: unknown): void {
    if (!isObject(raw) || !slot.alive) return;
    const m = raw as unknown as FromHelper;
    if ('ready' in m) {
      slot.ready = true;
      this.startFailures.set(slot.index, 0);
      for (const q of slot.queue.splice(0)) slot.channel!.send(q);
      this.emitHelper('ready', slot);
      return;
    }
    if ('bandRequest' in m) {
      const coordinator = slot.inflight.get(m.of);
      if (!coordinator || coordinator.settled) {
        this.sendTo(slot, { bandResult: m.bandRequest, ok: false, error: { code: 'cancelled', message: 'cancelled' } });
        return;
      }
      coordinator.coordinating = true;
      const child: Request = {
        kind: 'band', storePath: m.storePath, band: m.band, crashes: 0, attemptId: 0, settled: false,
        coordinating: false, children: new Set(),
        origin: { request: coordinator, sub: m.bandRequest, slot, attemptId: m.of },
        settle: () => { /* answered through the coordinator */ },
      };
      coordinator.children.add(child);
      this.dispatch(child);
      return;
    }
    const request = slot.inflight.get(m.id);
    if (!request) return;
    if ('progress' in m) {
      if (!request.settled) request.onProgress?.(m.progress);
      return;
    }
    slot.inflight.delete(m.id);
    clearTimeout(request.graceTimer);
    if (request.kind === 'band') queueMicrotask(() => this.pumpBands());
    if (request.settled) return; // the ack of a cancelled request
    const reply = m as { ok: boolean; result?: unknown; error?: ErrorPayload };
    this.finish(request, reply.ok ? null : fromErrorPayload(reply.error!), reply.result);
    afterAnswer(); // the answer, decoded here and passed on, is garbage soon
  }

  // ---- requests ----

  private pick(): Slot | undefined {
    const alive = this.slots.filter(s => s.alive);
    if (alive.length === 0) return undefined;
    const load = (s: Slot) => {
      let n = 0;
      for (const r of s.inflight.values()) if (!r.coordinating) n++;
      return n;
    };
    const start = this.roundRobin++ % alive.length;
    let best = alive[start], bestLoad = load(best);
    for (let k = 1; k < alive.length; k++) {
      const s = alive[(start + k) % alive.length];
      const l = load(s);
      if (l < bestLoad) { best = s; bestLoad = l; }
    }
    return best;
  }

  /**
   * Bands wait here and go out one per helper at a time, so a helper busy with whole-matrix work
   * still answers a window's small query within about one band's time.
   */
  private bandQueue: Request[] = [];

  private pumpBands(): void {
    if (this.bandQueue.length === 0) return;
    const busy = (s: Slot) => { for (const r of s.inflight.values()) if (r.kind === 'band') return true; return false; };
    for (const slot of this.slots) {
      if (!slot?.alive || busy(slot)) continue;
      let next: Request | undefined;
      while ((next = this.bandQueue.shift()) && next.settled) { /* dropped while waiting */ }
      if (!next) return;
      this.send(next, slot);
    }
  }

  private dispatch(request: Request): void {
    if (this.closed) return this.finish(request, new PoolError('cancelled', 'the helper pool was closed'));
    if (request.kind === 'band' && this.slots.some(s => s.alive)) {
      request.slot = undefined;
      this.bandQueue.push(request);
      return this.pumpBands();
    }
    const slot = this.pick();
    if (!slot) {
      return this.finish(request, new PoolError('helper-crashed',
        `no helper process is running to answer ${describe(request)}${this.spawnError ? ` (could not start one: ${this.spawnError})` : ' (helpers keep failing at start-up)'}`));
    }
    this.send(request, slot);
  }

  private send(request: Request, slot: Slot): void {
    const id = this.nextId++;
    request.attemptId = id;
    request.slot = slot;
    request.coordinating = false;
    slot.inflight.set(id, request);
    if (request.kind === 'band') {
      this.sendTo(slot, { id, storePath: request.storePath, band: request.band! });
    } else {
      const perHelper = this.options.bandsPerHelper ?? 8;
      const bands = WHOLE_MATRIX.has(request.name!) && this.size > 1 ? this.size * perHelper : 1;
      this.sendTo(slot, { id, storePath: request.storePath, name: request.name!, req: request.req, bands });
    }
  }

  private sendTo(slot: Slot, message: ToHelper): void {
    if (!slot.alive) return;
    if (slot.ready) slot.channel!.send(message); else slot.queue.push(message);
  }

  /** Stops a request on behalf of its caller: tells the helper, settles now, kills the helper if it does not stop. */
  private abort(request: Request, code: PoolErrorCode, message: string): void {
    if (request.settled) return;
    const slot = request.slot;
    if (slot?.alive && slot.inflight.get(request.attemptId) === request) {
      this.sendTo(slot, { cancel: request.attemptId });
      const grace = this.options.cancelGraceMs ?? 5000;
      request.graceTimer = setTimeout(() => {
        if (slot.alive && slot.inflight.get(request.attemptId) === request) {
          slot.killedByPool = true;
          slot.channel?.kill();
        }
      }, grace);
      request.graceTimer.unref?.();
    }
    this.finish(request, new PoolError(code, message));
  }

  private dropChildren(request: Request): void {
    for (const child of [...request.children]) this.abort(child, 'cancelled', 'cancelled');
    request.children.clear();
    request.coordinating = false;
  }

  private finish(request: Request, err: PoolError | null, result?: unknown): void {
    if (request.settled) return;
    request.settled = true;
    clearTimeout(request.deadlineTimer);
    if (request.supersedeKey !== undefined && this.supersede.get(request.supersedeKey) === request) this.supersede.delete(request.supersedeKey);
    if (request.children.size) this.dropChildren(request);
    const origin = request.origin;
    if (origin) {
      origin.request.children.delete(request);
      if (!origin.request.settled && origin.slot.alive && origin.request.attemptId === origin.attemptId) {
        const answer: BandResultMessage = err
          ? { bandResult: origin.sub, ok: false, error: { code: err.code, message: err.message } }
          : { bandResult: origin.sub, ok: true, result };
        this.sendTo(origin.slot, answer);
      }
      return;
    }
    request.settle(err, result);
  }
}

function describe(r: Request): string {
  return r.kind === 'band' ? `band ${r.band?.task} rows ${r.band?.rowStart}..${r.band?.rowEnd} of ${r.storePath}` : `${r.name} on ${r.storePath}`;
}

function defaultSpawn(): SpawnHelper {
  // Loaded lazily: Electron passes its own spawn and never needs child_process forking.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { forkHelper } = require('./fork-helper') as typeof import('./fork-helper');
  return forkHelper();
}

// The backend behind every window: opened matrices (one per store, shared by all sessions), the helper
// pool, the recent-files list, link relaying between windows. Transport-agnostic plain Node: the browser-mode
// server feeds it WebSocket messages, the Electron main process MessagePort messages.

import * as path from 'node:path';
import type { LinkState, RecentEntry } from '../../shared/client';
import type { MatrixInfo, Progress, QueryMap, QueryName } from '../../shared/queries';
import type { RpcRequest, ServerMessage } from '../../shared/rpc/protocol';
import { serveRpc, type RpcServer } from '../../shared/rpc/rpc-server';
import type { StoreManifest } from '../../shared/store-manifest';
import { defaultCacheDir } from '../store/store-location';
import { BackendError, errorPayload } from './error-payload';
import { RecentFiles } from './recent-files';
import { Uploads } from './uploads';

/** The part of HelperPool the backend uses. */
export interface PoolLike {
  query<Q extends QueryName>(storePath: string, name: Q, req: QueryMap[Q]['req'], opts?: {
    signal?: AbortSignal; onProgress?: (p: Progress) => void; supersedeKey?: string;
  }): Promise<QueryMap[Q]['res']>;
  close(): Promise<void>;
  /** Optional: the backend no longer holds this store open (no session uses it). */
  release?(storePath: string): void | Promise<void>;
}

/** The part of electron/store's resolveStore the backend uses. */
export type ResolveStore = (inputOrStore: string, options: { onProgress?: (p: Progress) => void; signal?: AbortSignal }) =>
  Promise<{ storePath: string; manifest: StoreManifest; reused: boolean }>;

export interface BackendOptions {
  /** Default: a new HelperPool (closed by `close()`). */
  pool?: PoolLike;
  /** Default: electron/store/convert's resolveStore. */
  resolveStore?: ResolveStore;
  /** What a window learns about an opened store. Default: the pool's `info` query. */
  matrixInfo?: (storePath: string, manifest: StoreManifest) => Promise<MatrixInfo>;
  /** Recent files and uploads go here. Default: the per-user cache dir (MATRIX_EXPLORER_CACHE overrides). */
  cacheDir?: string;
  /**
   * Which paths a window may open by path. Return true, or a readable reason for refusing.
   * Default: any path (the Electron app; the browser-mode server passes its own policy).
   */
  allowPath?: (absolutePath: string) => true | string;
  /** Largest upload `openBytes` accepts (default 16 GiB; big uploads arrive in chunks, straight to disk). */
  maxUploadBytes?: number;
}

export interface ConnectOptions {
  /** The matrix this window starts on (`current()`); default the backend's default matrix. */
  matrixId?: string;
}

/** Handles one incoming message of a session; `close()` ends the session (window closed, socket dropped). */
export type SessionHandler = ((message: unknown) => void) & {
  handle(message: unknown): void;
  /** Same as `handle` (the Electron port router's name for it). */
  receive(message: unknown): void;
  close(): void;
  readonly sessionId: string;
};

export interface BackendStats {
  /** Conversions that wrote a store (cached reuses not counted). */
  conversions: number;
  /** Times a store was opened (attached) by this backend; a second window on an opened store adds none. */
  storeOpens: number;
  /** Sessions connected now. */
  sessions: number;
  /** Stores open now. */
  opened: number;
}

interface Opened {
  info: MatrixInfo;
  storePath: string;
  sessions: Set<string>;
  pinned: boolean;
}

interface Session {
  id: string;
  send: (m: ServerMessage) => void;
  current: string | null;
  /** Serves the session's requests; closed with the session (rpc.closed is the session's). */
  rpc: RpcServer;
}

interface ConvertJob {
  controller: AbortController;
  listeners: Set<(p: Progress) => void>;
  waiters: number;
  promise: Promise<{ storePath: string; manifest: StoreManifest; reused: boolean }>;
}

const QUERY_NAMES: ReadonlySet<string> = new Set<QueryName>(['info', 'viewport', 'value', 'row', 'col', 'histogram', 'percentiles', 'stats']);
/**
 * Whole-store answers that cost seconds on a big matrix and never change while the store does: kept per
 * store (a few per store), so a reload, a new tab or a second window gets them at once instead of
 * recomputing them on every helper while its first heatmap is loading.
 */
const MEMO_QUERIES: ReadonlySet<string> = new Set<QueryName>(['histogram', 'percentiles', 'stats']);
const MEMO_PER_STORE = 32;
/** Queries a window is waiting on to draw what the user looks at; whole-store work waits for them to finish. */
const INTERACTIVE_QUERIES: ReadonlySet<string> = new Set<QueryName>(['viewport', 'value', 'row', 'col']);
/** Longest a whole-store query waits for interactive ones (continuous panning must not starve it). */
const WHOLE_STORE_WAIT_MS = 2000;

export class Backend {
  private readonly pool: PoolLike;
  private readonly ownsPool: boolean;
  private readonly resolveStoreFn: ResolveStore;
  private readonly matrixInfoFn: (storePath: string, manifest: StoreManifest) => Promise<MatrixInfo>;
  readonly cacheDir: string;
  private readonly recentFiles: RecentFiles;
  private readonly allowPath: (p: string) => true | string;
  private readonly uploads: Uploads;

  private readonly sessions = new Map<string, Session>();
  private readonly opened = new Map<string, Opened>();
  private readonly opening = new Map<string, Promise<Opened>>();
  private readonly jobs = new Map<string, ConvertJob>();
  /** Stores opened before (so a window reconnecting after its store was released can reopen it by id). */
  private readonly known = new Set<string>();
  /** storePath → (query name + request as JSON) → answer, for MEMO_QUERIES. */
  private readonly memo = new Map<string, Map<string, unknown>>();
  /** Interactive queries in flight (any store: the helpers are shared), and whole-store queries waiting for none. */
  private interactive = 0;
  private readonly interactiveIdle = new Set<() => void>();
  private defaultMatrix: string | null = null;
  private counters = { conversions: 0, storeOpens: 0 };
  private closed = false;

  constructor(options: BackendOptions = {}) {
    if (options.pool) { this.pool = options.pool; this.ownsPool = false; } else {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { HelperPool } = require('../pool/helper-pool') as typeof import('../pool/helper-pool');
      this.pool = new HelperPool();
      this.ownsPool = true;
    }
    this.resolveStoreFn = options.resolveStore ?? ((input, o) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { resolveStore } = require('../store/convert') as typeof import('../store/convert');
      return resolveStore(input, o);
    });
    this.matrixInfoFn = options.matrixInfo ?? (storePath => this.pool.query(storePath, 'info', {}));
    this.cacheDir = options.cacheDir ?? defaultCacheDir();
    this.recentFiles = new RecentFiles(path.join(this.cacheDir, 'recent.json'));
    this.allowPath = options.allowPath ?? (() => true);
    this.uploads = new Uploads(path.join(this.cacheDir, 'uploads'), options.maxUploadBytes ?? 16 * 1024 ** 3);
  }

  stats(): BackendStats {
    return { ...this.counters, sessions: this.sessions.size, opened: this.opened.size };
  }

  /** The matrix new sessions start on (browser mode: the one given on the command line). */
  get defaultMatrixId(): string | null { return this.defaultMatrix; }

  /**
   * Opens a matrix for the backend itself (not a window): it stays open for the backend's life and, with
   * `asDefault`, is what new sessions' `current()` returns.
   */
  async openPinned(input: string, opts: { onProgress?: (p: Progress) => void; signal?: AbortSignal; asDefault?: boolean } = {}): Promise<MatrixInfo> {
    const o = await this.openInput(path.resolve(input), opts);
    o.pinned = true;
    if (opts.asDefault !== false) this.defaultMatrix = o.info.id;
    return o.info;
  }

  /**
   * Best effort, in the background: has every helper open matrix `id` and read its coarsest levels (a
   * small whole-matrix viewport each), so the first window's first raster does not wait for a cold helper.
   */
  warmUp(id: string): void {
    const o = this.opened.get(id);
    if (!o || this.closed) return;
    const [rows, cols] = o.info.shape;
    if (!(rows > 0 && cols > 0)) return;
    const helpers = Math.max(1, Math.min(16, (this.pool as { size?: number }).size ?? 1));
    for (let k = 0; k < helpers; k++) {
      void this.pool.query(o.storePath, 'viewport', { r0: 0, c0: 0, r1: rows, c1: cols, width: 256, height: 256 }).catch(() => undefined);
    }
  }

  /** A new session (window, tab). `send` delivers messages to it; the returned handler takes its messages. */
  connect(sessionId: string, send: (m: ServerMessage) => void, options: ConnectOptions = {}): SessionHandler {
    if (this.closed) throw new Error('backend is closed');
    if (this.sessions.has(sessionId)) throw new Error(`session ${sessionId} already connected`);
    const rpc = serveRpc({
      send: m => this.emit(session, m),
      handle: (req, signal, onProgress) => this.dispatch(session, req, signal, onProgress),
      onLink: state => this.relayLink(session, state),
      errorPayload,
    });
    const session: Session = { id: sessionId, send, current: options.matrixId ?? null, rpc };
    this.sessions.set(sessionId, session);
    const handle = (message: unknown) => session.rpc.receive(message);
    return Object.assign(handle, {
      handle,
      receive: handle,
      close: () => this.disconnect(session),
      sessionId,
    });
  }

  async recent(): Promise<RecentEntry[]> { return this.recentFiles.list(); }

  /** Ends every session, closes the pool if the backend made it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.sessions.values()]) this.disconnect(s);
    for (const j of this.jobs.values()) j.controller.abort();
    await this.uploads.close();
    if (this.ownsPool) await this.pool.close();
  }

  // ---- sessions -------------------------------------------------------------------------------

  private emit(session: Session, m: ServerMessage): void {
    if (session.rpc.closed) return;
    try { session.send(m); } catch { /* a dead transport: its close will follow */ }
  }

  private disconnect(session: Session): void {
    if (session.rpc.closed) return;
    session.rpc.close();
    this.sessions.delete(session.id);
    for (const o of [...this.opened.values()]) {
      if (o.sessions.delete(session.id) && o.sessions.size === 0 && !o.pinned) this.release(o);
    }
  }

  private release(o: Opened): void {
    this.opened.delete(o.storePath);
    try { void Promise.resolve(this.pool.release?.(o.storePath)).catch(() => undefined); } catch { /* ignore */ }
  }

  private relayLink(from: Session, state: LinkState): void {
    const o = this.opened.get(state.matrixId);
    if (!o) return;
    o.sessions.add(from.id);
    for (const id of o.sessions) {
      if (id === from.id) continue;
      const s = this.sessions.get(id);
      if (s) this.emit(s, { t: 'link', state });
    }
  }

  private async dispatch(session: Session, req: RpcRequest, signal: AbortSignal, onProgress: (p: Progress) => void): Promise<unknown> {
    const params = (req.params ?? {}) as Record<string, unknown>;
    switch (req.method) {
      case 'current': {
        const id = session.current ?? this.defaultMatrix;
        if (!id) return null;
        const o = await this.attach(session, id, signal);
        session.current = o.info.id;
        return o.info;
      }
      case 'open': {
        if (typeof params.path !== 'string' || !params.path.trim()) throw new BackendError('bad-input', 'open: no path given');
        const o = await this.openPath(params.path, { signal, onProgress });
        o.sessions.add(session.id);
        session.current = o.info.id;
        return o.info;
      }
      case 'uploadChunk': {
        const { uploadId, offset, bytes } = params;
        if (typeof uploadId !== 'string' || typeof offset !== 'number' || !(bytes instanceof Uint8Array)) throw new BackendError('bad-input', 'uploadChunk: needs an upload id, an offset and bytes');
        return this.uploads.chunk(uploadId, offset, bytes);
      }
      case 'openBytes': {
        const { name, bytes, uploadId, size } = params;
        if (typeof name !== 'string' || !(bytes instanceof Uint8Array || (typeof uploadId === 'string' && typeof size === 'number'))) {
          throw new BackendError('bad-input', 'openBytes: needs a file name and its bytes (or an upload id and size)');
        }
        const file = bytes instanceof Uint8Array ? await this.uploads.fromBytes(name, bytes) : await this.uploads.finish(uploadId as string, name, size as number);
        const o = await this.openUpload(name, file, { signal, onProgress });
        o.sessions.add(session.id);
        session.current = o.info.id;
        return o.info;
      }
      case 'recent':
        return this.recentFiles.list();
      case 'query': {
        const { matrixId, name } = params;
        if (typeof matrixId !== 'string') throw new BackendError('bad-input', 'query: no matrix id');
        if (typeof name !== 'string' || !QUERY_NAMES.has(name)) throw new BackendError('bad-input', `query: unknown query '${String(name)}'`);
        const o = await this.attach(session, matrixId, signal);
        if (name === 'info') return o.info;
        const memoKey = MEMO_QUERIES.has(name) ? JSON.stringify([name, params.req ?? {}]) : null;
        const known = memoKey === null ? undefined : this.memo.get(o.storePath)?.get(memoKey);
        if (known !== undefined) return known;
        // A whole-store scan started now would hold every helper for seconds: the raster (or value, slice)
        // a window is waiting on goes first. Typically the page asks for its whole-matrix percentiles right
        // after its first coarse raster, while the full-resolution one is still being computed.
        if (memoKey !== null) await this.afterInteractive(signal);
        const interactive = INTERACTIVE_QUERIES.has(name);
        if (interactive) this.interactive++;
        let result: unknown;
        try {
          result = await this.pool.query(o.storePath, name as QueryName, (params.req ?? {}) as never, {
            signal, onProgress, supersedeKey: name === 'viewport' ? `${session.id}:viewport` : undefined,
          });
        } finally {
          if (interactive && --this.interactive === 0) for (const go of [...this.interactiveIdle]) go();
        }
        if (memoKey !== null && this.opened.get(o.storePath) === o) {
          let m = this.memo.get(o.storePath);
          if (!m) this.memo.set(o.storePath, m = new Map());
          if (m.size >= MEMO_PER_STORE) m.delete(m.keys().next().value as string);
          m.set(memoKey, result);
        }
        return result;
      }
      default:
        throw new BackendError('bad-input', `unknown method '${String((req as { method?: unknown }).method)}'`);
    }
  }

  /** Resolves when no interactive query is in flight, or after WHOLE_STORE_WAIT_MS; rejects when `signal` aborts. */
  private afterInteractive(signal: AbortSignal): Promise<void> {
    if (this.interactive === 0) return Promise.resolve();
    if (signal.aborted) return Promise.reject(new BackendError('cancelled', 'cancelled'));
    return new Promise((resolve, reject) => {
      const settle = (ok: boolean) => {
        clearTimeout(timer);
        this.interactiveIdle.delete(go);
        signal.removeEventListener('abort', onAbort);
        if (ok) resolve(); else reject(new BackendError('cancelled', 'cancelled'));
      };
      const go = () => settle(true);
      const onAbort = () => settle(false);
      const timer = setTimeout(go, WHOLE_STORE_WAIT_MS);
      this.interactiveIdle.add(go);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  // ---- opening ----------------------------------------------------------------------------------

  /** The opened matrix `id`, with the session counted as one of its users. Reopens a known store that was released. */
  private async attach(session: Session, id: string, signal: AbortSignal): Promise<Opened> {
    let o = this.opened.get(id);
    if (!o) {
      if (!this.known.has(id)) throw new BackendError('not-found', `no open matrix '${id}' (open the file first)`);
      o = await this.openInput(id, { signal });
    }
    o.sessions.add(session.id);
    return o;
  }

  private async openPath(input: string, opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void }): Promise<Opened> {
    if (!path.isAbsolute(input)) throw new BackendError('bad-input', `${input}: give an absolute path`);
    const abs = path.resolve(input);
    const verdict = this.allowPath(abs);
    if (verdict !== true) throw new BackendError('bad-input', `${abs}: ${verdict}`);
    const o = await this.openInput(abs, opts);
    await this.recentFiles.add({ path: abs, openedAt: new Date().toISOString(), shape: o.info.shape }).catch(() => undefined);
    return o;
  }

  /** An uploaded file (see Uploads); errors name it as the user knows it, not by our path. */
  private async openUpload(name: string, file: string, opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void }): Promise<Opened> {
    try {
      const o = await this.openInput(file, opts);
      o.info.displayName = path.basename(name); // uploads are stored as <content hash>-<name>: show the user's name
      return o;
    } catch (e) {
      if (e instanceof Error) e.message = e.message.split(file).join(path.basename(name));
      throw e;
    }
  }

  private async openInput(abs: string, opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void }): Promise<Opened> {
    const result = await this.convertShared(abs, opts);
    const existing = this.opened.get(result.storePath);
    if (existing && result.reused) return existing;
    if (!result.reused) this.memo.delete(result.storePath); // new contents: earlier answers are stale
    if (!result.reused && this.known.has(result.storePath)) {
      // Reconverted in place: helpers that still hold the old files must let go of them before the next query.
      await Promise.resolve(this.pool.release?.(result.storePath)).catch(() => undefined);
    }
    let pending = this.opening.get(result.storePath);
    if (!pending) {
      pending = (async () => {
        const info = await this.matrixInfoFn(result.storePath, result.manifest);
        this.counters.storeOpens++;
        if (!result.reused) this.memo.delete(result.storePath); // an answer that raced the reconversion
        const prev = this.opened.get(result.storePath);
        const o: Opened = { info: { ...info, id: result.storePath, storePath: result.storePath }, storePath: result.storePath, sessions: prev?.sessions ?? new Set(), pinned: prev?.pinned ?? false };
        this.opened.set(result.storePath, o);
        this.known.add(result.storePath);
        return o;
      })().finally(() => this.opening.delete(result.storePath));
      this.opening.set(result.storePath, pending);
    }
    return pending;
  }

  /** resolveStore, shared by every caller asking for the same input at the same time; cancelled when all of them are. */
  private convertShared(abs: string, opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void }): Promise<{ storePath: string; manifest: StoreManifest; reused: boolean }> {
    if (opts.signal?.aborted) return Promise.reject(new BackendError('cancelled', 'cancelled'));
    let job = this.jobs.get(abs);
    if (!job) {
      const controller = new AbortController();
      const listeners = new Set<(p: Progress) => void>();
      const j: ConvertJob = {
        controller, listeners, waiters: 0,
        // Started on the next tick so the first caller's progress listener is in place.
        promise: Promise.resolve().then(() => this.resolveStoreFn(abs, { signal: controller.signal, onProgress: p => { for (const l of listeners) l(p); } }))
          .then(r => { if (!r.reused) this.counters.conversions++; return r; })
          .finally(() => { if (this.jobs.get(abs) === j) this.jobs.delete(abs); }),
      };
      j.promise.catch(() => undefined);
      job = j;
      this.jobs.set(abs, j);
    }
    const j = job;
    j.waiters++;
    if (opts.onProgress) j.listeners.add(opts.onProgress);
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = () => {
        done = true;
        j.waiters--;
        if (opts.onProgress) j.listeners.delete(opts.onProgress);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (done) return;
        finish();
        if (j.waiters === 0) j.controller.abort();
        reject(new BackendError('cancelled', 'cancelled'));
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      j.promise.then(r => { if (!done) { finish(); resolve(r); } }, e => { if (!done) { finish(); reject(e); } });
    });
  }
}

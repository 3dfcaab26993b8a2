// Routes the messages of each window's MessagePort: requests go to that window's backend session; the main
// process refuses `open` of paths the user did not choose (allow-list) and relays link messages to the other
// windows on the same matrix itself. It also watches answers to learn which matrix a window shows.
//
// A window opened by the main process (command line, File › Open…, drop, Open Recent) has a pending source path:
// its first `current` request is answered by opening that path (progress reported to `onProgress`). A window made
// by New Window is connected with its matrix id, so the backend answers `current` from the store already open.
import type { MatrixInfo, Progress } from '../../shared/queries';
import type { ClientMessage, ServerMessage } from '../../shared/rpc/protocol';
import { asClientMessage } from '../../shared/rpc/protocol';
import { linkTargets, parseLinkState } from './link-relay';
import type { PathAllowList } from './path-allow-list';
import type { WindowRegistry } from './window-registry';

/** One backend session, as `backend.connect(sessionId, send, options)` returns it. */
export interface SessionLike {
  handle(message: ClientMessage): void;
  close(): void;
}

export interface RouterDeps {
  registry: WindowRegistry;
  allowList: PathAllowList;
  connect(sessionId: string, send: (message: ServerMessage) => void, options: { matrixId?: string }): SessionLike;
  /** A window now shows `info` (opened by its renderer or on its behalf). */
  onOpened?(windowId: string, info: MatrixInfo): void;
  /** Window `windowId`'s port and session ended (its page reloaded, closed or crashed). */
  onDetached?(windowId: string): void;
  /** Progress of an open running on a window's behalf; null when it finished (either way). */
  onProgress?(windowId: string, progress: Progress | null): void;
  log?(line: string): void;
}

interface Tracked { kind: 'open' | 'current' | 'current-open'; waiters: number[] }

interface Port {
  post: (message: ServerMessage) => void;
  session: SessionLike;
  tracked: Map<number, Tracked>;
  /** The request id of a `current` that is opening the pending path, if any. */
  currentOpen: number | null;
}

export class PortRouter {
  private readonly ports = new Map<string, Port>();

  constructor(private readonly deps: RouterDeps) {}

  /** Gives window `windowId` a fresh port (first load or reload); closes the session of its previous one. */
  attach(windowId: string, post: (message: ServerMessage) => void): string | null {
    const next = this.deps.registry.nextSession(windowId);
    if (!next) return null;
    this.detach(windowId);
    const port: Port = { post, session: undefined as unknown as SessionLike, tracked: new Map(), currentOpen: null };
    this.ports.set(windowId, port);
    const matrixId = this.deps.registry.get(windowId)?.matrixId ?? undefined;
    port.session = this.deps.connect(next.sessionId, m => this.fromBackend(windowId, port, m), matrixId ? { matrixId } : {});
    return next.sessionId;
  }

  /** The window closed or is reloading: end its session (the backend cancels its requests). */
  detach(windowId: string): void {
    const port = this.ports.get(windowId);
    if (!port) return;
    this.ports.delete(windowId);
    if (port.currentOpen !== null) this.deps.onProgress?.(windowId, null);
    try { port.session.close(); } catch (e) { this.deps.log?.(`closing session of ${windowId}: ${(e as Error)?.message ?? e}`); }
    this.deps.onDetached?.(windowId);
  }

  has(windowId: string): boolean { return this.ports.has(windowId); }

  /** A message from window `windowId`'s port (untrusted: checked here). */
  fromWindow(windowId: string, raw: unknown): void {
    const port = this.ports.get(windowId);
    const rec = this.deps.registry.get(windowId);
    if (!port || !rec) return;
    const msg = asClientMessage(raw);
    if (!msg) { this.deps.log?.(`ignored a malformed message from ${windowId}`); return; }

    if (msg.t === 'link') {
      const state = parseLinkState(msg.state);
      if (!state) return;
      for (const target of linkTargets(this.deps.registry, windowId, state)) this.ports.get(target.windowId)?.post({ t: 'link', state });
      return;
    }
    if (msg.t === 'cancel') { port.session.handle(msg); return; }

    const fail = (message: string) => port.post({ t: 'err', id: msg.id, error: { code: 'bad-input', message } });
    switch (msg.method) {
      case 'open': {
        const p = (msg.params as { path?: unknown }).path;
        if (!this.deps.allowList.isAllowed(p)) {
          fail(`Not allowed to open ${typeof p === 'string' ? p : 'that'}: choose the file with File › Open…, drag it onto the window, or pass it on the command line.`);
          return;
        }
        port.tracked.set(msg.id, { kind: 'open', waiters: [] });
        port.session.handle(msg);
        return;
      }
      case 'openBytes':
        port.tracked.set(msg.id, { kind: 'open', waiters: [] });
        port.session.handle(msg);
        return;
      case 'current': {
        if (rec.pendingPath !== null) {
          if (port.currentOpen !== null) { port.tracked.get(port.currentOpen)?.waiters.push(msg.id); return; }
          port.currentOpen = msg.id;
          port.tracked.set(msg.id, { kind: 'current-open', waiters: [] });
          port.session.handle({ t: 'req', id: msg.id, method: 'open', params: { path: rec.pendingPath } });
          return;
        }
        port.tracked.set(msg.id, { kind: 'current', waiters: [] });
        port.session.handle(msg);
        return;
      }
      default:
        port.session.handle(msg);
    }
  }

  private fromBackend(windowId: string, port: Port, msg: ServerMessage): void {
    if (this.ports.get(windowId) !== port) return; // a stale session answering after a reload
    const tracked = msg.t === 'link' ? undefined : port.tracked.get(msg.id);
    if (msg.t === 'progress') {
      if (tracked?.kind === 'current-open') this.deps.onProgress?.(windowId, msg.progress);
      port.post(msg);
      return;
    }
    if (tracked && (msg.t === 'res' || msg.t === 'err')) {
      port.tracked.delete(msg.id);
      if (tracked.kind === 'current-open') { port.currentOpen = null; this.deps.onProgress?.(windowId, null); }
      if (msg.t === 'res' && isMatrixInfo(msg.result)) {
        this.deps.registry.setMatrix(windowId, msg.result.id);
        this.deps.onOpened?.(windowId, msg.result);
      } else if (msg.t === 'err' && tracked.kind === 'current-open') {
        this.deps.registry.setPending(windowId, null); // a reload must not retry a failed conversion forever
      }
      port.post(msg);
      for (const id of tracked.waiters) port.post({ ...msg, id });
      return;
    }
    port.post(msg);
  }
}

function isMatrixInfo(v: unknown): v is MatrixInfo {
  return typeof v === 'object' && v !== null && typeof (v as MatrixInfo).id === 'string' && Array.isArray((v as MatrixInfo).shape);
}

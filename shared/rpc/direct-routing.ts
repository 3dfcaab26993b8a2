// Client-side routing between a window's main port (to the backend, through the main process) and its direct
// ports to helper processes (Electron only: one per matrix, handed over by the main process). Small queries
// on a matrix with an open direct port go straight to the helper; everything else, and everything while no
// direct port is there, goes over the main port. When a direct port goes away (its helper died, or the main
// process moved the window to another helper), the requests still waiting on it are sent once more over the
// main port, so no caller hangs. A helper that hangs without dying is caught by a watchdog: a request that hears
// nothing (no progress, no answer) on its direct port for `silenceMs` takes the port down the same way, and the
// main path, whose pool gives every request a deadline, answers it. The RPC client (rpc-client.ts) is built on
// `transport` and never knows.

import type { QueryName } from '../queries';
import type { ClientMessage, RpcRequest, ServerMessage } from './protocol';
import type { RpcTransport } from './rpc-client';

/** Queries a helper answers alone from its engine (cheap, one helper): these may go over a direct port. */
export const DIRECT_QUERIES: ReadonlySet<QueryName> = new Set<QueryName>(['viewport', 'value', 'row', 'col']);

/** One direct port to a helper, as the preload adapts it (DOM MessagePort; worker_threads ports in tests). */
export interface DirectPort {
  send(message: ClientMessage): void;
  close(): void;
}

/** Where the preload delivers a direct port's events. */
export interface DirectPortEvents {
  message(data: unknown): void;
  /** The port closed (its helper is gone): same as `detach` for this port. */
  closed(): void;
}

export interface DirectRouting {
  /** The transport to build the RPC client on. */
  readonly transport: RpcTransport;
  /** A port straight to a helper serving `matrixId`; replaces the one before it (whose waiting requests go to the main port). */
  attach(matrixId: string, port: DirectPort): DirectPortEvents;
  /** The direct port for `matrixId` is gone: its waiting requests are sent once more over the main port. */
  detach(matrixId: string): void;
  /** Matrices with a direct port now (tests, diagnostics). */
  attached(): string[];
}

interface Direct {
  matrixId: string;
  port: DirectPort;
  /** Requests sent on this port and not answered yet, by id. */
  waiting: Map<number, RpcRequest>;
  /** Cancels the watchdog of each waiting request, by id. */
  watchdogs: Map<number, () => void>;
}

function directTarget(m: ClientMessage): string | null {
  if (m.t !== 'req' || m.method !== 'query') return null;
  const p = m.params as { matrixId?: unknown; name?: unknown };
  return typeof p.matrixId === 'string' && DIRECT_QUERIES.has(p.name as QueryName) ? p.matrixId : null;
}

function isAnswer(m: unknown): m is ServerMessage & { id: number } {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as { t?: unknown; id?: unknown };
  return (r.t === 'res' || r.t === 'err' || r.t === 'progress') && Number.isSafeInteger(r.id);
}

/** Timers, given by the host (shared/ has no timer API of its own); without them there is no watchdog. */
export interface RoutingOptions {
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  schedule?(fn: () => void, ms: number): () => void;
  /** How long a request on a direct port may hear nothing before its helper counts as hung (default 15 000 ms). */
  silenceMs?: number;
}

/** Default watchdog: the small queries answer in well under a second, even on a cold page cache. */
export const DIRECT_SILENCE_MS = 15_000;

export function createDirectRouting(main: RpcTransport, options: RoutingOptions = {}): DirectRouting {
  const silenceMs = options.silenceMs ?? DIRECT_SILENCE_MS;
  const ports = new Map<string, Direct>();
  /** Request id → the direct port it went over (while it waits). */
  const routed = new Map<number, Direct>();
  let deliver: (m: ServerMessage) => void = () => {};
  main.onMessage(m => deliver(m));

  const unwatch = (direct: Direct, id: number) => {
    direct.watchdogs.get(id)?.();
    direct.watchdogs.delete(id);
  };
  /** (Re)starts the watchdog of request `id`: silence for `silenceMs` takes the port down. */
  const watch = (direct: Direct, id: number) => {
    if (!options.schedule) return;
    unwatch(direct, id);
    direct.watchdogs.set(id, options.schedule(() => { if (direct.waiting.has(id)) drop(direct); }, silenceMs));
  };
  const drop = (direct: Direct) => {
    if (ports.get(direct.matrixId) === direct) ports.delete(direct.matrixId);
    const retry = [...direct.waiting.values()];
    direct.waiting.clear();
    for (const cancel of direct.watchdogs.values()) cancel();
    direct.watchdogs.clear();
    for (const r of retry) routed.delete(r.id);
    try { direct.port.close(); } catch { /* already closed */ }
    for (const r of retry) main.send(r);
  };

  const transport: RpcTransport = {
    send(m) {
      if (m.t === 'cancel') {
        const direct = routed.get(m.id);
        if (direct) {
          routed.delete(m.id);
          direct.waiting.delete(m.id);
          unwatch(direct, m.id);
          try { direct.port.send(m); } catch { /* the port is gone: nothing runs there any more */ }
          return;
        }
        main.send(m);
        return;
      }
      if (m.t === 'req' && routed.has(m.id)) return; // re-sent after a main-port reconnect: still running on its direct port
      const target = directTarget(m);
      const direct = target === null ? undefined : ports.get(target);
      if (direct && m.t === 'req') {
        direct.waiting.set(m.id, m);
        routed.set(m.id, direct);
        watch(direct, m.id);
        try { direct.port.send(m); return; } catch { drop(direct); return; }
      }
      main.send(m);
    },
    onMessage(listener) { deliver = listener; },
    onReconnect: main.onReconnect ? listener => main.onReconnect!(listener) : undefined,
  };

  return {
    transport,
    attach(matrixId, port) {
      const before = ports.get(matrixId);
      if (before) drop(before);
      const direct: Direct = { matrixId, port, waiting: new Map(), watchdogs: new Map() };
      ports.set(matrixId, direct);
      return {
        message(data) {
          if (!isAnswer(data) || !direct.waiting.has(data.id)) return; // stale, or not ours
          if (data.t !== 'progress') { direct.waiting.delete(data.id); routed.delete(data.id); unwatch(direct, data.id); } else watch(direct, data.id);
          deliver(data);
        },
        closed() { drop(direct); },
      };
    },
    detach(matrixId) {
      const direct = ports.get(matrixId);
      if (direct) drop(direct);
    },
    attached: () => [...ports.keys()],
  };
}

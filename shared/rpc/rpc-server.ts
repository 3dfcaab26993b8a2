// The serving half of the RPC protocol over any transport: checks each incoming message, runs requests
// (one AbortController each), answers every request with exactly one `res` or `err`, forwards progress,
// honours `cancel`, and aborts everything on close. The backend's sessions (main process, browser-mode
// server) and a helper's direct window ports (electron/pool/window-port-server.ts) both serve with this.

import type { LinkState } from '../client';
import type { ErrorPayload, Progress } from '../queries';
import type { RpcRequest, ServerMessage } from './protocol';
import { asClientMessage } from './protocol';

/** Node and browsers both have it; shared/ names only AbortSignal otherwise (scripts/types/shared-env.d.ts). */
declare const AbortController: { new(): { readonly signal: AbortSignal; abort(): void } };

export interface RpcServeOptions {
  /** Delivers a message to the client; may throw when the transport is gone (ignored). */
  send(message: ServerMessage): void;
  /** Answers one request; rejections become `err` messages (code `cancelled` once the request was cancelled). */
  handle(request: RpcRequest, signal: AbortSignal, onProgress: (p: Progress) => void): Promise<unknown>;
  /** A link message from the client (default: ignored). */
  onLink?(state: LinkState): void;
  /** Any thrown value as the payload the client shows. */
  errorPayload(e: unknown): ErrorPayload;
}

export interface RpcServer {
  /** One message from the client (untrusted: checked here). */
  receive(raw: unknown): void;
  /** Cancels every running request; nothing is sent afterwards. */
  close(): void;
  readonly closed: boolean;
  /** Requests running now. */
  readonly running: number;
}

export function serveRpc(options: RpcServeOptions): RpcServer {
  const inflight = new Map<number, { abort(): void }>();
  let closed = false;
  const emit = (m: ServerMessage) => {
    if (closed) return;
    try { options.send(m); } catch { /* a dead transport: its close will follow */ }
  };

  const request = async (req: RpcRequest): Promise<void> => {
    if (inflight.has(req.id)) {
      emit({ t: 'err', id: req.id, error: { code: 'bad-input', message: `request id ${req.id} is already in use` } });
      return;
    }
    const controller = new AbortController();
    inflight.set(req.id, controller);
    const onProgress = (progress: Progress) => { if (!controller.signal.aborted) emit({ t: 'progress', id: req.id, progress }); };
    try {
      const result = await options.handle(req, controller.signal, onProgress);
      if (controller.signal.aborted) throw new Error('cancelled');
      emit({ t: 'res', id: req.id, result });
    } catch (e) {
      emit({ t: 'err', id: req.id, error: controller.signal.aborted ? { code: 'cancelled', message: 'cancelled' } : options.errorPayload(e) });
    } finally {
      if (inflight.get(req.id) === controller) inflight.delete(req.id);
    }
  };

  return {
    receive(raw) {
      if (closed) return;
      const msg = asClientMessage(raw);
      if (!msg) {
        const id = (raw as { id?: unknown } | null)?.id;
        if (Number.isSafeInteger(id)) emit({ t: 'err', id: id as number, error: { code: 'bad-input', message: 'malformed request' } });
        return;
      }
      switch (msg.t) {
        case 'link': options.onLink?.(msg.state); return;
        case 'cancel': inflight.get(msg.id)?.abort(); return;
        case 'req': void request(msg); return;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      for (const c of inflight.values()) c.abort();
      inflight.clear();
    },
    get closed() { return closed; },
    get running() { return inflight.size; },
  };
}

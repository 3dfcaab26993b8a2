// A MatrixClient over any message transport: the Electron preload (MessagePort) and the browser
// client (WebSocket + wire codec) both build theirs with this.

import type { LinkState, MatrixClient, OpenOptions, RecentEntry } from '../client';
import type { MatrixInfo, Progress, QueryMap, QueryName } from '../queries';
import type { ClientMessage, RpcMethod, RpcMethods, ServerMessage } from './protocol';
import { answerGarbageWatch } from './answer-garbage';
import { RpcCallError, isErrorCode } from './protocol';

type Signal = NonNullable<OpenOptions['signal']>;

export interface RpcTransport {
  send(message: ClientMessage): void;
  /** Registers the one listener for messages from the backend. */
  onMessage(listener: (message: ServerMessage) => void): void;
  /**
   * Optional: registers a listener called when the connection was lost and re-established
   * (a new backend session). The client then re-sends the requests still waiting for an answer.
   */
  onReconnect?(listener: () => void): void;
}

interface Pending {
  method: RpcMethod;
  params: unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  onProgress?: (p: Progress) => void;
  cleanup: () => void;
}

export interface RpcClient extends MatrixClient {
  /** Requests still waiting for an answer (tests, diagnostics). */
  pendingCount(): number;
}

export interface RpcClientOptions {
  /** Uploads bigger than this go in chunks of this size (default 4 MiB), one at a time, with progress. */
  chunkBytes?: number;
  /**
   * Collects garbage (answer-garbage.ts: globalCollector); called once per ANSWER_GARBAGE_BYTES of answers
   * delivered. Default: never.
   */
  collectGarbage?: () => void;
}

export function createRpcClient(transport: RpcTransport, options: RpcClientOptions = {}): RpcClient {
  const chunkBytes = options.chunkBytes ?? 4 * 1024 * 1024;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const linkListeners = new Set<(s: LinkState) => void>();
  const delivered = options.collectGarbage ? answerGarbageWatch(options.collectGarbage) : undefined;

  transport.onMessage(msg => {
    switch (msg.t) {
      case 'res': case 'err': {
        // an answer nobody waits for any more (cancelled) is garbage too
        if (msg.t === 'res') delivered?.(msg.result);
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        p.cleanup();
        if (msg.t === 'res') p.resolve(msg.result);
        else p.reject(new RpcCallError(isErrorCode(msg.error?.code) ? msg.error.code : 'internal', String(msg.error?.message ?? 'unknown error')));
        return;
      }
      case 'progress':
        pending.get(msg.id)?.onProgress?.(msg.progress);
        return;
      case 'link':
        for (const l of [...linkListeners]) {
          try { l(msg.state); } catch { /* a listener's failure is its own */ }
        }
        return;
    }
  });

  transport.onReconnect?.(() => {
    for (const [id, p] of pending) transport.send({ t: 'req', id, method: p.method, params: p.params as never });
  });

  function call<M extends RpcMethod>(method: M, params: RpcMethods[M]['params'], signal?: Signal, onProgress?: (p: Progress) => void): Promise<RpcMethods[M]['result']> {
    if (signal?.aborted) return Promise.reject(new RpcCallError('cancelled', 'cancelled'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        if (!pending.has(id)) return;
        pending.delete(id);
        transport.send({ t: 'cancel', id });
        reject(new RpcCallError('cancelled', 'cancelled'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      pending.set(id, {
        method, params,
        resolve: resolve as (v: unknown) => void, reject, onProgress,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      });
      try {
        transport.send({ t: 'req', id, method, params } as ClientMessage);
      } catch (e) {
        pending.delete(id);
        signal?.removeEventListener('abort', onAbort);
        reject(new RpcCallError('internal', `could not send the request: ${(e as Error)?.message ?? e}`));
      }
    });
  }

  async function upload(name: string, bytes: Uint8Array, options: OpenOptions): Promise<MatrixInfo> {
    let uploadId = '';
    while (uploadId.length < 24) uploadId += Math.random().toString(36).slice(2);
    uploadId = uploadId.slice(0, 24);
    const total = bytes.byteLength;
    for (let offset = 0; offset < total; offset += chunkBytes) {
      const piece = bytes.subarray(offset, Math.min(total, offset + chunkBytes));
      await call('uploadChunk', { uploadId, offset, bytes: piece }, options.signal);
      options.onProgress?.({ fraction: Math.min(total, offset + chunkBytes) / total, phase: 'uploading', done: Math.min(total, offset + chunkBytes), total });
    }
    return call('openBytes', { name, uploadId, size: total }, options.signal, options.onProgress);
  }

  return {
    current: () => call('current', {}) as Promise<MatrixInfo | null>,
    open: (path: string, options: OpenOptions = {}) => call('open', { path }, options.signal, options.onProgress),
    openBytes: (name: string, bytes: Uint8Array, options: OpenOptions = {}) => {
      if (bytes.byteLength <= chunkBytes) return call('openBytes', { name, bytes }, options.signal, options.onProgress);
      return upload(name, bytes, options);
    },
    recent: () => call('recent', {}) as Promise<RecentEntry[]>,
    query<Q extends QueryName>(matrixId: string, name: Q, req: QueryMap[Q]['req'], signal?: Signal): Promise<QueryMap[Q]['res']> {
      return call('query', { matrixId, name, req: req as QueryMap[QueryName]['req'] }, signal) as Promise<QueryMap[Q]['res']>;
    },
    publishLink(state: LinkState) { transport.send({ t: 'link', state }); },
    onLink(listener: (s: LinkState) => void) {
      linkListeners.add(listener);
      return () => { linkListeners.delete(listener); };
    },
    pendingCount: () => pending.size,
  };
}

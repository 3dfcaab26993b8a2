// The messages a window and the backend exchange, over any transport (Electron MessagePort, WebSocket).
// Pure data: every message is structured-cloneable, and the wire codec carries it over WebSockets.

import type { LinkState, RecentEntry } from '../client';
import type { ErrorPayload, MatrixInfo, Progress, QueryMap, QueryName } from '../queries';

/** Every request method, its params and its result. */
export interface RpcMethods {
  current: { params: Record<string, never>; result: MatrixInfo | null };
  open: { params: { path: string }; result: MatrixInfo };
  /** Whole bytes, or (big files) the id of an upload sent before in `uploadChunk`s, and its size. */
  openBytes: { params: { name: string; bytes?: Uint8Array; uploadId?: string; size?: number }; result: MatrixInfo };
  /** One piece of a big upload, at byte `offset`; answered with the bytes received so far. */
  uploadChunk: { params: { uploadId: string; offset: number; bytes: Uint8Array }; result: number };
  recent: { params: Record<string, never>; result: RecentEntry[] };
  query: { params: { matrixId: string; name: QueryName; req: QueryMap[QueryName]['req'] }; result: QueryMap[QueryName]['res'] };
}

export type RpcMethod = keyof RpcMethods;

export const RPC_METHODS: readonly RpcMethod[] = ['current', 'open', 'openBytes', 'uploadChunk', 'recent', 'query'];

/** Window → backend: call a method; answered by exactly one `res` or `err` with the same id. */
export interface RpcRequest<M extends RpcMethod = RpcMethod> { t: 'req'; id: number; method: M; params: RpcMethods[M]['params'] }
/** Backend → window: the result of request `id`. */
export interface RpcResponse { t: 'res'; id: number; result: unknown }
/** Backend → window: request `id` failed; `error.message` is readable by a person. */
export interface RpcError { t: 'err'; id: number; error: ErrorPayload }
/** Backend → window: progress of request `id` (conversion, long queries). */
export interface RpcProgress { t: 'progress'; id: number; progress: Progress }
/** Both ways: window → backend publishes its link state; backend → window relays another window's. */
export interface RpcLink { t: 'link'; state: LinkState }
/** Window → backend: abandon request `id` (it is answered with an `err` of code 'cancelled'). */
export interface RpcCancel { t: 'cancel'; id: number }

export type RpcMessage = RpcRequest | RpcResponse | RpcError | RpcProgress | RpcLink | RpcCancel;

/** Messages a window sends. */
export type ClientMessage = RpcRequest | RpcLink | RpcCancel;
/** Messages the backend sends. */
export type ServerMessage = RpcResponse | RpcError | RpcProgress | RpcLink;

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorPayload['code']>([
  'bad-input', 'not-found', 'cancelled', 'superseded', 'timeout', 'helper-crashed', 'store-corrupt', 'internal',
]);

export function isErrorCode(code: unknown): code is ErrorPayload['code'] {
  return typeof code === 'string' && ERROR_CODES.has(code);
}

/** Checks the shape of a message that arrived from outside (a WebSocket frame); null when it is not one. */
export function asClientMessage(m: unknown): ClientMessage | null {
  if (!m || typeof m !== 'object') return null;
  const msg = m as Record<string, unknown>;
  switch (msg.t) {
    case 'req':
      return Number.isSafeInteger(msg.id) && typeof msg.method === 'string' && (RPC_METHODS as readonly string[]).includes(msg.method)
        && (msg.params === undefined || (typeof msg.params === 'object' && msg.params !== null))
        ? { t: 'req', id: msg.id as number, method: msg.method as RpcMethod, params: (msg.params ?? {}) as never } : null;
    case 'cancel':
      return Number.isSafeInteger(msg.id) ? { t: 'cancel', id: msg.id as number } : null;
    case 'link': {
      const s = msg.state as Record<string, unknown> | null;
      return s && typeof s === 'object' && typeof s.matrixId === 'string' ? { t: 'link', state: s as unknown as LinkState } : null;
    }
    default:
      return null;
  }
}

/** The error an RpcError carries, as a thrown Error with `code` (what `MatrixClient` promises reject with). */
export class RpcCallError extends Error {
  constructor(readonly code: ErrorPayload['code'], message: string) {
    super(message);
    this.name = 'RpcCallError';
  }
}

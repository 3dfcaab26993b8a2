// Messages between the pool (parent) and a helper process. Everything is structured-cloneable:
// results keep their typed arrays (Node fork uses serialization 'advanced'; Electron's postMessage clones).
import type { ErrorPayload, Progress, QueryName } from '../../shared/queries';
import type { BandTask } from '../engine/open-engine';

/** Parent → helper: answer a query. `bands` > 1 lets whole-matrix work fan out over the pool in at least that many row bands (more on big matrices). */
export interface QueryMessage { id: number; storePath: string; name: QueryName; req: unknown; bands?: number }
/** Parent → helper: run one band of whole-matrix work. */
export interface BandMessage { id: number; storePath: string; band: BandTask }
/** Parent → helper: stop request `cancel` (a query or a band). */
export interface CancelMessage { cancel: number }
/** Parent → coordinating helper: the answer to its band sub-request `bandResult`. */
export interface BandResultMessage { bandResult: number; ok: boolean; result?: unknown; error?: ErrorPayload }

/** Parent → helper: close the engine of this store (e.g. it was reconverted or deleted) once idle. */
export interface ReleaseMessage { release: string }

/**
 * Parent → helper, with one MessagePort transferred (Electron only: Node's fork cannot carry ports): serve the
 * window's small queries on matrix `matrixId` (store `storePath`) on that port (electron/pool/window-port-server).
 * `attachWindow` names the attachment; a second one with the same name replaces the first.
 */
export interface AttachWindowMessage { attachWindow: string; matrixId: string; storePath: string }
/** Parent → helper: stop serving attachment `detachWindow` and close its port (window closed, reloaded, or moved). */
export interface DetachWindowMessage { detachWindow: string }

export type ToHelper = QueryMessage | BandMessage | CancelMessage | BandResultMessage | ReleaseMessage | AttachWindowMessage | DetachWindowMessage;

/** Helper → parent: started and listening. */
export interface ReadyMessage { ready: true; pid: number }
export interface ProgressMessage { id: number; progress: Progress }
export interface ReplyMessage { id: number; ok: boolean; result?: unknown; error?: ErrorPayload }
/** Helper (coordinating query `of`) → parent: please run this band somewhere in the pool. */
export interface BandRequestMessage { bandRequest: number; of: number; storePath: string; band: BandTask }

export type FromHelper = ReadyMessage | ProgressMessage | ReplyMessage | BandRequestMessage;

export const isObject = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null;

/**
 * A MessagePort as Electron's MessagePortMain shapes it (events carry `{ data }`), without importing Electron:
 * what a helper gets in `process.parentPort`'s message event `ports`. Tests wrap worker_threads ports in it.
 */
export interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

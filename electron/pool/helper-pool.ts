// A pool of helper processes attached to the same stores; answers queries (stub until written).
import type { Progress, QueryMap, QueryName } from '../../shared/queries';

/** Starts one helper process; Node: child_process.fork, Electron: utilityProcess.fork. */
export type SpawnHelper = (index: number) => HelperChannel;

/** The parent's side of one helper: a message channel plus lifecycle. Messages are structured-cloneable. */
export interface HelperChannel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
  readonly pid?: number;
}

export interface PoolOptions {
  /** Helpers to start (default: one per core). */
  size?: number;
  /** Default: fork electron/pool/helper-main (compiled .js, or .ts through tsx). */
  spawn?: SpawnHelper;
  /** Per-request deadline in ms (default 60 000). */
  deadlineMs?: number;
}

export interface PoolQueryOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Requests with the same supersedeKey (e.g. `${window}:viewport`) cancel the older one still running. */
  supersedeKey?: string;
}

export class HelperPool {
  constructor(readonly options: PoolOptions = {}) {}
  async query<Q extends QueryName>(_storePath: string, _name: Q, _req: QueryMap[Q]['req'], _opts: PoolQueryOptions = {}): Promise<QueryMap[Q]['res']> {
    throw new Error('pool not implemented yet');
  }
  /** PIDs of running helpers (for memory accounting). */
  pids(): number[] { return []; }
  async close(): Promise<void> {}
}

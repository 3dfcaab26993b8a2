// Attaches to a store and answers queries (stub until written).
import type { MatrixInfo, Progress, QueryMap, QueryName } from '../../shared/queries';
import type { StoreManifest } from '../../shared/store-manifest';

export type SourceMode = 'mapped' | 'paged';

export interface QueryContext {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Runs whole-matrix work over row bands, possibly in other processes (the helper pool). Default: in this process. */
  bands?: BandExecutor;
}

/** A piece of whole-matrix work over rows [rowStart, rowEnd). `task` names an engine band function. */
export interface BandTask { task: string; req: unknown; rowStart: number; rowEnd: number }

/** Runs a band task over the whole matrix split into row bands, returns the partial results (any order). */
export type BandExecutor = (task: string, req: unknown, ctx: { signal?: AbortSignal; onProgress?: (p: Progress) => void }) => Promise<unknown[]>;

export interface MatrixEngine {
  readonly storePath: string;
  readonly manifest: StoreManifest;
  readonly mode: SourceMode;
  info(): MatrixInfo;
  query<Q extends QueryName>(name: Q, req: QueryMap[Q]['req'], ctx?: QueryContext): Promise<QueryMap[Q]['res']>;
  /** One band of whole-matrix work (what a helper process runs for the pool). */
  runBand(band: BandTask, ctx?: { signal?: AbortSignal }): Promise<unknown>;
  close(): Promise<void>;
}

/** Default mode: 'paged' inside Electron (V8 memory cage), 'mapped' elsewhere; MATRIX_EXPLORER_SOURCE overrides. */
export function defaultSourceMode(): SourceMode {
  const forced = process.env.MATRIX_EXPLORER_SOURCE;
  if (forced === 'mapped' || forced === 'paged') return forced;
  return process.versions.electron ? 'paged' : 'mapped';
}

export async function openEngine(storePath: string, _options: { mode?: SourceMode } = {}): Promise<MatrixEngine> {
  throw new Error(`engine not implemented yet (${storePath})`);
}

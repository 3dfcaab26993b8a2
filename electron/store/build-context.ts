// What the dense and sparse builders share: where they write, the memory budget, cancellation and
// progress, and what they hand back to the converter.
import type { PyramidLevel, StoreManifest, StoreStats } from '../../shared/store-manifest';
import { CancelledError } from '../importers/matrix-source';

export interface BuildContext {
  /** The temporary store directory being filled. */
  dir: string;
  /** Bytes the builder may use for buffers. */
  budget: number;
  signal?: AbortSignal;
  /** Dense: write the column-major copy of the values (default true). */
  columnCopy?: boolean;
  /** Reports progress within a phase (throttled by the caller). */
  progress(phase: string, done: number, total: number): void;
}

export interface BuiltData {
  files: StoreManifest['files'];
  sizes: Record<string, number>;
  nnz: number;
  stats: StoreStats;
  pyramid: PyramidLevel[];
  /** Elements (dense) or stored entries (sparse) aggregated into the pyramid, and the seconds it took. */
  pyramidElements: number;
  pyramidSeconds: number;
}

export function checkCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}

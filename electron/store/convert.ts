// Converts a source file into a store, or reuses the cached store of an unchanged source (stub until written).
import type { Progress } from '../../shared/queries';
import type { StoreManifest } from '../../shared/store-manifest';

export interface ConvertOptions {
  /** Where the store goes: a path ending in `.mxstore` is the store itself; any other path is a directory to put `NAME.mxstore` in. Default: the per-user cache directory. */
  out?: string;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Memory the conversion may use for buffers, in bytes (default 512 MiB). */
  memoryBudget?: number;
  /** Reconvert even when a matching store exists. */
  force?: boolean;
}

export interface ConvertResult {
  storePath: string;
  manifest: StoreManifest;
  /** True when an existing store matched the source's fingerprint and was reused. */
  reused: boolean;
  seconds: number;
}

export async function convertToStore(input: string, _options: ConvertOptions = {}): Promise<ConvertResult> {
  throw new Error(`convert not implemented yet (${input})`);
}

/** A store path as given, or the store of a source file (converting it if needed). */
export async function resolveStore(inputOrStore: string, options: ConvertOptions = {}): Promise<ConvertResult> {
  return convertToStore(inputOrStore, options);
}

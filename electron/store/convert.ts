// Converts a source file into a store, or reuses the cached store of an unchanged source.
// The store is built in a temp directory next to the target and renamed into place when complete.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Progress } from '../../shared/queries';
import { STORE_FORMAT, STORE_VERSION, type StoreManifest } from '../../shared/store-manifest';
import { CancelledError, type MatrixSource } from '../importers/matrix-source';
import { openSource } from '../importers/open-source';
import { cleanStaleTemps, commitTempStoreDir, createTempStoreDir, isTempStoreDir, removeDir } from './atomic-dir';
import { checkCancelled, type BuildContext, type BuiltData } from './build-context';
import { buildDense } from './dense-builder';
import { fingerprint, sameFingerprint, type Fingerprint } from './fingerprint';
import { MANIFEST_NAME, StoreCorruptError, looksLikeStore, readStoreManifest } from './open-store';
import { syncClose, writeAllAt } from './positional-io';
import { throttleProgress } from './progress-throttle';
import { buildSparse } from './sparse-builder';
import { storePathFor } from './store-location';

export interface ConvertOptions {
  /** Where the store goes: a path ending in `.mxstore` is the store itself; any other path is a directory to put `NAME.mxstore` in. Default: the per-user cache directory. */
  out?: string;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Memory the conversion may use for buffers, in bytes (default 512 MiB). */
  memoryBudget?: number;
  /** Dense sources: also write the column-major copy of the values, for fast columns (default true; doubles the values' disk size). */
  columnCopy?: boolean;
  /** Reconvert even when a matching store exists. */
  force?: boolean;
  /** Opens the source (default: the importer chosen by `openSource`); tests pass fake sources. */
  open?: (path: string) => Promise<MatrixSource>;
}

export interface ConvertResult {
  storePath: string;
  manifest: StoreManifest;
  /** True when an existing store matched the source's fingerprint and was reused. */
  reused: boolean;
  seconds: number;
  /** Pyramid build rate of a fresh conversion, in million elements (dense) or entries (sparse) per second. */
  pyramidMelemPerSec?: number;
}

export const DEFAULT_MEMORY_BUDGET = 512 * 1024 * 1024;

/** The store of an unchanged source at `storePath`, or undefined (missing, damaged, or another source). */
async function reusable(storePath: string, fp: Fingerprint): Promise<StoreManifest | undefined> {
  if (!looksLikeStore(storePath)) return undefined;
  try {
    const m = await readStoreManifest(storePath);
    return sameFingerprint(m.source, fp) ? m : undefined;
  } catch (e) {
    if (e instanceof StoreCorruptError) return undefined;
    throw e;
  }
}

export async function convertToStore(input: string, options: ConvertOptions = {}): Promise<ConvertResult> {
  const t0 = performance.now();
  const abs = path.resolve(input);
  const fp = fingerprint(abs);
  const target = storePathFor(abs, options.out);
  if (!options.force) {
    const m = await reusable(target, fp);
    if (m) return { storePath: target, manifest: m, reused: true, seconds: (performance.now() - t0) / 1000 };
  }
  checkCancelled(options.signal);
  const source = await (options.open ?? openSource)(abs);
  try {
    return await buildStore(source, target, fp, options, t0);
  } finally {
    await source.close?.();
  }
}

/**
 * Builds the store for an opened source at `target` (atomically). `fp` is the source file's
 * fingerprint, recorded in the manifest. Exposed for tests that feed fake sources.
 */
export async function buildStore(source: MatrixSource, target: string, fp: Fingerprint, options: ConvertOptions = {}, t0 = performance.now()): Promise<ConvertResult> {
  const header = await source.header();
  cleanStaleTemps(path.dirname(target));
  const tmp = createTempStoreDir(target);
  const progress = throttleProgress(options.onProgress);
  const ctx: BuildContext = { dir: tmp, budget: options.memoryBudget ?? DEFAULT_MEMORY_BUDGET, signal: options.signal, columnCopy: options.columnCopy, progress };
  try {
    checkCancelled(options.signal);
    const built: BuiltData = header.kind === 'sparse' ? await buildSparse(source, header, ctx) : await buildDense(source, header, ctx);
    checkCancelled(options.signal);
    removeDir(path.join(tmp, 'tmp'));
    const seconds = (performance.now() - t0) / 1000;
    const manifest: StoreManifest = {
      format: STORE_FORMAT, version: STORE_VERSION,
      source: { ...fp, ...header.info },
      shape: [header.rows, header.cols], kind: header.kind, dtype: header.dtype, nnz: built.nnz,
      stats: built.stats, files: built.files, sizes: built.sizes, pyramid: built.pyramid,
      createdAt: new Date().toISOString(), convertSeconds: seconds,
    };
    const text = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
    const fd = fs.openSync(path.join(tmp, MANIFEST_NAME), 'w');
    writeAllAt(fd, text, 0);
    syncClose(fd);
    checkCancelled(options.signal);
    commitTempStoreDir(tmp, target);
    return {
      // what the caller waited for: the manifest's figure, plus writing it and the commit
      storePath: target, manifest, reused: false, seconds: (performance.now() - t0) / 1000,
      pyramidMelemPerSec: built.pyramidSeconds > 0 ? built.pyramidElements / built.pyramidSeconds / 1e6 : undefined,
    };
  } catch (e) {
    removeDir(tmp);
    if (options.signal?.aborted && !(e instanceof CancelledError)) throw new CancelledError();
    throw e;
  }
}

const isDirectory = (p: string) => { try { return fs.statSync(p).isDirectory(); } catch { return false; } };

/** A store path as given (verified), or the store of a source file (converting it if needed). */
export async function resolveStore(inputOrStore: string, options: ConvertOptions = {}): Promise<ConvertResult> {
  const abs = path.resolve(inputOrStore);
  if (looksLikeStore(abs)) {
    const t0 = performance.now();
    const manifest = await readStoreManifest(abs);
    return { storePath: abs, manifest, reused: true, seconds: (performance.now() - t0) / 1000 };
  }
  if (isDirectory(abs)) {
    throw new StoreCorruptError(isTempStoreDir(path.basename(abs))
      ? `${abs} is an unfinished conversion, not a store; convert the source again`
      : `${abs} is a directory without ${MANIFEST_NAME}: neither a store nor a matrix file`);
  }
  return convertToStore(abs, options);
}

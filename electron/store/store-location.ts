// Where a source's store goes: the per-user cache directory by default (MATRIX_EXPLORER_CACHE
// overrides), named after the file plus a short hash of its absolute path so that two files with
// the same name never share a store.
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';

export const STORE_SUFFIX = '.mxstore';

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.MATRIX_EXPLORER_CACHE) return path.resolve(env.MATRIX_EXPLORER_CACHE);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'matrix-explorer');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'matrix-explorer', 'Cache');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'matrix-explorer');
}

/** `name.mtx-1a2b3c4d.mxstore`: basename plus 8 hex digits of the absolute path's hash. */
export function cachedStoreName(sourcePath: string): string {
  const abs = path.resolve(sourcePath);
  const h = createHash('sha1').update(abs).digest('hex').slice(0, 8);
  return `${path.basename(abs)}-${h}${STORE_SUFFIX}`;
}

/**
 * The store path for a source: `out` ending in `.mxstore` is the store itself; another `out` is a
 * directory that gets `BASENAME.mxstore`; no `out` means the cache directory.
 */
export function storePathFor(sourcePath: string, out?: string): string {
  if (out) {
    const o = path.resolve(out);
    if (o.endsWith(STORE_SUFFIX)) return o;
    return path.join(o, `${path.basename(sourcePath)}${STORE_SUFFIX}`);
  }
  return path.join(defaultCacheDir(), cachedStoreName(sourcePath));
}

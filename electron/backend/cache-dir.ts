// The per-user cache directory (recent files, uploads; the store writer keeps converted stores there too).
// A local helper until electron/store exposes one: MATRIX_EXPLORER_CACHE, else the platform's cache dir.
import * as os from 'node:os';
import * as path from 'node:path';

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MATRIX_EXPLORER_CACHE) return path.resolve(env.MATRIX_EXPLORER_CACHE);
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'matrix-explorer');
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'matrix-explorer', 'Cache');
  return path.join(env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(home, '.cache'), 'matrix-explorer');
}

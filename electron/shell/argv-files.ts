// The matrix files named on the command line: `matrix-explorer a.mtx` reaches Electron's main process as
// [electron, (app dir), ...flags, a.mtx] (packaged: [app, ...]); a second instance forwards its argv too.
import * as path from 'node:path';

/**
 * Non-flag arguments after the app itself, resolved against `cwd`. `skip` is how many leading entries are the
 * executable/app (2 when run as `electron .`, 1 when packaged); `exclude` lists paths that are the app itself
 * (its directory or main script), which test harnesses may pass after Chromium flags.
 */
export function filesFromArgv(argv: string[], cwd: string, skip: number, exclude: string[] = []): string[] {
  const excluded = new Set(exclude.map(p => path.resolve(p)));
  const out: string[] = [];
  let afterDashes = false;
  for (const a of argv.slice(skip)) {
    if (!afterDashes && a === '--') { afterDashes = true; continue; }
    if (!afterDashes && a.startsWith('-')) continue;
    if (a.length === 0 || a.includes('\0')) continue;
    const abs = path.resolve(cwd, a);
    if (!excluded.has(abs)) out.push(abs);
  }
  return out;
}

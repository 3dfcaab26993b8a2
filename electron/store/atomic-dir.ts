// Builds a store in a temporary sibling directory and renames it into place only when complete, so
// a crash or kill never leaves something that opens as a store. Temp dirs are named
// `NAME.mxstore.tmp-<pid>-<random>`; ones whose process is dead are removed by the next conversion.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { syncDir } from './positional-io';

const TEMP_RE = /\.mxstore\.(?:tmp|old)-(\d+)-[0-9a-f]+$/;

export function isTempStoreDir(name: string): boolean { return TEMP_RE.test(name); }

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Removes leftover temp stores of dead processes in `dir`. */
export function cleanStaleTemps(dir: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try { names = fs.readdirSync(dir); } catch { return removed; }
  for (const name of names) {
    const m = TEMP_RE.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    try { fs.rmSync(path.join(dir, name), { recursive: true, force: true }); removed.push(name); } catch { /* someone else's */ }
  }
  return removed;
}

const suffix = () => `${process.pid}-${randomBytes(4).toString('hex')}`;

/** Creates the temp build directory next to `target`. */
export function createTempStoreDir(target: string): string {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${suffix()}`;
  fs.mkdirSync(tmp);
  return tmp;
}

/** Makes `tmp` the store at `target` (replacing an existing one), durably. */
export function commitTempStoreDir(tmp: string, target: string): void {
  syncDir(tmp);
  const pyr = path.join(tmp, 'pyramid');
  if (fs.existsSync(pyr)) syncDir(pyr);
  let old: string | undefined;
  if (fs.existsSync(target)) {
    old = `${target}.old-${suffix()}`;
    fs.renameSync(target, old);
  }
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    if (old) fs.renameSync(old, target);
    throw e;
  }
  syncDir(path.dirname(target));
  if (old) fs.rmSync(old, { recursive: true, force: true });
}

export function removeDir(dir: string): void {
  try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
}

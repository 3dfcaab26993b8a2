// Memory of a process as Linux accounts it (/proc/<pid>/smaps_rollup): Rss, Pss (shared pages split
// among their users) and Private (pages only this process uses). File-backed pages of a mapped store
// are Shared_Clean across processes that map it, so Private stays small however many readers there are.
import { readFileSync } from 'node:fs';

export interface ProcessMemory {
  pid: number;
  /** Bytes. */
  rss: number;
  pss: number;
  sharedClean: number;
  sharedDirty: number;
  privateClean: number;
  privateDirty: number;
  /** privateClean + privateDirty */
  private: number;
  anonymous: number;
  swap: number;
}

/** True where /proc/<pid>/smaps_rollup exists (Linux ≥ 4.14). */
export function canReadProcessMemory(): boolean {
  try { readFileSync('/proc/self/smaps_rollup', 'utf8'); return true; } catch { return false; }
}

export function parseSmapsRollup(text: string, pid = 0): ProcessMemory {
  const kb = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : 0;
  };
  const privateClean = kb('Private_Clean'), privateDirty = kb('Private_Dirty');
  return {
    pid, rss: kb('Rss'), pss: kb('Pss'), sharedClean: kb('Shared_Clean'), sharedDirty: kb('Shared_Dirty'),
    privateClean, privateDirty, private: privateClean + privateDirty, anonymous: kb('Anonymous'), swap: kb('Swap'),
  };
}

/** Reads /proc/<pid>/smaps_rollup; throws if the process is gone or the platform has no /proc. */
export function readProcessMemory(pid: number): ProcessMemory {
  return parseSmapsRollup(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), pid);
}

/** Sum of the given processes' figures (processes that vanished are skipped). */
export function sumProcessMemory(pids: number[]): { pss: number; private: number; rss: number; processes: ProcessMemory[] } {
  const processes: ProcessMemory[] = [];
  for (const pid of pids) { try { processes.push(readProcessMemory(pid)); } catch { /* gone */ } }
  return {
    pss: processes.reduce((a, p) => a + p.pss, 0),
    private: processes.reduce((a, p) => a + p.private, 0),
    rss: processes.reduce((a, p) => a + p.rss, 0),
    processes,
  };
}

export const formatBytes = (n: number): string =>
  n >= 1 << 30 ? `${(n / 2 ** 30).toFixed(2)} GiB` : n >= 1 << 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${(n / 1024).toFixed(0)} KiB`;

/**
 * Private bytes (clean + dirty) of a process split by mapping: those in mappings of files whose path
 * satisfies `isStoreFile` (mapped store pages: page cache only this process maps right now, not a copy)
 * and everything else (heap, buffers: what a copy of the matrix would show up in); plus `storeRss`, the
 * store pages this process has mapped at all (shared with others or not). Reads /proc/<pid>/smaps.
 */
export function privateByMapping(pid: number, isStoreFile: (path: string) => boolean): { store: number; other: number; storeRss: number } {
  const text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  let store = 0, other = 0, storeRss = 0, current = false;
  for (const line of text.split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) { current = head[1] !== '' && isStoreFile(head[1]); continue; }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) { if (current) storeRss += Number(rss[1]) * 1024; continue; }
    const m = /^Private_(?:Clean|Dirty):\s+(\d+) kB/.exec(line);
    if (m) { const b = Number(m[1]) * 1024; if (current) store += b; else other += b; }
  }
  return { store, other, storeRss };
}

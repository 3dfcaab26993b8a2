// Lowers the calling thread's scheduling priority (Linux: setpriority on the thread's own id, which
// affects that thread only). For work a conversion needs finished but nobody waits on first, such as
// the column-major copy: on a busy machine the threads doing the urgent work get the cores first, and
// the background work takes whatever is left. Best effort: elsewhere, or if refused, nothing changes.
import * as fs from 'node:fs';
import * as os from 'node:os';

/** Niceness of background threads (0 normal, 19 lowest). */
export const BACKGROUND_NICE = 10;

export function lowerThreadPriority(nice = BACKGROUND_NICE): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    os.setPriority(tid, Math.max(os.getPriority(tid), nice));
    return true;
  } catch {
    return false;
  }
}

// Reading a run of whole lines straight from the file (see lineRanges): into the caller's memory (the
// kernel's) or a fresh buffer. A file's last line may lack its '\n': one is added, as the parsers need.
import { readSync } from 'node:fs';

/**
 * A run of whole lines in a file, for a parse worker to read itself (the last run may lack its final
 * '\n'). `fd` is the scan's descriptor, open in this process for the whole scan (descriptors are the
 * process's, not a thread's): every run is read from the file the scan opened, even if the path is
 * replaced meanwhile. `path` names it in messages.
 */
export interface RunFile { path: string; fd: number; start: number; len: number; last: boolean }

/** Bytes a run takes once read: its length, plus the '\n' a last run may need. */
export const runBytes = (f: RunFile): number => f.len + (f.last ? 1 : 0);

/** Reads run `f` into `into` (at least runBytes(f) long); returns its length, ending in '\n'. Throws on a read error or a short file. */
export function readRunInto(f: RunFile, into: Uint8Array): number {
  for (let done = 0; done < f.len;) {
    const n = readSync(f.fd, into, done, f.len - done, f.start + done);
    if (n === 0) throw new Error(`${f.path}: the file ended at byte ${f.start + done}, expected ${f.start + f.len}`);
    done += n;
  }
  let len = f.len;
  if (into[len - 1] !== 10) {
    if (!f.last) throw new Error(`${f.path}: the file changed while it was read (no line break at byte ${f.start + len - 1})`);
    into[len++] = 10;
  }
  return len;
}

/** Run `f`, read into a buffer of its own. */
export function readRunFile(f: RunFile): Uint8Array {
  const buf = new Uint8Array(runBytes(f));
  return buf.subarray(0, readRunInto(f, buf));
}

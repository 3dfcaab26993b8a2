// Splits a file region into ranges of COMPLETE lines (each ends just after a '\n', except perhaps the
// file's last) without reading the lines themselves: only a small window at each cut is read. Whoever
// parses a range reads its bytes on its own thread (the parse workers read straight into their kernel's
// memory), so the text is copied once, from the page cache to where it is parsed.
import type { FileHandle } from 'node:fs/promises';
import { CancelledError } from '../matrix-source';

export interface LineRange {
  /** [start, end): whole lines. */
  start: number;
  end: number;
  /** True for the last range of the file (its last line may lack the '\n'). */
  last: boolean;
}

export interface LineRangeOptions {
  /** Bytes per range, about (default 8 MiB): a range ends at the last line break within that. */
  readSize?: number;
  /** Refuse lines longer than this (default 256 MiB). */
  maxLine?: number;
  signal?: AbortSignal;
  /** Called with the end of each range handed out and the file size. */
  onBytes?: (done: number, total: number) => void;
}

/** Bytes read at a time when looking for a line break. */
const WINDOW = 64 * 1024;

/**
 * Iterates line ranges of the open file `fh` (the caller's, left open) from byte `from` to the end.
 * `onTooLong(offset)` builds the error for a line too long.
 */
export async function* lineRanges(fh: FileHandle, from: number, opts: LineRangeOptions, onTooLong: (offset: number) => Error): AsyncGenerator<LineRange> {
  const readSize = Math.max(1, opts.readSize ?? 8 * 1024 * 1024);
  const maxLine = opts.maxLine ?? 256 * 1024 * 1024;
  const total = (await fh.stat()).size;
  const win = Buffer.allocUnsafe(Math.min(WINDOW, Math.max(readSize, 1)));
  /** Position just after the last '\n' in [lo, hi), or -1. */
  const lastBreak = async (lo: number, hi: number): Promise<number> => {
    while (hi > lo) {
      const a = Math.max(lo, hi - win.length);
      const { bytesRead } = await fh.read(win, 0, hi - a, a);
      for (let i = bytesRead - 1; i >= 0; i--) if (win[i] === 10) return a + i + 1;
      hi = a;
    }
    return -1;
  };
  /** Position just after the first '\n' at or after `lo` and before `limit`, or -1 (none, or end of file). */
  const firstBreak = async (lo: number, limit: number): Promise<number> => {
    while (lo < limit) {
      const { bytesRead } = await fh.read(win, 0, Math.min(win.length, limit - lo), lo);
      if (bytesRead === 0) return -1;
      const i = win.subarray(0, bytesRead).indexOf(10);
      if (i >= 0) return lo + i + 1;
      lo += bytesRead;
    }
    return -1;
  };
  let start = from;
  while (start < total) {
    if (opts.signal?.aborted) throw new CancelledError();
    if (total - start <= readSize) {
      opts.onBytes?.(total, total);
      yield { start, end: total, last: true };
      return;
    }
    let end = await lastBreak(start, start + readSize);
    if (end < 0) {
      // no line break within readSize: the line at `start` is long; it ends at the next break
      end = await firstBreak(start + readSize, Math.min(total, start + maxLine + 1));
      if (end < 0) {
        if (total - start > maxLine) throw onTooLong(start);
        opts.onBytes?.(total, total);
        yield { start, end: total, last: true };
        return;
      }
    }
    opts.onBytes?.(end, total);
    yield { start, end, last: end >= total };
    start = end;
  }
}

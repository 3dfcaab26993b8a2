// Reads a file region in large chunks into one reused Buffer and hands out runs of COMPLETE lines:
// every run ends just after a '\n' (when the file's last line has none, one is appended in the buffer,
// so parsers can scan to '\n' without bounds checks). A partial last line is carried to the front of
// the buffer for the next read; the buffer grows when a single line does not fit.
import { promises as fsp } from 'node:fs';
import { CancelledError } from '../matrix-source';

export interface LineRun {
  buf: Buffer;
  /** [start, end) holds whole lines. */
  start: number;
  end: number;
  /** File offset of buf[start]. */
  offset: number;
  /** True for the last run of the file. */
  last: boolean;
}

export interface ChunkedReaderOptions {
  /** Bytes per read (default 8 MiB). Tiny values are allowed (tests). */
  readSize?: number;
  /** Refuse lines longer than this (default 256 MiB). */
  maxLine?: number;
  signal?: AbortSignal;
  onBytes?: (done: number, total: number) => void;
}

/** Iterates line runs of `path` from byte `from` to the end. `onTooLong(offset)` builds the error. */
export async function* readLineRuns(
  path: string, from: number, opts: ChunkedReaderOptions, onTooLong: (offset: number) => Error,
): AsyncGenerator<LineRun> {
  const readSize = Math.max(1, opts.readSize ?? 8 * 1024 * 1024);
  const maxLine = opts.maxLine ?? 256 * 1024 * 1024;
  const fh = await fsp.open(path, 'r');
  try {
    const total = (await fh.stat()).size;
    let buf = Buffer.allocUnsafe(readSize + 1);
    let filled = 0;          // bytes valid in buf
    let bufOffset = from;    // file offset of buf[0]
    let pos = from;          // next file offset to read
    for (;;) {
      if (opts.signal?.aborted) throw new CancelledError();
      if (buf.length - filled < readSize + 1) {
        // carried partial line is long: grow
        if (filled > maxLine) throw onTooLong(bufOffset);
        const nb = Buffer.allocUnsafe(Math.max(buf.length * 2, filled + readSize + 1));
        buf.copy(nb, 0, 0, filled);
        buf = nb;
      }
      const { bytesRead } = await fh.read(buf, filled, readSize, pos);
      pos += bytesRead;
      const end = filled + bytesRead;
      opts.onBytes?.(pos, total);
      if (bytesRead === 0 || pos >= total) {
        let e = end;
        if (e > 0 && buf[e - 1] !== 10) buf[e++] = 10; // room is reserved above
        yield { buf, start: 0, end: e, offset: bufOffset, last: true };
        return;
      }
      let nl = end - 1;
      while (nl >= filled && buf[nl] !== 10) nl--;
      if (nl < filled) {
        // no newline in the new bytes: keep reading into the same line
        filled = end;
        continue;
      }
      const cut = nl + 1;
      yield { buf, start: 0, end: cut, offset: bufOffset, last: false };
      buf.copy(buf, 0, cut, end);
      filled = end - cut;
      bufOffset += cut;
    }
  } finally {
    await fh.close();
  }
}

// The fast first pass over a CSV file: count its data lines (lines that are not blank and not '#'
// comments — the rule `isSkippedLine` applies to text) with Buffer.indexOf, in bounded chunks.

import type { FileHandle } from 'node:fs/promises';
import { CancelledError } from '../matrix-source';

export interface RowCount {
  /** Data lines, header line included. */
  dataLines: number;
}

export async function countCsvDataLines(
  fh: FileHandle, start: number, size: number, delim: number,
  options: { chunkBytes?: number; signal?: AbortSignal } = {},
): Promise<RowCount> {
  const buf = Buffer.allocUnsafe(Math.max(1, Math.min(options.chunkBytes ?? 8 << 20, Math.max(1, size))));
  let pos = start, dataLines = 0;
  let deciding = true; // in the leading blanks of a line, not yet known whether it holds data
  while (pos < size) {
    if (options.signal?.aborted) throw new CancelledError();
    const { bytesRead: n } = await fh.read(buf, 0, Math.min(buf.length, size - pos), pos);
    if (n === 0) break;
    pos += n;
    const b = n === buf.length ? buf : buf.subarray(0, n);
    let i = 0;
    while (i < n) {
      if (deciding) {
        const c = b[i];
        if (c === 10 || ((c === 32 || c === 9 || c === 13) && c !== delim)) { i++; continue; }
        if (c !== 35 /* # */) dataLines++;
        deciding = false;
      }
      const nl = b.indexOf(10, i);
      if (nl < 0) break;
      i = nl + 1;
      deciding = true;
    }
  }
  return { dataLines };
}

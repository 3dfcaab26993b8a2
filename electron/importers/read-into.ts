// Positional reads that fill a buffer: a single `read` may return fewer bytes than asked.
import type { FileHandle } from 'node:fs/promises';

/** Fill `buf` from `position` (short only at end of file); returns the bytes read. */
export async function readInto(fh: FileHandle, buf: Uint8Array, position: number): Promise<number> {
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

// Positional file I/O (fs.readSync/writeSync with explicit offsets): the store writer never maps
// files, so the same code runs in Electron processes, where mapping is forbidden.
import * as fs from 'node:fs';

/** Writes all of `buf` at byte `pos`. */
export function writeAllAt(fd: number, buf: Uint8Array, pos: number): void {
  let off = 0;
  while (off < buf.length) {
    off += fs.writeSync(fd, buf, off, buf.length - off, pos + off);
  }
}

/** Fills `buf` from byte `pos`; throws when the file ends first. */
export function readAllAt(fd: number, buf: Uint8Array, pos: number): void {
  let off = 0;
  while (off < buf.length) {
    const n = fs.readSync(fd, buf, off, buf.length - off, pos + off);
    if (n === 0) throw new Error(`unexpected end of file at byte ${pos + off}`);
    off += n;
  }
}

/** Bytes of a typed array, as a Uint8Array view. */
export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * fsync is skipped when MATRIX_EXPLORER_NO_FSYNC=1 (tests and benches on slow disks: the rename
 * still makes the store appear atomically, only durability across a power cut is given up).
 */
export const skipSync = () => process.env.MATRIX_EXPLORER_NO_FSYNC === '1';

/** Flushes a file's data to disk and closes it. */
export function syncClose(fd: number): void {
  try { if (!skipSync()) fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
}

/** fsync a directory (makes renames/creations durable); a no-op where directories can't be opened (Windows). */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  if (skipSync()) return;
  try { fd = fs.openSync(dir, 'r'); fs.fsyncSync(fd); } catch { /* not supported on this platform */ } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Appends bytes to a new file through a buffer, with positional writes. */
export class AppendWriter {
  private readonly fd: number;
  private readonly buf: Uint8Array;
  private used = 0;
  /** Bytes written (flushed or buffered). */
  position = 0;

  /** `through`: writes go through it (e.g. a WriteBehind helper thread), drained before closing. */
  constructor(readonly path: string, bufferBytes = 1 << 20, private readonly through?: { write(fd: number, bytes: Uint8Array, pos: number): void; drain(): void }) {
    this.fd = fs.openSync(path, 'w');
    this.buf = new Uint8Array(bufferBytes);
  }

  write(bytes: Uint8Array): void {
    if (bytes.length >= this.buf.length) {
      this.flush();
      this.writeAt(bytes, this.position);
      this.position += bytes.length;
      return;
    }
    if (this.used + bytes.length > this.buf.length) this.flush();
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
    this.position += bytes.length;
  }

  flush(): void {
    if (this.used === 0) return;
    this.writeAt(this.buf.subarray(0, this.used), this.position - this.used);
    this.used = 0;
  }

  private writeAt(bytes: Uint8Array, pos: number): void {
    if (this.through) this.through.write(this.fd, bytes, pos);
    else writeAllAt(this.fd, bytes, pos);
  }

  /** Flushes, fsyncs and closes; returns the file size. */
  close(): number {
    this.flush();
    this.through?.drain();
    this.closing = Promise.resolve();
    syncClose(this.fd);
    return this.position;
  }

  /**
   * Flushes (every byte is on the file when this returns) and returns the file size; the fsync and the
   * close run on libuv's thread pool, so the disk works while the caller goes on: `closed` settles once
   * the file is durable and closed.
   */
  closeLater(): { size: number; closed: Promise<void> } {
    this.flush();
    this.through?.drain();
    const fd = this.fd;
    this.closing = new Promise<void>((resolve, reject) => {
      const close = (e: Error | null) => fs.close(fd, (e2) => ((e ?? e2) ? reject(e ?? e2) : resolve()));
      if (skipSync()) close(null); else fs.fsync(fd, close);
    });
    this.closing.catch(() => {}); // an error reaches whoever awaits `closed`; none is left unhandled
    return { size: this.position, closed: this.closing };
  }

  /** Set once close or closeLater has taken the descriptor. */
  private closing?: Promise<void>;

  /** Closes without syncing (error paths, temp files); nothing to do once close or closeLater has run. */
  abandon(): void {
    if (this.closing) return;
    try { this.through?.drain(); } catch { /* failing anyway */ }
    try { fs.closeSync(this.fd); } catch { /* already closed */ }
  }
}

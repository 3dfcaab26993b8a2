// A store .npy file being written at positions: header first, then data anywhere within its final
// size (the file is extended up front, so unwritten regions read as zeros).
import * as fs from 'node:fs';
import { buildNpyHeader } from './npy-header';
import { bytesOf, readAllAt, skipSync, syncClose, writeAllAt } from './positional-io';

export class NpyFile {
  readonly fd: number;
  readonly dataOffset: number;
  readonly size: number;

  /** `fortranOrder`: the header says column-major (the caller lays the data out that way). */
  constructor(readonly path: string, descr: string, shape: number[], itemBytes: number, fortranOrder = false) {
    const header = buildNpyHeader(descr, shape, fortranOrder);
    this.dataOffset = header.length;
    this.size = header.length + shape.reduce((a, b) => a * b, 1) * itemBytes;
    this.fd = fs.openSync(path, 'w+');
    writeAllAt(this.fd, header, 0);
    fs.ftruncateSync(this.fd, this.size);
  }

  /** Writes bytes at data byte offset `pos`. */
  writeAt(bytes: Uint8Array, pos: number): void { writeAllAt(this.fd, bytes, this.dataOffset + pos); }
  readAt(bytes: Uint8Array, pos: number): void { readAllAt(this.fd, bytes, this.dataOffset + pos); }

  /**
   * Writes bytes at data byte offset `pos` on libuv's thread pool, overlapping the caller's work;
   * `bytes` must stay unchanged until the promise settles.
   */
  writeAtLater(bytes: Uint8Array, pos: number): Promise<void> {
    const at = this.dataOffset + pos;
    return new Promise((resolve, reject) => {
      const step = (off: number) => {
        if (off >= bytes.length) { resolve(); return; }
        fs.write(this.fd, bytes, off, bytes.length - off, at + off, (e, n) => (e ? reject(e) : step(off + n)));
      };
      step(0);
    });
  }

  /**
   * Starts flushing what was written so far to disk, on libuv's thread pool (the disk works while the
   * caller computes; `close` then has less left to wait for).
   */
  syncLater(): Promise<void> {
    if (skipSync()) return Promise.resolve();
    return new Promise((resolve, reject) => fs.fsync(this.fd, (e) => (e ? reject(e) : resolve())));
  }

  close(): number { syncClose(this.fd); return this.size; }
  abandon(): void { try { fs.closeSync(this.fd); } catch { /* closed */ } }
}

/** Encodes non-negative integers (< 2^53) as little-endian int64. */
export function int64Bytes(v: Float64Array | Uint32Array | Int32Array): Uint8Array {
  const out = new Uint32Array(2 * v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    const hi = Math.floor(x / 4294967296); // (not x % 2^32: on doubles `%` is a slow library call)
    out[2 * i] = x - hi * 4294967296;
    out[2 * i + 1] = hi;
  }
  return bytesOf(out);
}

/** Decodes little-endian int64 (non-negative, < 2^53) into numbers. */
export function int64Values(bytes: Uint8Array, n: number): Float64Array {
  const w = new Uint32Array(bytes.buffer, bytes.byteOffset, 2 * n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = w[2 * i] + w[2 * i + 1] * 4294967296;
  return out;
}

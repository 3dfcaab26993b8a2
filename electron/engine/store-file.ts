// One file of a store, read either through a memory mapping ('mapped') or positional reads into
// buffers this process owns ('paged': what runs inside Electron, whose V8 memory cage forbids
// external buffers). Both give byte ranges; the mapped one without copying.
import * as fs from 'node:fs';
import { PARALLEL_MIN_ITEMS, parallelReader } from './parallel-reads';
import { ReadScratch } from './read-scratch';
import { mmapIo, type MmapIo } from '../store/mmap-io';

export type SourceMode = 'mapped' | 'paged';
export type AccessPattern = 'random' | 'sequential' | 'normal';

export interface StoreFile {
  readonly path: string;
  readonly size: number;
  /**
   * Bytes [pos, pos+len). Mapped: a view of the mapping. Paged: a copy in this file's scratch buffer,
   * valid until the next bytes() call on the same file (or on a file sharing its scratch).
   */
  bytes(pos: number, len: number): Uint8Array;
  /**
   * Mapped files: a zero-copy view of [pos, pos+len) when it lies in the mapping, else null. `keepMapped`:
   * releaseTouched leaves its pages mapped (a strided gather touches one page per element over a long span:
   * re-faulting all of them on every read cost ~100× the warm read, 5 → 485 ms for a 20000-row column).
   */
  mappedBytes?(pos: number, len: number, keepMapped?: boolean): Uint8Array | null;
  /** Copies bytes [pos, pos+out.length) into `out`. */
  readInto(pos: number, out: Uint8Array): void;
  /**
   * Fills `out` with `count` items of out.length / count bytes from pos, pos + step, ... (one read
   * call per item where not mapped).
   */
  readStrided(pos: number, step: number, count: number, out: Uint8Array): void;
  /** Tells the kernel how the mapping will be read (no-op for paged files). */
  advise(pattern: AccessPattern): void;
  /** Starts reading pages [pos, pos+len) in the background (mapped: MADV_WILLNEED; paged: no-op). */
  prefetch(pos: number, len: number): void;
  /**
   * This process is done, for now, with the bytes of the mapping handed out since the last call (what a
   * query or band just read). Mapped: MADV_DONTNEED on their pages, which takes them out of this process's
   * page tables and leaves them in the page cache, read-only so nothing is lost; paged: no-op. Pages only
   * this process maps count as its private memory.
   */
  releaseTouched(): void;
  close(): void;
}

function preadFully(fd: number, out: Uint8Array, pos: number, path: string): void {
  let done = 0;
  while (done < out.length) {
    const n = fs.readSync(fd, out, done, out.length - done, pos + done);
    if (n <= 0) throw new Error(`${path}: unexpected end of file at byte ${pos + done}`);
    done += n;
  }
}

class PagedFile implements StoreFile {
  constructor(readonly path: string, readonly size: number, protected readonly fd: number, readonly scratch: ReadScratch) {}
  bytes(pos: number, len: number): Uint8Array {
    const out = this.scratch.bytes(len);
    this.readInto(pos, out);
    return out;
  }
  readInto(pos: number, out: Uint8Array): void {
    if (pos < 0 || pos + out.length > this.size) throw new Error(`${this.path}: read [${pos}, ${pos + out.length}) outside the file (${this.size} bytes)`);
    if (out.length > 0) preadFully(this.fd, out, pos, this.path);
  }
  readStrided(pos: number, step: number, count: number, out: Uint8Array): void {
    if (count <= 0) return;
    const ib = out.length / count, last = pos + (count - 1) * step + ib;
    if (pos < 0 || last > this.size) throw new Error(`${this.path}: read [${pos}, ${last}) outside the file (${this.size} bytes)`);
    const fd = this.fd;
    if (count >= PARALLEL_MIN_ITEMS && parallelReader()?.read(fd, pos, step, count, out)) return;
    for (let k = 0, at = pos, o = 0; k < count; k++, at += step, o += ib) {
      // Straight to fs.readSync: a short read (only at the end of a file, excluded above) falls back.
      if (fs.readSync(fd, out, o, ib, at) !== ib) preadFully(fd, out.subarray(o, o + ib), at, this.path);
    }
  }
  advise(_pattern: AccessPattern): void {}
  releaseTouched(): void {}
  prefetch(_pos: number, _len: number): void {}
  close(): void { fs.closeSync(this.fd); }
}

/**
 * mmap-io takes sizes and offsets as 32-bit ints, so one mapping covers the file's first 2 GiB at most;
 * bytes beyond that are read positionally (like a paged file).
 */
const MAX_MAP = 2 ** 31 - 2 ** 16;

/**
 * A page fault maps more than the page: Linux maps the cached pages of the aligned 64 KiB window around it
 * (fault-around), and the whole page-cache folio it falls in, which on filesystems with large folios
 * (ext4, xfs) can be up to 2 MiB (measured here: a 50 KiB read left 384 KiB mapped). Released spans are
 * widened to this alignment.
 */
const FAULT_AROUND_BYTES = 2 << 20;

class MappedFile extends PagedFile {
  private mapBuf: Buffer | null = null;
  private mappedView: Uint8Array | null = null;
  /** Span [touchedLo, touchedHi) of the mapping handed out since the last releaseTouched (empty: lo ≥ hi). */
  private touchedLo = Infinity;
  private touchedHi = 0;
  constructor(path: string, size: number, fd: number, scratch: ReadScratch, private readonly io: MmapIo) {
    super(path, size, fd, scratch);
  }
  /** Maps on first use: opening stays cheap (a big external Buffer makes V8 account for it, even collect). */
  private get mapped(): Uint8Array {
    if (!this.mappedView) {
      const len = Math.min(this.size, MAX_MAP);
      this.mapBuf = len > 0 ? this.io.map(len, this.io.PROT_READ, this.io.MAP_SHARED, this.fd, 0, 0) : null;
      this.mappedView = this.mapBuf ? new Uint8Array(this.mapBuf.buffer, this.mapBuf.byteOffset, len) : new Uint8Array(0);
    }
    return this.mappedView;
  }
  private get map(): Buffer | null {
    void this.mapped;
    return this.mapBuf;
  }
  private touch(pos: number, len: number): void {
    if (pos < this.touchedLo) this.touchedLo = pos;
    if (pos + len > this.touchedHi) this.touchedHi = pos + len;
  }
  override bytes(pos: number, len: number): Uint8Array {
    return this.mappedBytes(pos, len) ?? super.bytes(pos, len);
  }
  mappedBytes(pos: number, len: number, keepMapped = false): Uint8Array | null {
    if (pos < 0 || pos + len > this.mapped.length) return null;
    if (!keepMapped) this.touch(pos, len);
    return this.mapped.subarray(pos, pos + len);
  }
  override readInto(pos: number, out: Uint8Array): void {
    // Before the first mapped access (e.g. reading the header at open) a positional read is cheaper.
    const m = this.mappedView;
    if (m && pos >= 0 && pos + out.length <= m.length) { this.touch(pos, out.length); out.set(m.subarray(pos, pos + out.length)); }
    else super.readInto(pos, out);
  }
  override advise(pattern: AccessPattern): void {
    const map = this.map;
    if (!map) return;
    const io = this.io;
    io.advise(map, pattern === 'random' ? io.MADV_RANDOM : pattern === 'sequential' ? io.MADV_SEQUENTIAL : io.MADV_NORMAL);
  }
  override prefetch(pos: number, len: number): void {
    const map = this.map;
    if (!map) return;
    const page = this.io.PAGESIZE;
    const start = Math.floor(pos / page) * page;
    const end = Math.min(this.mapped.length, pos + len);
    if (end <= start) return;
    try { this.io.advise(map, start, end - start, this.io.MADV_WILLNEED); } catch { /* a hint only */ }
  }
  override releaseTouched(): void {
    const map = this.mapBuf, lo = this.touchedLo, hi = this.touchedHi;
    this.touchedLo = Infinity; this.touchedHi = 0;
    if (!map || hi <= lo) return;
    // Out to whole FAULT_AROUND_BYTES windows: a fault maps cached pages around the one it needed.
    // Read-only shared pages re-fault from the page cache when read again.
    const start = Math.floor(lo / FAULT_AROUND_BYTES) * FAULT_AROUND_BYTES;
    const end = Math.min(this.mapped.length, Math.ceil(hi / FAULT_AROUND_BYTES) * FAULT_AROUND_BYTES);
    try { this.io.advise(map, start, end - start, this.io.MADV_DONTNEED); } catch { /* a hint only */ }
  }
  override close(): void {
    // The mapping is released when the Buffer is garbage-collected; the fd can go now.
    super.close();
  }
}

/**
 * Opens a store file in the given mode (mapped falls back to paged where mmap-io is unavailable). Its paged
 * reads go to `scratch`: its own, or one shared with files never read at the same time.
 */
export function openStoreFile(path: string, mode: SourceMode, scratch = new ReadScratch()): StoreFile {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const io = mode === 'mapped' ? mmapIo() : null;
    return io ? new MappedFile(path, size, fd, scratch, io) : new PagedFile(path, size, fd, scratch);
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
}

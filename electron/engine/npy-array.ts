// A `.npy` file of a store seen as a flat array of elements: typed reads of element ranges, single
// elements and strided gathers, through a mapped or paged StoreFile.
import * as fs from 'node:fs';
import { NPY_PREFIX_BYTES, npyHeaderLength, parseNpyHeader, type NpyHeader } from '../store/npy-header';
import { ReadScratch } from './read-scratch';
import { openStoreFile, type AccessPattern, type SourceMode, type StoreFile } from './store-file';

export type ElemKind = 'f4' | 'f8' | 'i1' | 'u1' | 'i2' | 'u2' | 'i4' | 'u4' | 'i8' | 'c8' | 'c16';
export type TypedArray = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

const KIND_OF_DESCR: Record<string, ElemKind> = {
  '<f4': 'f4', '<f8': 'f8', '|i1': 'i1', '|u1': 'u1', '<i1': 'i1', '<u1': 'u1', '<i2': 'i2', '<u2': 'u2',
  '<i4': 'i4', '<u4': 'u4', '<i8': 'i8', '<c8': 'c8', '<c16': 'c16',
};
export const ITEM_BYTES: Record<ElemKind, number> = { f4: 4, f8: 8, i1: 1, u1: 1, i2: 2, u2: 2, i4: 4, u4: 4, i8: 8, c8: 8, c16: 16 };

type Ctor = { new (buf: ArrayBuffer, off: number, len: number): TypedArray; new (len: number): TypedArray; BYTES_PER_ELEMENT: number };
/** Typed array class holding one component (complex: re and im interleaved; i8: read as Uint32 pairs). */
const CTOR: Record<ElemKind, Ctor> = {
  f4: Float32Array, f8: Float64Array, i1: Int8Array, u1: Uint8Array, i2: Int16Array, u2: Uint16Array,
  i4: Int32Array, u4: Uint32Array, i8: Uint32Array, c8: Float32Array, c16: Float64Array,
};
const COMPONENTS: Record<ElemKind, number> = { f4: 1, f8: 1, i1: 1, u1: 1, i2: 1, u2: 1, i4: 1, u4: 1, i8: 2, c8: 2, c16: 2 };

/** A rectangle of a 2-D array: element (r, c) at data[at + (r - r0) * stride + (c - c0)]. */
export interface Band { data: TypedArray; stride: number; at: number }

/**
 * Paged reads: bytes between two wanted pieces up to which one read of both (and of the bytes between)
 * beats a read each (measured here: a read call ~3 µs, copying from the page cache ~11 GB/s).
 */
export const GAP_BYTES = 16 << 10;
/** Target size of one band read (bounds the reused buffers). */
export const BAND_BYTES = 1 << 20;

export class NpyArray {
  readonly kind: ElemKind;
  readonly itemBytes: number;
  readonly length: number;
  private readonly small = new Uint8Array(new ArrayBuffer(16));
  private readonly smallView = new DataView(this.small.buffer);

  /** `scratch` holds packed band reads (the file's paged reads may share it: one is used per read). */
  constructor(readonly file: StoreFile, readonly header: NpyHeader, private readonly scratch = new ReadScratch()) {
    const kind = KIND_OF_DESCR[header.descr];
    if (!kind) throw new Error(`${file.path}: unsupported dtype ${header.descr} for a store file`);
    this.kind = kind;
    this.itemBytes = ITEM_BYTES[kind];
    this.length = header.shape.reduce((a, b) => a * b, 1);
    const need = header.dataOffset + this.length * this.itemBytes;
    if (file.size < need) throw new Error(`${file.path}: file has ${file.size} bytes, its header needs ${need}`);
  }

  get path(): string { return this.file.path; }

  /**
   * Elements [start, end) as a typed array (complex: re/im interleaved; i8: converted to Float64Array).
   * May be a view of the mapping or of the file's scratch buffer: use it before the next read of this array.
   */
  read(start: number, end: number): TypedArray {
    const n = Math.max(0, end - start);
    const ctor = CTOR[this.kind];
    const bytes = this.file.bytes(this.header.dataOffset + start * this.itemBytes, n * this.itemBytes);
    let view: TypedArray;
    if (bytes.byteOffset % ctor.BYTES_PER_ELEMENT === 0) {
      view = new ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, n * COMPONENTS[this.kind]);
    } else {
      const copy = new Uint8Array(bytes.length);
      copy.set(bytes);
      view = new ctor(copy.buffer, 0, n * COMPONENTS[this.kind]);
    }
    if (this.kind === 'i8') return pairsToNumbers(view as Uint32Array, n);
    return view;
  }

  /**
   * Rows [r0, r1), columns [c0, c1) of this array seen as rows of `rowLen` elements, as one typed array:
   * element (r, c) is at `at + (r - r0) * stride + (c - c0)` (complex: that times 2 for re, +1 for im).
   * Mapped: a view. Paged: one read of the whole span when the bytes between the rows' pieces are few
   * (reading them costs less than a read call each), else one read per row into a packed buffer. Both
   * buffers are reused: use the band before the next read of this array (or of one sharing its scratch).
   * Keep bands to ~BAND_BYTES.
   */
  readBand(rowLen: number, r0: number, r1: number, c0: number, c1: number): Band {
    const w = c1 - c0, n = r1 - r0;
    if (n <= 0 || w <= 0) return { data: this.read(0, 0), stride: w, at: 0 };
    const first = r0 * rowLen + c0;
    if (n === 1 || this.file.mappedBytes || (rowLen - w) * this.itemBytes <= GAP_BYTES) {
      return { data: this.read(first, first + (n - 1) * rowLen + w), stride: rowLen, at: 0 };
    }
    const ib = this.itemBytes, need = n * w * ib;
    const buf = this.scratch.bytes(need);
    this.file.readStrided(this.header.dataOffset + first * ib, rowLen * ib, n, buf.subarray(0, need));
    const view = new CTOR[this.kind](buf.buffer as ArrayBuffer, 0, n * w * COMPONENTS[this.kind]);
    return { data: this.kind === 'i8' ? pairsToNumbers(view as Uint32Array, n * w) : view, stride: w, at: 0 };
  }

  /** How many rows of [c0, c1) (rows of `rowLen`) make a band of about BAND_BYTES (at least 1). */
  bandRows(rowLen: number, c0: number, c1: number): number {
    const w = c1 - c0;
    const perRow = (this.file.mappedBytes || (rowLen - w) * this.itemBytes <= GAP_BYTES ? rowLen : w) * this.itemBytes;
    return Math.max(1, Math.floor(BAND_BYTES / Math.max(1, perRow)));
  }

  /** Element i (complex: real part; i8: as a Number). */
  get(i: number): number {
    return this.getParts(i)[0];
  }

  /** Element i as [re, im] (im 0 for real kinds). */
  getParts(i: number): [number, number] {
    const out = this.small.subarray(0, this.itemBytes);
    this.file.readInto(this.header.dataOffset + i * this.itemBytes, out);
    const dv = this.smallView;
    switch (this.kind) {
      case 'f4': return [dv.getFloat32(0, true), 0];
      case 'f8': return [dv.getFloat64(0, true), 0];
      case 'i1': return [dv.getInt8(0), 0];
      case 'u1': return [dv.getUint8(0), 0];
      case 'i2': return [dv.getInt16(0, true), 0];
      case 'u2': return [dv.getUint16(0, true), 0];
      case 'i4': return [dv.getInt32(0, true), 0];
      case 'u4': return [dv.getUint32(0, true), 0];
      case 'i8': return [Number(dv.getBigInt64(0, true)), 0];
      case 'c8': return [dv.getFloat32(0, true), dv.getFloat32(4, true)];
      case 'c16': return [dv.getFloat64(0, true), dv.getFloat64(8, true)];
    }
  }

  /**
   * Elements start, start+stride, ... (count of them) into a fresh typed array (complex interleaved).
   * Mapped: prefetches the pages first (random access, many reads in flight), then copies. Paged: with
   * small strides, reads of ~BAND_BYTES each spanning many elements; else one read per element.
   */
  gather(start: number, stride: number, count: number, prefetch = true): TypedArray {
    const comps = COMPONENTS[this.kind];
    const ctor = CTOR[this.kind];
    const out = new ctor(count * comps);
    if (count === 0) return this.kind === 'i8' ? new Float64Array(0) : out;
    const ib = this.itemBytes;
    const first = this.header.dataOffset + start * ib;
    const span = ((count - 1) * stride + 1) * ib;
    const whole = this.mappedSpan(first, span);
    if (whole && whole.byteOffset % ctor.BYTES_PER_ELEMENT === 0) {
      const view = new ctor(whole.buffer as ArrayBuffer, whole.byteOffset, ((count - 1) * stride + 1) * comps);
      // Warm pages: plain strided copy (a few ms). Cold pages: each fault would wait for one disk read in
      // turn, so once the first elements prove slow, ask for all remaining pages at once (MADV_WILLNEED)
      // and let the device work on them in parallel.
      const probe = Math.min(count, 64);
      const t0 = performance.now();
      copyStrided(view, 0, stride * comps, comps, out, 0, probe);
      if (prefetch && probe < count && performance.now() - t0 > 0.5) {
        for (let q = probe; q < count; q++) this.file.prefetch(first + q * stride * ib, ib);
      }
      copyStrided(view, probe * stride * comps, stride * comps, comps, out, probe, count);
    } else if ((stride - 1) * ib <= GAP_BYTES) {
      const per = Math.max(1, Math.floor(BAND_BYTES / (stride * ib)));
      for (let k0 = 0; k0 < count; k0 += per) {
        const k1 = Math.min(count, k0 + per);
        // A paged file's scratch starts its own buffer, so the view is aligned.
        const bytes = this.file.bytes(first + k0 * stride * ib, ((k1 - k0 - 1) * stride + 1) * ib);
        const view = new ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, ((k1 - k0 - 1) * stride + 1) * comps);
        copyStrided(view, 0, stride * comps, comps, out, k0, k1);
      }
    } else {
      this.file.readStrided(first, stride * ib, count, new Uint8Array(out.buffer, out.byteOffset, count * ib));
    }
    if (this.kind === 'i8') return pairsToNumbers(out as Uint32Array, count);
    return out;
  }

  /** A zero-copy view of [pos, pos+len) when the file is mapped there, else null; its pages stay mapped after the query. */
  private mappedSpan(pos: number, len: number): Uint8Array | null {
    return this.file.mappedBytes ? this.file.mappedBytes(pos, len, true) : null;
  }

  advise(pattern: AccessPattern): void { this.file.advise(pattern); }
  /** This process is done with what it read of this array since the last call (see StoreFile.releaseTouched). */
  releaseTouched(): void { this.file.releaseTouched(); }
  close(): void { this.file.close(); }
}

/** out[k0..k1) (elements of `comps` components) = view[from], view[from + s], ... */
function copyStrided(view: TypedArray, from: number, s: number, comps: number, out: TypedArray, k0: number, k1: number): void {
  if (comps === 1) for (let k = k0, p = from; k < k1; k++, p += s) out[k] = view[p];
  else for (let k = k0, p = from; k < k1; k++, p += s) { out[2 * k] = view[p]; out[2 * k + 1] = view[p + 1]; }
}

function pairsToNumbers(pairs: Uint32Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const lo = pairs[2 * k], hi = pairs[2 * k + 1];
    out[k] = hi >= 0x80000000 ? -((~hi >>> 0) * 4294967296 + (~lo >>> 0) + 1) : hi * 4294967296 + lo;
  }
  return out;
}

/**
 * Opens a `.npy` store file: reads its header only (O(1) in its size). A 2-D Fortran-order file is
 * refused unless `fortranOrder` says the caller expects one (its flat index is then column-major).
 * Its reads are copied into `scratch` where they are not views of a mapping: pass one shared with
 * arrays never read at the same time.
 */
export function openNpyArray(path: string, mode: SourceMode, fortranOrder = false, scratch = new ReadScratch()): NpyArray {
  const file = openStoreFile(path, mode, scratch);
  try {
    const prefix = new Uint8Array(Math.min(NPY_PREFIX_BYTES, file.size));
    file.readInto(0, prefix);
    const { total } = npyHeaderLength(prefix);
    const head = new Uint8Array(Math.min(total, file.size));
    file.readInto(0, head);
    const header = parseNpyHeader(head);
    if (header.shape.length > 1 && header.fortranOrder !== fortranOrder) {
      throw new Error(`${path}: ${header.fortranOrder ? 'Fortran' : 'C'}-order file where the store wants ${fortranOrder ? 'Fortran' : 'C'} order`);
    }
    return new NpyArray(file, header, scratch);
  } catch (e) {
    file.close();
    throw e;
  }
}

export const fileExists = (p: string): boolean => fs.existsSync(p);

// The `.npy` importer: a dense MatrixSource over a NumPy array file of any numeric dtype, byte order,
// memory order (C → row runs, Fortran → column runs) and format version (1.0, 2.0, 3.0).
//
// Shapes: 2-D as is; 1-D (n,) → 1 × n; 0-D → 1 × 1; 3-D and more, and arrays with no elements,
// are refused. Data is read in bounded chunks with positional reads. A file shorter than
// header + elements × itemsize is refused (naming expected and actual bytes); extra bytes after the
// data are ignored, as `numpy.load` does.

import { open, type FileHandle } from 'node:fs/promises';
import { NPY_PREFIX_BYTES, NpyHeaderError, npyHeaderLength, parseNpyHeader, type NpyHeader } from '../../store/npy-header';
import { CancelledError, InputError, type DenseSink, type MatrixSource, type ScanOptions, type SourceHeader } from '../matrix-source';
import { decodeNpyValues } from './decode-npy-values';
import { parseNpyDtype, type NpyDtype } from './npy-dtype';
import { readInto } from '../read-into';

export interface NpyOpenOptions {
  /** Bytes read per positional read (rounded down to whole elements; default 8 MiB). */
  chunkBytes?: number;
}

const DEFAULT_CHUNK = 8 << 20;
/** Source bytes decoded per emitted array (a power of two, so sub-arrays stay aligned). */
const DECODE_BYTES = 64 << 10;

interface Parsed {
  header: SourceHeader;
  npy: NpyHeader;
  dtype: NpyDtype;
  fileSize: number;
}

export async function openNpy(path: string, options: NpyOpenOptions = {}): Promise<MatrixSource> {
  let parsed: Promise<Parsed> | undefined;
  const load = () => (parsed ??= readHeader(path));
  return {
    path,
    async header() { return (await load()).header; },
    async scanDense(sink: DenseSink, scan: ScanOptions = {}) {
      const p = await load();
      await scanNpy(path, p, sink, scan, options.chunkBytes ?? DEFAULT_CHUNK);
    },
  };
}

async function readHeader(path: string): Promise<Parsed> {
  const fh = await open(path, 'r');
  try {
    const fileSize = (await fh.stat()).size;
    const prefix = await readAt(fh, 0, Math.min(NPY_PREFIX_BYTES, fileSize));
    let npy: NpyHeader;
    try {
      const { total } = npyHeaderLength(prefix);
      if (total > fileSize) throw new NpyHeaderError(`truncated .npy header: it declares ${total} bytes, the file has ${fileSize}`);
      npy = parseNpyHeader(await readAt(fh, 0, total));
    } catch (e) {
      if (e instanceof NpyHeaderError) throw new InputError(path, e.message, undefined, 0);
      throw e;
    }
    const dt = parseNpyDtype(npy.descr);
    if ('refusal' in dt) throw new InputError(path, `cannot import: ${dt.refusal}`);
    const dtype = dt.dtype;
    const shapeText = `(${npy.shape.join(', ')}${npy.shape.length === 1 ? ',' : ''})`;
    if (npy.shape.length > 2) {
      throw new InputError(path, `cannot import a ${npy.shape.length}-D array (shape ${shapeText}); only 0-D, 1-D and 2-D arrays are matrices — reshape or slice it first`);
    }
    const [rows, cols] = npy.shape.length === 2 ? npy.shape : npy.shape.length === 1 ? [1, npy.shape[0]] : [1, 1];
    if (rows === 0 || cols === 0) throw new InputError(path, `the array is empty (shape ${shapeText}): nothing to show`);
    const need = rows * cols * dtype.itemsize;
    const have = fileSize - npy.dataOffset;
    if (have < need) {
      throw new InputError(path, `truncated data: shape ${shapeText} of ${npy.descr} needs ${need} bytes after the ${npy.dataOffset}-byte header, the file has ${Math.max(0, have)} (${fileSize} bytes in all, expected ${npy.dataOffset + need})`);
    }
    const header: SourceHeader = {
      rows, cols, kind: 'dense', dtype: dtype.store, symmetry: 'general',
      info: { format: 'npy', npy: { descr: npy.descr, fortranOrder: npy.fortranOrder, shape: npy.shape, version: npy.version } },
    };
    return { header, npy, dtype, fileSize };
  } finally {
    await fh.close();
  }
}

async function scanNpy(path: string, p: Parsed, sink: DenseSink, scan: ScanOptions, chunkBytes: number): Promise<void> {
  const { rows, cols } = p.header;
  const { itemsize } = p.dtype;
  // Fortran order (2-D only) runs down columns; everything else runs along rows.
  const byCol = p.npy.fortranOrder && p.npy.shape.length === 2;
  const inner = byCol ? rows : cols; // length of one run
  const total = rows * cols;
  // One read buffer per scan (large fresh allocations cost page faults); values are decoded into
  // small fresh arrays (at most DECODE_BYTES of source each) that the sink may keep.
  const perDecode = Math.max(1, Math.floor(DECODE_BYTES / itemsize));
  const perChunk = Math.max(1, Math.floor(chunkBytes / itemsize));
  const fh = await open(path, 'r');
  try {
    const bytes = new Uint8Array(Math.min(perChunk, total) * itemsize);
    let done = 0;
    while (done < total) {
      if (scan.signal?.aborted) throw new CancelledError();
      const count = Math.min(perChunk, total - done);
      const at = p.npy.dataOffset + done * itemsize;
      const view = bytes.subarray(0, count * itemsize);
      const bytesRead = await readInto(fh, view, at);
      if (bytesRead < view.length) {
        // The header check saw enough bytes; the file shrank while we read it.
        throw new InputError(path, `file changed while reading: expected ${view.length} bytes at offset ${at}, got ${bytesRead}`);
      }
      for (let k0 = 0; k0 < count; k0 += perDecode) {
        const m = Math.min(perDecode, count - k0);
        const { re, im } = decodeNpyValues(bytes.subarray(k0 * itemsize, (k0 + m) * itemsize), m, p.dtype);
        let k = 0;
        while (k < m) {
          const idx = done + k0 + k;
          const outer = Math.floor(idx / inner), start = idx - outer * inner;
          const len = Math.min(inner - start, m - k);
          const r = re.subarray(k, k + len), i = im?.subarray(k, k + len);
          const ret = byCol ? sink.colRun(outer, start, r, i) : sink.rowRun(outer, start, r, i);
          if (ret) await ret;
          k += len;
        }
      }
      done += count;
      scan.onBytes?.(at + count * itemsize, p.fileSize);
    }
  } finally {
    await fh.close();
  }
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  const got = await readInto(fh, buf, position);
  return got === length ? buf : buf.subarray(0, got);
}

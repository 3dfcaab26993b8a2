// Test helper (not the product's store builder): writes valid stores per shared/store-manifest.ts from
// in-memory matrices — dense or sparse (CSR + CSC, duplicates and explicit zeros allowed), any store
// dtype, pyramid levels computed naively — plus "hollow" stores of any size whose data files are holes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DTYPE_BYTES, isComplex, NPY_DESCR, type PyramidLevel, type StoreDtype, type StoreManifest, type StoreStats } from '../../shared/store-manifest';
import { buildNpyHeader } from '../store/npy-header';

export interface SparseEntries { i: ArrayLike<number>; j: ArrayLike<number>; re: ArrayLike<number>; im?: ArrayLike<number> }

export interface FixtureSpec {
  dtype: StoreDtype;
  rows: number;
  cols: number;
  /** Dense values, row-major (complex: re, im interleaved). */
  dense?: ArrayLike<number>;
  /** Sparse entries in any order (duplicates and explicit zeros kept). */
  sparse?: SparseEntries;
  /** Dense: also write the column-major copy `values-by-column.npy` (Fortran order). */
  columnCopy?: boolean;
  /** Pyramid block sizes (default 2, 4, ... until the level fits in 256×256). */
  levels?: number[];
}

type Ctor = { new (n: number): ArrayLike<number> & { [k: number]: number; buffer: ArrayBufferLike; byteLength: number } };
const CTOR: Record<string, Ctor> = {
  f8: Float64Array, f4: Float32Array, i1: Int8Array, u1: Uint8Array, i2: Int16Array, u2: Uint16Array,
  i4: Int32Array, u4: Uint32Array, c8: Float32Array, c16: Float64Array,
};

/** Writes one `.npy` file of `descr`/`shape` with the given raw bytes (laid out in the order the header says). */
export function writeNpy(file: string, descr: string, shape: number[], bytes: Uint8Array, fortranOrder = false): void {
  const header = buildNpyHeader(descr, shape, fortranOrder);
  const fd = fs.openSync(file, 'w');
  try { fs.writeSync(fd, header); fs.writeSync(fd, bytes); } finally { fs.closeSync(fd); }
}

function typedBytes(dtype: StoreDtype, values: ArrayLike<number>): Uint8Array {
  const a = new CTOR[dtype](values.length);
  for (let k = 0; k < values.length; k++) a[k] = values[k];
  return new Uint8Array(a.buffer, 0, a.byteLength);
}
const i8Bytes = (values: ArrayLike<number>): Uint8Array => {
  const a = new BigInt64Array(values.length);
  for (let k = 0; k < values.length; k++) a[k] = BigInt(values[k]);
  return new Uint8Array(a.buffer);
};
const i4Bytes = (values: ArrayLike<number>): Uint8Array => new Uint8Array(Int32Array.from(values).buffer);

/** Values as the store holds them (rounded to the dtype), then the element value NumPy would see (complex: |z|). */
function storedValue(dtype: StoreDtype, re: number, im: number): number {
  const a = new CTOR[dtype](2);
  a[0] = re; a[1] = im;
  if (dtype === 'c8') return Math.fround(Math.sqrt(a[0] * a[0] + a[1] * a[1]));
  if (dtype === 'c16') return Math.hypot(a[0], a[1]);
  return a[0];
}

function defaultLevels(rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let b = 2; ; b *= 2) {
    out.push(b);
    if (Math.ceil(rows / b) <= 256 && Math.ceil(cols / b) <= 256) return out;
  }
}

function computeStats(values: Float64Array): StoreStats {
  let finite = 0, nan = 0, posinf = 0, neginf = 0, zeros = 0, min = Infinity, max = -Infinity, sum = 0;
  for (const v of values) {
    if (Number.isFinite(v)) { finite++; sum += v; if (v < min) min = v; if (v > max) max = v; if (v === 0) zeros++; }
    else if (Number.isNaN(v)) nan++; else if (v > 0) posinf++; else neginf++;
  }
  const mean = finite ? sum / finite : null;
  let m2 = 0;
  if (mean !== null) for (const v of values) if (Number.isFinite(v)) m2 += (v - mean) ** 2;
  return { min: finite ? min : null, max: finite ? max : null, mean, std: finite ? Math.sqrt(m2 / finite) : null, finite, nan, posinf, neginf, zeros };
}

/** Writes `dir/NAME.mxstore` for the spec; returns the store path and manifest. */
export function writeFixtureStore(dir: string, name: string, spec: FixtureSpec): { storePath: string; manifest: StoreManifest } {
  const { dtype, rows, cols } = spec;
  const cx = isComplex(dtype);
  const storePath = path.join(dir, `${name}.mxstore`);
  fs.mkdirSync(path.join(storePath, 'pyramid'), { recursive: true });
  const files: StoreManifest['files'] = {};
  const descr = NPY_DESCR[dtype];
  // Element values (complex: modulus) of the whole matrix, and the stored entries for the pyramid.
  const elements = new Float64Array(rows * cols);
  const entries: { i: number; j: number; v: number }[] = [];
  let nnz = 0;
  if (spec.dense) {
    const n = rows * cols;
    for (let k = 0; k < n; k++) {
      const v = cx ? storedValue(dtype, spec.dense[2 * k], spec.dense[2 * k + 1]) : storedValue(dtype, spec.dense[k], 0);
      elements[k] = v;
      entries.push({ i: Math.floor(k / cols), j: k % cols, v });
      if (v !== 0) nnz++;
    }
    writeNpy(path.join(storePath, 'values.npy'), descr, [rows, cols], typedBytes(dtype, spec.dense));
    files.values = 'values.npy';
    if (spec.columnCopy) {
      const w = cx ? 2 : 1, byCol = new Array<number>(n * w);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) for (let t = 0; t < w; t++) byCol[(j * rows + i) * w + t] = spec.dense[(i * cols + j) * w + t];
      writeNpy(path.join(storePath, 'values-by-column.npy'), descr, [rows, cols], typedBytes(dtype, byCol), true);
      files.valuesByColumn = 'values-by-column.npy';
    }
  } else {
    const sp = spec.sparse!;
    const n = sp.i.length;
    nnz = n;
    const order = Array.from({ length: n }, (_, k) => k);
    const byRow = order.slice().sort((a, b) => sp.i[a] - sp.i[b] || sp.j[a] - sp.j[b] || a - b);
    const byCol = order.slice().sort((a, b) => sp.j[a] - sp.j[b] || sp.i[a] - sp.i[b] || a - b);
    const write = (ord: number[], major: ArrayLike<number>, minor: ArrayLike<number>, nMajor: number, prefix: string): void => {
      const ptr = new Array<number>(nMajor + 1).fill(0);
      for (const k of ord) ptr[major[k] + 1]++;
      for (let r = 0; r < nMajor; r++) ptr[r + 1] += ptr[r];
      const vals: number[] = [];
      for (const k of ord) { vals.push(sp.re[k]); if (cx) vals.push(sp.im ? sp.im[k] : 0); }
      writeNpy(path.join(storePath, `${prefix}indptr.npy`), '<i8', [nMajor + 1], i8Bytes(ptr));
      writeNpy(path.join(storePath, `${prefix}indices.npy`), '<i4', [n], i4Bytes(ord.map(k => minor[k])));
      writeNpy(path.join(storePath, `${prefix}data.npy`), descr, [n], typedBytes(dtype, vals));
    };
    write(byRow, sp.i, sp.j, rows, '');
    write(byCol, sp.j, sp.i, cols, 'csc_');
    Object.assign(files, { indptr: 'indptr.npy', indices: 'indices.npy', data: 'data.npy', cscIndptr: 'csc_indptr.npy', cscIndices: 'csc_indices.npy', cscData: 'csc_data.npy' });
    // Element values: duplicates summed (in the stored dtype's parts, then modulus).
    const re = new Float64Array(rows * cols), im = new Float64Array(rows * cols);
    for (let k = 0; k < n; k++) {
      const a = new CTOR[dtype](2);
      a[0] = sp.re[k]; a[1] = sp.im ? sp.im[k] : 0;
      re[sp.i[k] * cols + sp.j[k]] += a[0]; im[sp.i[k] * cols + sp.j[k]] += cx ? a[1] : 0;
      entries.push({ i: sp.i[k], j: sp.j[k], v: storedValue(dtype, sp.re[k], sp.im ? sp.im[k] : 0) });
    }
    for (let k = 0; k < rows * cols; k++) elements[k] = cx ? Math.hypot(re[k], im[k]) : re[k];
  }
  const pyramid: PyramidLevel[] = [];
  for (const block of spec.levels ?? defaultLevels(rows, cols)) {
    const lr = Math.ceil(rows / block), lc = Math.ceil(cols / block);
    const mn = new Float32Array(lr * lc).fill(NaN), mx = new Float32Array(lr * lc).fill(NaN);
    const sum = new Float64Array(lr * lc), cnt = new Uint32Array(lr * lc);
    for (const e of entries) {
      if (!Number.isFinite(e.v)) continue;
      const c = Math.floor(e.i / block) * lc + Math.floor(e.j / block);
      if (cnt[c] === 0 || e.v < mn[c]) mn[c] = e.v;
      if (cnt[c] === 0 || e.v > mx[c]) mx[c] = e.v;
      sum[c] += e.v; cnt[c]++;
    }
    const sum32 = new Float32Array(lr * lc);
    for (let c = 0; c < lr * lc; c++) sum32[c] = cnt[c] ? sum[c] : NaN;
    const level = Math.log2(block);
    const f = { min: `pyramid/L${level}_min.npy`, max: `pyramid/L${level}_max.npy`, sum: `pyramid/L${level}_sum.npy`, count: `pyramid/L${level}_count.npy` };
    writeNpy(path.join(storePath, f.min), '<f4', [lr, lc], new Uint8Array(mn.buffer));
    writeNpy(path.join(storePath, f.max), '<f4', [lr, lc], new Uint8Array(mx.buffer));
    writeNpy(path.join(storePath, f.sum), '<f4', [lr, lc], new Uint8Array(sum32.buffer));
    writeNpy(path.join(storePath, f.count), '<u4', [lr, lc], new Uint8Array(cnt.buffer));
    pyramid.push({ level, block, rows: lr, cols: lc, files: f });
  }
  const manifest = finishManifest(storePath, spec, files, pyramid, computeStats(elements), nnz);
  return { storePath, manifest };
}

function finishManifest(storePath: string, spec: { dtype: StoreDtype; rows: number; cols: number; sparse?: unknown },
  files: StoreManifest['files'], pyramid: PyramidLevel[], stats: StoreStats, nnz: number): StoreManifest {
  const sizes: Record<string, number> = {};
  for (const rel of [...Object.values(files), ...pyramid.flatMap(l => Object.values(l.files))]) {
    if (rel) sizes[rel] = fs.statSync(path.join(storePath, rel)).size;
  }
  const manifest: StoreManifest = {
    format: 'matrix-explorer-store', version: 1,
    source: { path: path.join(storePath, 'fixture.npy'), size: 0, mtimeMs: 0, sample: 'fixture', format: 'npy' },
    shape: [spec.rows, spec.cols], kind: spec.sparse ? 'sparse' : 'dense', dtype: spec.dtype, nnz, stats, files, sizes,
    pyramid, createdAt: new Date().toISOString(), convertSeconds: 0,
  };
  fs.writeFileSync(path.join(storePath, 'manifest.json'), JSON.stringify(manifest, null, 1));
  return manifest;
}

/**
 * A sparse store of the given size whose data files are holes (written instantly; every row empty
 * but `nnz` entries claimed): for checking that opening reads no data.
 */
export function writeHollowSparseStore(dir: string, name: string, rows: number, cols: number, nnz: number): string {
  const storePath = path.join(dir, `${name}.mxstore`);
  fs.mkdirSync(storePath, { recursive: true });
  const hollow = (rel: string, descr: string, n: number, item: number): void => {
    const header = buildNpyHeader(descr, [n]);
    const file = path.join(storePath, rel);
    fs.writeFileSync(file, header);
    fs.truncateSync(file, header.length + n * item);
  };
  hollow('indptr.npy', '<i8', rows + 1, 8); hollow('indices.npy', '<i4', nnz, 4); hollow('data.npy', '<f8', nnz, DTYPE_BYTES.f8);
  hollow('csc_indptr.npy', '<i8', cols + 1, 8); hollow('csc_indices.npy', '<i4', nnz, 4); hollow('csc_data.npy', '<f8', nnz, DTYPE_BYTES.f8);
  const files = { indptr: 'indptr.npy', indices: 'indices.npy', data: 'data.npy', cscIndptr: 'csc_indptr.npy', cscIndices: 'csc_indices.npy', cscData: 'csc_data.npy' };
  finishManifest(storePath, { dtype: 'f8', rows, cols, sparse: true }, files, [],
    { min: 0, max: 0, mean: 0, std: 0, finite: rows * cols, nan: 0, posinf: 0, neginf: 0, zeros: rows * cols }, nnz);
  return storePath;
}

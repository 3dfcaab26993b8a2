// Opens a store's manifest and checks the store is whole: every file it lists exists with its exact
// size and a .npy header of the right dtype and shape. O(1) in the store's size (headers only).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NPY_DESCR, STORE_FORMAT, STORE_VERSION, type StoreManifest } from '../../shared/store-manifest';
import { NPY_PREFIX_BYTES, npyHeaderLength, parseNpyHeader } from './npy-header';

export class StoreCorruptError extends Error {
  readonly code = 'store-corrupt';
}

export const MANIFEST_NAME = 'manifest.json';

/** True when `dir` is a directory holding a manifest.json (it may still be damaged). */
export function looksLikeStore(dir: string): boolean {
  try { return fs.statSync(dir).isDirectory() && fs.existsSync(path.join(dir, MANIFEST_NAME)); } catch { return false; }
}

interface Expected { descr: string; shape: number[]; fortranOrder?: boolean }

/** Index dtype for positions along an axis of length n (scipy's rule: int32 unless it does not fit). */
export const indexDescr = (n: number) => (n > 2 ** 31 - 1 ? '<i8' : '<i4');

/** What each listed file must hold, from the manifest alone. */
export function expectedFiles(m: StoreManifest): Map<string, Expected> {
  const out = new Map<string, Expected>();
  const [rows, cols] = m.shape;
  const d = NPY_DESCR[m.dtype];
  const f = m.files;
  if (m.kind === 'dense') {
    if (!f.values) throw new Error('a dense store lists no values file');
    out.set(f.values, { descr: d, shape: [rows, cols] });
    if (f.valuesByColumn) out.set(f.valuesByColumn, { descr: d, shape: [rows, cols], fortranOrder: true });
  } else {
    const need = ['indptr', 'indices', 'data', 'cscIndptr', 'cscIndices', 'cscData'] as const;
    for (const k of need) if (!f[k]) throw new Error(`a sparse store lists no ${k} file`);
    out.set(f.indptr!, { descr: '<i8', shape: [rows + 1] });
    out.set(f.indices!, { descr: indexDescr(cols), shape: [m.nnz] });
    out.set(f.data!, { descr: d, shape: [m.nnz] });
    out.set(f.cscIndptr!, { descr: '<i8', shape: [cols + 1] });
    out.set(f.cscIndices!, { descr: indexDescr(rows), shape: [m.nnz] });
    out.set(f.cscData!, { descr: d, shape: [m.nnz] });
  }
  for (const L of m.pyramid) {
    for (const agg of ['min', 'max', 'sum', 'count'] as const) {
      out.set(L.files[agg], { descr: agg === 'count' ? '<u4' : '<f4', shape: [L.rows, L.cols] });
    }
  }
  return out;
}

const itemSize = (descr: string) => Number(/(\d+)$/.exec(descr)?.[1] ?? NaN);

/** Reads and verifies `manifest.json` and the files it lists (sizes, .npy headers). Throws StoreCorruptError. */
export async function readStoreManifest(storePath: string): Promise<StoreManifest> {
  const dir = path.resolve(storePath);
  const damaged = (detail: string) => new StoreCorruptError(`store ${dir} is damaged: ${detail}; delete it and convert again`);
  if (!fs.statSync(dir).isDirectory()) throw new StoreCorruptError(`${dir} is not a store directory`);
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, MANIFEST_NAME), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new StoreCorruptError(`${dir} is not a store: it has no ${MANIFEST_NAME}`);
    throw e;
  }
  let m: StoreManifest;
  try { m = JSON.parse(text); } catch { throw damaged(`${MANIFEST_NAME} is not valid JSON`); }
  if (!m || typeof m !== 'object' || m.format !== STORE_FORMAT) throw damaged(`${MANIFEST_NAME} is not a matrix-explorer store manifest`);
  if (m.version !== STORE_VERSION) {
    throw new StoreCorruptError(`store ${dir} has format version ${m.version}, this program reads version ${STORE_VERSION}; convert the source again`);
  }
  const okShape = Array.isArray(m.shape) && m.shape.length === 2 && m.shape.every(n => Number.isSafeInteger(n) && n >= 0);
  if (!okShape || !(m.dtype in NPY_DESCR) || (m.kind !== 'dense' && m.kind !== 'sparse') || !Number.isSafeInteger(m.nnz)
    || !m.files || !m.sizes || !Array.isArray(m.pyramid) || !m.source || !m.stats) {
    throw damaged(`${MANIFEST_NAME} is missing fields or has invalid ones`);
  }
  let expected: Map<string, Expected>;
  try { expected = expectedFiles(m); } catch (e) { throw damaged((e as Error).message); }
  const prefix = Buffer.alloc(NPY_PREFIX_BYTES);
  for (const [rel, exp] of expected) {
    const want = m.sizes[rel];
    if (typeof want !== 'number') throw damaged(`${MANIFEST_NAME} gives no size for ${rel}`);
    const file = path.join(dir, rel);
    let fd: number;
    try { fd = fs.openSync(file, 'r'); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw damaged(`${rel} is missing`);
      throw e;
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size !== want) throw damaged(`${rel} is ${size} bytes, expected ${want}`);
      const got = fs.readSync(fd, prefix, 0, NPY_PREFIX_BYTES, 0);
      let header;
      try {
        const { total } = npyHeaderLength(prefix.subarray(0, got));
        const buf = Buffer.alloc(Math.min(total, size));
        fs.readSync(fd, buf, 0, buf.length, 0);
        header = parseNpyHeader(buf);
      } catch (e) { throw damaged(`${rel} has a bad .npy header (${(e as Error).message})`); }
      const shapeOk = header.shape.length === exp.shape.length && header.shape.every((n, i) => n === exp.shape[i]);
      const order = (fortran: boolean | undefined) => (fortran ? ' (Fortran order)' : '');
      if (header.descr !== exp.descr || header.fortranOrder !== Boolean(exp.fortranOrder) || !shapeOk) {
        throw damaged(`${rel} holds ${header.descr} ${JSON.stringify(header.shape)}${order(header.fortranOrder)}, expected ${exp.descr} ${JSON.stringify(exp.shape)}${order(exp.fortranOrder)}`);
      }
      const dataBytes = exp.shape.reduce((a, b) => a * b, 1) * itemSize(exp.descr);
      if (header.dataOffset + dataBytes !== size) throw damaged(`${rel} is ${size} bytes, its header says ${header.dataOffset + dataBytes}`);
    } finally {
      fs.closeSync(fd);
    }
  }
  return m;
}

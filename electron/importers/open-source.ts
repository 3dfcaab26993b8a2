// Picks the importer for a file by its extension and first bytes.
//
// The first bytes win: `\x93NUMPY` is a .npy file and `%%MatrixMarket` (any case) a Matrix Market
// file whatever the name says. Otherwise: .mtx/.mm → Matrix Market (its importer reports a missing
// banner), .npy → refused (no magic), .csv/.tsv/.txt/.tab/.dat → CSV; any other name → CSV when the
// head looks like delimited numbers, else refused. Gzip/zip/.npz are named as such in the refusal.

import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { openCsv } from './csv/csv-source';
import { looksLikeDelimitedNumbers } from './csv/looks-like-csv';
import { InputError, type MatrixSource } from './matrix-source';
import { openMtx } from './mtx/mtx-source';
import { openNpy } from './npy/npy-source';

const HEAD_BYTES = 64 << 10;
const CSV_EXTENSIONS = new Set(['.csv', '.tsv', '.txt', '.tab', '.dat']);

export async function openSource(path: string): Promise<MatrixSource> {
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) {
      throw new InputError(path, path.endsWith('.mxstore') ? 'is a store directory, not a source file (open it as a store)' : 'is a directory, not a matrix file');
    }
    if (!st.isFile()) throw new InputError(path, 'is not a regular file');
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputError(path, 'no such file');
    if (code === 'EACCES' || code === 'EPERM') throw new InputError(path, 'permission denied');
    throw e;
  }
  const head = await readHead(path, Math.min(size, HEAD_BYTES));
  const ext = extname(path).toLowerCase();
  const kind = sniffKind(head);
  if (kind === 'npy') return openNpy(path);
  if (kind === 'mtx') return openMtx(path);
  if (ext === '.mtx' || ext === '.mm') return openMtx(path);
  if (size === 0) throw new InputError(path, 'empty file');
  const startsWith = `(starts with ${describeBytes(head.subarray(0, 16))})`;
  if (kind === 'gzip') throw new InputError(path, `gzip-compressed ${startsWith}; decompress it first (gunzip)`);
  if (kind === 'zip') throw new InputError(path, `a zip archive${ext === '.npz' ? ' (NumPy .npz)' : ''} ${startsWith}; extract the .npy/.mtx/.csv file first`);
  if (ext === '.npy') throw new InputError(path, `not a NumPy .npy file: the magic string \\x93NUMPY is missing ${startsWith}`);
  if (CSV_EXTENSIONS.has(ext)) return openCsv(path);
  if (looksLikeDelimitedNumbers(head, size <= head.length)) return openCsv(path);
  throw new InputError(path, `not a Matrix Market, NumPy or CSV file ${startsWith}`);
}

type Kind = 'npy' | 'mtx' | 'gzip' | 'zip' | 'other';

export function sniffKind(head: Uint8Array): Kind {
  if (head[0] === 0x93 && ascii(head, 1, 6) === 'NUMPY') return 'npy';
  if (ascii(head, 0, 14).toLowerCase() === '%%matrixmarket') return 'mtx';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  return 'other';
}

function ascii(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.subarray(from, Math.min(to, b.length))).toString('latin1');
}

/** Bytes shown in a message: printable ASCII as is, the rest as \xNN. */
export function describeBytes(b: Uint8Array): string {
  let s = '';
  for (const c of b) {
    if (c === 10) s += '\\n';
    else if (c === 13) s += '\\r';
    else if (c === 9) s += '\\t';
    else if (c >= 32 && c < 127 && c !== 34 && c !== 92) s += String.fromCharCode(c);
    else s += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return `"${s}"`;
}

async function readHead(path: string, n: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const { bytesRead } = await fh.read(buf, got, n - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

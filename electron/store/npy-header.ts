// The `.npy` header: parse any version (1.0, 2.0, 3.0) and write version 1.0/2.0 headers that
// `numpy.load(path, mmap_mode='r')` accepts. Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html

export interface NpyHeader {
  /** e.g. '<f8', '>i4', '|u1', or a structured descr rendered as text */
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** '1.0' | '2.0' | '3.0' */
  version: string;
  /** Byte offset of the data (header length included, a multiple of 64 for headers we write). */
  dataOffset: number;
}

export class NpyHeaderError extends Error {}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Bytes needed to read any header we may meet: read this much (or the whole file if smaller) first. */
export const NPY_PREFIX_BYTES = 12;

/** Header length from the first 12 bytes; returns the total bytes (prefix + dict) to read. */
export function npyHeaderLength(prefix: Uint8Array): { version: string; total: number } {
  if (prefix.length < 10 || MAGIC.some((b, i) => prefix[i] !== b)) {
    throw new NpyHeaderError('not a NumPy .npy file (magic string \\x93NUMPY missing)');
  }
  const major = prefix[6], minor = prefix[7];
  const dv = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  if (major === 1) return { version: `1.${minor}`, total: 10 + dv.getUint16(8, true) };
  if (major === 2 || major === 3) {
    if (prefix.length < 12) throw new NpyHeaderError('truncated .npy header');
    return { version: `${major}.${minor}`, total: 12 + dv.getUint32(8, true) };
  }
  throw new NpyHeaderError(`unsupported .npy format version ${major}.${minor}`);
}

/** Parse the header from a buffer holding at least `npyHeaderLength(...).total` bytes. */
export function parseNpyHeader(buf: Uint8Array): NpyHeader {
  const { version, total } = npyHeaderLength(buf);
  if (buf.length < total) throw new NpyHeaderError(`truncated .npy header: needs ${total} bytes, file has ${buf.length}`);
  const start = version.startsWith('1.') ? 10 : 12;
  const text = new TextDecoder(version.startsWith('3.') ? 'utf-8' : 'latin1').decode(buf.subarray(start, total));
  return { ...parseHeaderDict(text), version, dataOffset: total };
}

/** Parse the Python dict literal: {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), } */
export function parseHeaderDict(text: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const t = text.trim();
  const descrSimple = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(t);
  const descrList = /['"]descr['"]\s*:\s*(\[.*\])\s*,\s*['"](?:fortran_order|shape)['"]/s.exec(t);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(t);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(t);
  if (!(descrSimple || descrList) || !fortran || !shape) {
    throw new NpyHeaderError(`malformed .npy header dictionary: ${JSON.stringify(t.slice(0, 200))}`);
  }
  const dims = shape[1].split(',').map(s => s.trim()).filter(s => s.length > 0).map(s => {
    const m = /^(\d+)L?$/.exec(s); // Python 2 wrote longs as 3L
    if (!m) throw new NpyHeaderError(`malformed shape entry ${JSON.stringify(s)} in .npy header`);
    return Number(m[1]);
  });
  return { descr: descrList ? descrList[1] : descrSimple![1], fortranOrder: fortran[1] === 'True', shape: dims };
}

/**
 * Build a header (magic, version, dict, padding, newline) whose length is a multiple of 64, so the
 * data that follows is aligned for any dtype. Uses version 1.0 unless the dict needs more than 65535 bytes.
 */
export function buildNpyHeader(descr: string, shape: number[], fortranOrder = false): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  for (const major of [1, 2]) {
    const pre = major === 1 ? 10 : 12;
    const unpadded = pre + dict.length + 1; // + '\n'
    const total = Math.ceil(unpadded / 64) * 64;
    const dictLen = total - pre;
    if (major === 1 && dictLen > 0xffff) continue;
    const out = new Uint8Array(total);
    out.set(MAGIC, 0);
    out[6] = major; out[7] = 0;
    const dv = new DataView(out.buffer);
    if (major === 1) dv.setUint16(8, dictLen, true); else dv.setUint32(8, dictLen, true);
    const body = dict + ' '.repeat(total - unpadded) + '\n';
    for (let i = 0; i < body.length; i++) out[pre + i] = body.charCodeAt(i);
    return out;
  }
  throw new NpyHeaderError('header too long');
}

// What an `.npy` descr means for us: which numeric type, how many bytes, which byte order, and which
// store dtype it becomes — or why it is refused (objects, strings, structured records, datetimes).
//
// Store dtype mapping: the same type where the store has it; bool (b1) → u1 (0/1); float16 (f2) → f4
// (exact: every half is a float); int64/uint64 (i8/u8) → f8, which is exact up to 2^53 in magnitude and
// rounds larger values to the nearest double (the same as numpy's `astype(np.float64)`).

import type { StoreDtype } from '../../../shared/store-manifest';

export type NpyKind = 'b' | 'i' | 'u' | 'f' | 'c';

export interface NpyDtype {
  /** The descr as written in the file. */
  descr: string;
  kind: NpyKind;
  /** Bytes per element (complex: both parts). */
  itemsize: number;
  /** True when the stored bytes are big-endian (and the element is wider than one byte). */
  bigEndian: boolean;
  store: StoreDtype;
  complex: boolean;
}

/** `{ dtype }` for a numeric descr, `{ refusal }` with a readable reason otherwise. */
export function parseNpyDtype(descr: string): { dtype: NpyDtype } | { refusal: string } {
  const d = descr.trim();
  if (d.startsWith('[') || d.startsWith('(')) {
    return { refusal: `structured dtype ${shorten(d)} (records with named fields), not a numeric matrix` };
  }
  const m = /^([<>|=]?)([a-zA-Z?])(\d*)(\[.*\])?$/.exec(d);
  if (!m) return { refusal: `unrecognised dtype ${JSON.stringify(shorten(d))}` };
  const [, order, code, sizeText] = m;
  const size = sizeText === '' ? NaN : Number(sizeText);
  switch (code) {
    case 'O': return { refusal: `object array (dtype ${d}): it holds pickled Python objects, not numbers` };
    case 'U': return { refusal: `string array (dtype ${d}, unicode text), not a numeric matrix` };
    case 'S': case 'a': return { refusal: `byte-string array (dtype ${d}), not a numeric matrix` };
    case 'V': return { refusal: `void/structured array (dtype ${d}), not a numeric matrix` };
    case 'M': return { refusal: `datetime array (dtype ${d}), not a numeric matrix` };
    case 'm': return { refusal: `timedelta array (dtype ${d}), not a numeric matrix` };
  }
  const bigEndian = order === '>' && size > 1;
  const ok = (kind: NpyKind, store: StoreDtype): { dtype: NpyDtype } =>
    ({ dtype: { descr: d, kind, itemsize: size, bigEndian, store, complex: kind === 'c' } });
  const key = `${code}${sizeText}`;
  switch (key) {
    case 'b1': case '?1': return ok('b', 'u1');
    case 'i1': return ok('i', 'i1');
    case 'u1': return ok('u', 'u1');
    case 'i2': return ok('i', 'i2');
    case 'u2': return ok('u', 'u2');
    case 'i4': return ok('i', 'i4');
    case 'u4': return ok('u', 'u4');
    case 'i8': return ok('i', 'f8');
    case 'u8': return ok('u', 'f8');
    case 'f2': return ok('f', 'f4');
    case 'f4': return ok('f', 'f4');
    case 'f8': return ok('f', 'f8');
    case 'c8': return ok('c', 'c8');
    case 'c16': return ok('c', 'c16');
  }
  if (code === 'f' || code === 'c') {
    return { refusal: `${code === 'f' ? 'float' : 'complex'} type of ${size * 8} bits (dtype ${d}) is not supported; convert it to float64/complex128 first (arr.astype(np.${code === 'f' ? 'float64' : 'complex128'}))` };
  }
  return { refusal: `unsupported dtype ${JSON.stringify(d)}` };
}

function shorten(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

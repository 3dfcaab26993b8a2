// Turns raw `.npy` element bytes of any numeric dtype into Float64Array values (plus imaginary parts
// for complex), handling big-endian data by swapping bytes in place.

import type { NpyDtype } from './npy-dtype';

export interface DecodedValues {
  re: Float64Array;
  im?: Float64Array;
}

/**
 * Decode `count` elements from `bytes` (which must start at an offset aligned to 8 bytes in its
 * buffer). The bytes may be modified (byte-swapped); the returned arrays are fresh copies.
 */
export function decodeNpyValues(bytes: Uint8Array, count: number, dtype: NpyDtype): DecodedValues {
  if (bytes.byteOffset % 8 !== 0) throw new Error('decodeNpyValues: bytes must be 8-byte aligned');
  const width = dtype.complex ? dtype.itemsize / 2 : dtype.itemsize;
  const n = dtype.complex ? count * 2 : count;
  if (dtype.bigEndian && width > 1) swapBytes(bytes, width, n);
  const buf = bytes.buffer, off = bytes.byteOffset;
  switch (dtype.kind) {
    case 'b': {
      const re = new Float64Array(count);
      for (let i = 0; i < count; i++) re[i] = bytes[i] !== 0 ? 1 : 0;
      return { re };
    }
    case 'i': case 'u': {
      if (width === 8) return { re: int64ToDouble(new Uint32Array(buf, off, count * 2), count, dtype.kind === 'i') };
      const view = dtype.kind === 'i'
        ? (width === 1 ? new Int8Array(buf, off, count) : width === 2 ? new Int16Array(buf, off, count) : new Int32Array(buf, off, count))
        : (width === 1 ? new Uint8Array(buf, off, count) : width === 2 ? new Uint16Array(buf, off, count) : new Uint32Array(buf, off, count));
      const re = new Float64Array(count);
      re.set(view);
      return { re };
    }
    case 'f': {
      const re = new Float64Array(count);
      if (width === 8) re.set(new Float64Array(buf, off, count));
      else if (width === 4) re.set(new Float32Array(buf, off, count));
      else {
        const table = halfTable();
        const h = new Uint16Array(buf, off, count);
        for (let i = 0; i < count; i++) re[i] = table[h[i]];
      }
      return { re };
    }
    case 'c': {
      const src = width === 8 ? new Float64Array(buf, off, count * 2) : new Float32Array(buf, off, count * 2);
      const re = new Float64Array(count), im = new Float64Array(count);
      for (let i = 0, j = 0; i < count; i++, j += 2) { re[i] = src[j]; im[i] = src[j + 1]; }
      return { re, im };
    }
  }
}

/** Reverse the bytes of each of `n` words of `width` bytes, in place. */
export function swapBytes(bytes: Uint8Array, width: number, n: number): void {
  for (let w = 0, p = 0; w < n; w++, p += width) {
    for (let a = p, b = p + width - 1; a < b; a++, b--) { const t = bytes[a]; bytes[a] = bytes[b]; bytes[b] = t; }
  }
}

/** Little-endian 64-bit integers (as pairs of 32-bit words) to the nearest doubles. */
function int64ToDouble(words: Uint32Array, count: number, signed: boolean): Float64Array {
  const re = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const lo = words[2 * i], hiU = words[2 * i + 1];
    const hi = signed ? hiU | 0 : hiU;
    // hi * 2^32 is exact; the single addition rounds to nearest-even like Number(BigInt) and numpy.
    re[i] = hi * 4294967296 + lo;
  }
  return re;
}

let half: Float64Array | undefined;
/** Value of every IEEE half-precision bit pattern. */
function halfTable(): Float64Array {
  if (half) return half;
  half = new Float64Array(65536);
  for (let b = 0; b < 65536; b++) {
    const sign = b & 0x8000 ? -1 : 1, exp = (b >> 10) & 0x1f, frac = b & 0x3ff;
    half[b] = exp === 0 ? sign * frac * 2 ** -24
      : exp === 31 ? (frac ? NaN : sign * Infinity)
        : sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return half;
}

// Converts between JS numbers (Float64Array real/imaginary parts) and a store dtype's little-endian
// bytes: f4 rounds like Math.fround, integers convert exactly (within range), complex is interleaved re, im.
import { DTYPE_BYTES, isComplex, type StoreDtype } from '../../shared/store-manifest';

type RealArray = Float64Array | Float32Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
type RealCtor = { new (n: number): RealArray; new (buf: ArrayBufferLike, off: number, len: number): RealArray };

const REAL_CTOR: Record<StoreDtype, RealCtor> = {
  f8: Float64Array, f4: Float32Array, i1: Int8Array, u1: Uint8Array, i2: Int16Array, u2: Uint16Array,
  i4: Int32Array, u4: Uint32Array, c8: Float32Array, c16: Float64Array,
};

/** Encodes n = re.length values (and imaginary parts for complex dtypes) as the dtype's bytes. */
export function encodeValues(dtype: StoreDtype, re: Float64Array, im?: Float64Array): Uint8Array {
  const n = re.length;
  const Ctor = REAL_CTOR[dtype];
  if (!isComplex(dtype)) {
    const out = new Ctor(n);
    out.set(re);
    return new Uint8Array(out.buffer, 0, out.byteLength);
  }
  const out = new Ctor(2 * n);
  for (let i = 0; i < n; i++) { out[2 * i] = re[i]; out[2 * i + 1] = im ? im[i] : 0; }
  return new Uint8Array(out.buffer, 0, out.byteLength);
}

/** A typed view of n elements' bytes (copies when the bytes are not aligned for the type). */
function view(dtype: StoreDtype, bytes: Uint8Array, n: number): RealArray {
  const Ctor = REAL_CTOR[dtype];
  const len = isComplex(dtype) ? 2 * n : n;
  const eb = DTYPE_BYTES[dtype] / (isComplex(dtype) ? 2 : 1);
  if (bytes.byteOffset % eb === 0) return new Ctor(bytes.buffer, bytes.byteOffset, len);
  const copy = new Uint8Array(len * eb);
  copy.set(bytes.subarray(0, len * eb));
  return new Ctor(copy.buffer, 0, len);
}

/** Decodes n elements into real (and imaginary, for complex dtypes) parts. */
export function decodeValues(dtype: StoreDtype, bytes: Uint8Array, n: number): { re: Float64Array; im?: Float64Array } {
  const v = view(dtype, bytes, n);
  if (!isComplex(dtype)) { const re = new Float64Array(n); re.set(v); return { re }; }
  const re = new Float64Array(n), im = new Float64Array(n);
  for (let i = 0; i < n; i++) { re[i] = v[2 * i]; im[i] = v[2 * i + 1]; }
  return { re, im };
}

/** |z| with hypot semantics: an infinite part gives +Infinity even when the other part is NaN. */
export function modulus(re: number, im: number): number {
  if (re === Infinity || re === -Infinity || im === Infinity || im === -Infinity) return Infinity;
  return Math.sqrt(re * re + im * im);
}

/** Magnitudes of n elements as stored: the values themselves (real dtypes) or |z| (complex). Writes into `out` when given. */
export function decodeMagnitudes(dtype: StoreDtype, bytes: Uint8Array, n: number, out?: Float64Array): Float64Array {
  const v = view(dtype, bytes, n);
  const m = out && out.length >= n ? out.subarray(0, n) : new Float64Array(n);
  if (!isComplex(dtype)) { m.set(v); return m; }
  for (let i = 0; i < n; i++) m[i] = modulus(v[2 * i], v[2 * i + 1]);
  return m;
}

/**
 * The element as machine words for raw copies (no NaN canonicalisation): word array type and words
 * per element. 1- and 2-byte dtypes use bytes/halfwords, others 32-bit words.
 */
export function wordLayout(dtype: StoreDtype): { ctor: Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor; width: number } {
  const eb = DTYPE_BYTES[dtype];
  if (eb === 1) return { ctor: Uint8Array, width: 1 };
  if (eb === 2) return { ctor: Uint16Array, width: 1 };
  return { ctor: Uint32Array, width: eb / 4 };
}

/** `len` words of `ctor` over the bytes (which must be aligned for it). */
export function wordsOver(ctor: ReturnType<typeof wordLayout>['ctor'], bytes: Uint8Array, len: number): Uint8Array | Uint16Array | Uint32Array {
  return new ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, len);
}

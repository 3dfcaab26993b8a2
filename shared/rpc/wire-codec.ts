// The binary WebSocket frame format: a JSON header with placeholders, then the typed arrays' bytes.
//
//   bytes 0..3   magic 'MXW1'
//   bytes 4..7   header length H (uint32, little-endian)
//   bytes 8..8+H the message as UTF-8 JSON, where
//                  a typed array / ArrayBuffer  → {"$b": "Float32Array", "o": byteOffset, "n": length}
//                  NaN, ±Infinity, -0           → {"$n": "NaN" | "Infinity" | "-Infinity" | "-0"}
//                  an object that itself has a "$b", "$n" or "$e" key → {"$e": {...}} (escaped)
//   then, from the next multiple of 8, each blob at an 8-aligned offset relative to that point.
//
// Decoded typed arrays are views on the frame when aligned (copies otherwise). Typed arrays are
// little-endian on every platform we run on. (Electron MessagePorts structured-clone; this is for WebSockets.)

const MAGIC = [0x4d, 0x58, 0x57, 0x31];

type TypedArray =
  | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array
  | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

interface TypedArrayCtor { new(buffer: ArrayBufferLike, byteOffset: number, length: number): TypedArray; new(length: number): TypedArray; readonly BYTES_PER_ELEMENT: number }

const KINDS: Record<string, TypedArrayCtor> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
} as unknown as Record<string, TypedArrayCtor>;
const KIND_LIST = Object.entries(KINDS);

interface Utf8 { encode(s: string): Uint8Array }
interface Utf8Decoder { decode(b: Uint8Array): string }
const g = globalThis as unknown as { TextEncoder: new () => Utf8; TextDecoder: new (label?: string, o?: { fatal?: boolean }) => Utf8Decoder };
let encoder: Utf8 | undefined;
let decoder: Utf8Decoder | undefined;

export class WireFormatError extends Error {
  constructor(message: string) { super(`bad message frame: ${message}`); this.name = 'WireFormatError'; }
}

function kindOf(v: ArrayBufferView): string {
  for (const [name, ctor] of KIND_LIST) if (v instanceof (ctor as unknown as Function)) return name;
  throw new TypeError(`cannot encode a ${(v as object).constructor?.name ?? 'view'}`);
}

const align8 = (n: number) => (n + 7) & ~7;

/** Encodes a message (JSON-like values plus typed arrays and ArrayBuffers) into one binary frame. */
export function encodeFrame(message: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  let blobBytes = 0;
  const addBlob = (bytes: Uint8Array): number => {
    const offset = blobBytes;
    blobs.push(bytes);
    blobBytes = align8(blobBytes + bytes.byteLength);
    return offset;
  };
  const seen = new Set<object>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') {
      if (Number.isFinite(v)) return Object.is(v, -0) ? { $n: '-0' } : v;
      return { $n: Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity' };
    }
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'bigint') throw new TypeError('cannot encode a bigint outside a typed array');
      return v;
    }
    if (ArrayBuffer.isView(v)) {
      if (v instanceof DataView) throw new TypeError('cannot encode a DataView');
      const kind = kindOf(v);
      const o = addBlob(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      return { $b: kind, o, n: (v as TypedArray).length };
    }
    if (v instanceof ArrayBuffer) {
      return { $b: 'ArrayBuffer', o: addBlob(new Uint8Array(v)), n: v.byteLength };
    }
    if (seen.has(v)) throw new TypeError('cannot encode a cyclic structure');
    seen.add(v);
    let out: unknown;
    if (Array.isArray(v)) {
      out = v.map(x => (x === undefined || typeof x === 'function' || typeof x === 'symbol' ? null : walk(x)));
    } else {
      const withToJson = v as { toJSON?: () => unknown };
      if (typeof withToJson.toJSON === 'function') out = walk(withToJson.toJSON());
      else {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
          if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
          o[k] = walk(x);
        }
        out = '$b' in o || '$n' in o || '$e' in o ? { $e: o } : o;
      }
    }
    seen.delete(v);
    return out;
  };
  const header = (encoder ??= new g.TextEncoder()).encode(JSON.stringify(walk(message)) ?? 'null');
  const blobStart = align8(8 + header.byteLength);
  const frame = new Uint8Array(blobStart + blobBytes);
  frame.set(MAGIC, 0);
  new DataView(frame.buffer).setUint32(4, header.byteLength, true);
  frame.set(header, 8);
  let at = blobStart;
  for (const b of blobs) { frame.set(b, at); at = blobStart + align8(at - blobStart + b.byteLength); }
  return frame;
}

/** Decodes a frame made by `encodeFrame`. Typed arrays in the result may share the frame's memory. */
export function decodeFrame(frame: ArrayBuffer | ArrayBufferView): unknown {
  const bytes = frame instanceof ArrayBuffer ? new Uint8Array(frame) : new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
  if (bytes.byteLength < 8 || MAGIC.some((m, i) => bytes[i] !== m)) throw new WireFormatError('missing magic');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true);
  if (8 + headerLength > bytes.byteLength) throw new WireFormatError('header runs past the end');
  let json: unknown;
  try {
    json = JSON.parse((decoder ??= new g.TextDecoder('utf-8', { fatal: true })).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    throw new WireFormatError(`header is not JSON (${(e as Error).message})`);
  }
  const blobStart = align8(8 + headerLength);
  const blob = (kind: string, o: unknown, n: unknown): unknown => {
    if (!Number.isSafeInteger(o) || !Number.isSafeInteger(n) || (o as number) < 0 || (n as number) < 0) throw new WireFormatError('bad blob reference');
    const start = blobStart + (o as number);
    if (kind === 'ArrayBuffer') {
      if (start + (n as number) > bytes.byteLength) throw new WireFormatError('blob runs past the end');
      return bytes.slice(start, start + (n as number)).buffer;
    }
    const ctor = KINDS[kind];
    if (!ctor) throw new WireFormatError(`unknown array kind ${kind}`);
    const byteLength = (n as number) * ctor.BYTES_PER_ELEMENT;
    if (start + byteLength > bytes.byteLength) throw new WireFormatError('blob runs past the end');
    const abs = bytes.byteOffset + start;
    if (abs % ctor.BYTES_PER_ELEMENT === 0) return new ctor(bytes.buffer, abs, n as number);
    return new ctor(bytes.slice(start, start + byteLength).buffer, 0, n as number);
  };
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(walk);
    const o = v as Record<string, unknown>;
    if ('$b' in o) return blob(String(o.$b), o.o, o.n);
    if ('$n' in o) {
      switch (o.$n) {
        case 'NaN': return NaN;
        case 'Infinity': return Infinity;
        case '-Infinity': return -Infinity;
        case '-0': return -0;
        default: throw new WireFormatError(`bad number ${String(o.$n)}`);
      }
    }
    const src = '$e' in o && o.$e && typeof o.$e === 'object' ? (o.$e as Record<string, unknown>) : o;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(src)) out[k] = walk(src[k]);
    return out;
  };
  return walk(json);
}

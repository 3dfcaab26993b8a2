import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFrame, encodeFrame, WireFormatError } from './wire-codec';

const roundTrip = (v: unknown) => decodeFrame(encodeFrame(v));

test('typed arrays survive with their type, values and NaN/±Infinity', () => {
  const f32 = new Float32Array([1.5, NaN, -Infinity, Infinity, -0, 3.4e38]);
  const f64 = new Float64Array([Math.PI, NaN, Number.MIN_VALUE, -1e308]);
  const out = roundTrip({ f32, f64, u8: new Uint8Array([0, 255, 7]), i32: new Int32Array([-2147483648, 2147483647]) }) as Record<string, unknown>;
  assert.ok(out.f32 instanceof Float32Array);
  assert.ok(out.f64 instanceof Float64Array);
  assert.ok(out.u8 instanceof Uint8Array);
  assert.ok(out.i32 instanceof Int32Array);
  assert.deepEqual([...(out.f32 as Float32Array)].map(String), [...f32].map(String));
  assert.ok(Object.is((out.f32 as Float32Array)[4], -0));
  assert.deepEqual([...(out.f64 as Float64Array)].map(String), [...f64].map(String));
  assert.deepEqual([...(out.u8 as Uint8Array)], [0, 255, 7]);
  assert.deepEqual([...(out.i32 as Int32Array)], [-2147483648, 2147483647]);
});

test('every typed-array kind, subarray views, Buffers and ArrayBuffers', () => {
  const big = new Float64Array(100).map((_, i) => i * 0.5);
  const kinds = {
    i8: new Int8Array([-128, 127]), u8c: new Uint8ClampedArray([0, 255]), i16: new Int16Array([-1, 2]),
    u16: new Uint16Array([65535]), u32: new Uint32Array([4294967295]), b64: new BigInt64Array([-5n]), bu64: new BigUint64Array([2n ** 64n - 1n]),
    sub: big.subarray(3, 7), buf: Buffer.from('héllo'), ab: new Uint8Array([9, 8, 7]).buffer,
  };
  const out = roundTrip(kinds) as Record<string, ArrayLike<unknown>>;
  for (const [k, v] of Object.entries(kinds)) {
    if (k === 'ab') continue;
    assert.deepEqual([...(out[k] as unknown as Iterable<unknown>)], [...(v as unknown as Iterable<unknown>)], k);
  }
  assert.ok(out.sub instanceof Float64Array && out.sub.length === 4 && out.sub[0] === 1.5);
  assert.ok(out.buf instanceof Uint8Array);
  assert.ok((out.ab as unknown) instanceof ArrayBuffer);
  assert.deepEqual([...new Uint8Array(out.ab as unknown as ArrayBuffer)], [9, 8, 7]);
});

test('nested objects, arrays, empty arrays, plain non-finite numbers, escaped keys', () => {
  const msg = {
    t: 'res', id: 7,
    result: {
      nested: { deeper: [1, 'two', null, true, { x: new Float32Array(0) }] },
      empty: [], emptyTyped: new Float64Array(0), emptyObj: {},
      plain: [NaN, Infinity, -Infinity, -0, 0, 1e-300],
      tricky: { $b: 'Float32Array', o: 0, n: 1 }, trickyN: { $n: 'NaN' }, trickyE: { $e: 1, other: new Uint8Array([1]) },
      text: 'ünïcødé ✓', undef: undefined,
    },
  };
  const out = roundTrip(msg) as typeof msg;
  assert.equal(out.t, 'res');
  assert.equal(out.id, 7);
  assert.deepEqual(out.result.nested.deeper.slice(0, 4), [1, 'two', null, true]);
  const x = (out.result.nested.deeper[4] as { x: Float32Array }).x;
  assert.ok(x instanceof Float32Array && x.length === 0);
  assert.deepEqual(out.result.empty, []);
  assert.ok(out.result.emptyTyped instanceof Float64Array && out.result.emptyTyped.length === 0);
  assert.deepEqual(out.result.emptyObj, {});
  assert.ok(Number.isNaN(out.result.plain[0]));
  assert.equal(out.result.plain[1], Infinity);
  assert.equal(out.result.plain[2], -Infinity);
  assert.ok(Object.is(out.result.plain[3], -0));
  assert.equal(out.result.plain[5], 1e-300);
  assert.deepEqual(out.result.tricky, { $b: 'Float32Array', o: 0, n: 1 });
  assert.deepEqual(out.result.trickyN, { $n: 'NaN' });
  assert.equal(out.result.trickyE.$e, 1);
  assert.deepEqual([...out.result.trickyE.other], [1]);
  assert.equal(out.result.text, 'ünïcødé ✓');
  assert.ok(!('undef' in out.result));
});

test('blobs are 8-aligned so decoding makes views, even from a frame at an odd offset', () => {
  const frame = encodeFrame({ a: new Uint8Array([1, 2, 3]), b: new Float64Array([1, 2]), c: new Float32Array([5]) });
  const whole = decodeFrame(frame) as { b: Float64Array };
  assert.equal(whole.b.buffer, frame.buffer, 'aligned: a view, not a copy');
  const shifted = new Uint8Array(frame.byteLength + 3);
  shifted.set(frame, 3);
  const out = decodeFrame(shifted.subarray(3)) as { a: Uint8Array; b: Float64Array; c: Float32Array };
  assert.deepEqual([...out.b], [1, 2]);
  assert.deepEqual([...out.c], [5]);
  assert.deepEqual([...out.a], [1, 2, 3]);
});

test('a viewport-sized result (4 × 1 Mi float32) round-trips in one frame of about its size', () => {
  const n = 1024 * 1024;
  const mk = () => new Float32Array(n).map((_, i) => (i % 97 === 0 ? NaN : i));
  const res = { block: 4, rowStart: 0, colStart: 0, rows: 1024, cols: 1024, min: mk(), max: mk(), mean: mk(), count: mk() };
  const frame = encodeFrame({ t: 'res', id: 1, result: res });
  const out = decodeFrame(frame) as { result: typeof res };
  assert.ok(frame.byteLength < 16 * n + 1024);
  assert.ok(Number.isNaN(out.result.mean[0]) && out.result.mean[1] === 1 && out.result.count[n - 1] === n - 1);
});

test('garbage frames and unencodable values fail with clear errors', () => {
  assert.throws(() => decodeFrame(new Uint8Array([1, 2, 3])), WireFormatError);
  assert.throws(() => decodeFrame(new TextEncoder().encode('{"t":"req"}')), /missing magic/);
  const frame = encodeFrame({ a: new Float64Array(4) });
  assert.throws(() => decodeFrame(frame.subarray(0, frame.byteLength - 8)), /past the end/);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => encodeFrame(cyclic), /cyclic/);
  assert.throws(() => encodeFrame({ d: new DataView(new ArrayBuffer(2)) }), /DataView/);
});

// Exact (correctly rounded, round-half-even) decimal → binary64 parsing straight from bytes.
// Result is bit-identical to `Number(text)` / C `strtod` for every accepted token.
//
// Accepted token (the whole [start, end) range must match):
//   [+-]? ( digits [ '.' digits? ] | '.' digits ) ( [eEdD] [+-]? digits )?
//   [+-]? ( inf | infinity | nan )            (any case)
// `d`/`D` is the Fortran exponent marker and means the same as `e`.
//
// Paths: ≤ 19 significant digits → Clinger's fast path (mantissa < 2^53, |exp10| ≤ 22, exact powers of
// ten) or else Eisel–Lemire with 128-bit truncated powers of five (always sufficient for 19 digits,
// per Mushtak & Lemire, "Fast number parsing without fallback"), done in 16-bit limbs so every
// intermediate is an exact double. More than 19 significant (non-zero) digits → `Number()` on the text.
// The first 15 significant digits are read four at a time where they can be (one 32-bit load, SWAR).

/** Set by `parseDecimal`: ok is false when the last token was not a number; end is where it ended. */
export const decimalStatus = { ok: true, end: 0 };

const P10 = new Float64Array(23);
for (let i = 0, v = 1; i < 23; i++, v *= 10) P10[i] = v; // 10^0..10^22 are exact doubles

/** TWO[k] = 2^k for k in 0..64. */
const TWO = new Float64Array(65);
for (let i = 0, v = 1; i < 65; i++, v *= 2) TWO[i] = v;

/** SCALE[p] = 2^(p - 1075) for biased exponents p in 0..2047 (exact: built by halving/doubling). */
const SCALE = new Float64Array(2048);
{
  let v = 5e-324; // 2^-1074
  for (let p = 1; p < 2048; p++) { SCALE[p] = v; v *= 2; }
}

const SMALLEST_POW10 = -342;
const INV16 = 1 / 65536;
const INV32 = 1 / 4294967296;
const LARGEST_POW10 = 308;

/**
 * POW5[8*(q+342) .. +8]: 128-bit truncated normalised 5^q for q in [-342, 308] as 16-bit limbs,
 * least significant first (limbs 0..3 = low 64 bits, 4..7 = high 64 bits).
 * q ≥ 0: 5^q shifted so bit 127 is set, truncated. q < 0: floor(2^b / 5^-q) + 1 with b large enough,
 * then normalised/truncated the same way (the Eisel–Lemire table definition).
 */
const POW5 = buildPow5Table();

/** The POW5 table (read-only), for the WebAssembly coordinate parser, which uses the same powers. */
export const POW5_LIMBS: Readonly<Uint16Array> = POW5;
export { SMALLEST_POW10, LARGEST_POW10 };

function buildPow5Table(): Uint16Array {
  const t = new Uint16Array(8 * (LARGEST_POW10 - SMALLEST_POW10 + 1));
  const top = 1n << 127n;
  const lim = 1n << 128n;
  for (let q = SMALLEST_POW10; q <= LARGEST_POW10; q++) {
    let v: bigint;
    if (q < 0) {
      const p5 = 5n ** BigInt(-q);
      const z = BigInt(p5.toString(2).length); // smallest z with 2^z >= p5 (p5 is never a power of two)
      const b = q >= -17 ? z + 127n : 2n * z + 64n;
      v = (1n << b) / p5 + 1n;
    } else {
      v = 5n ** BigInt(q);
    }
    // normalise: bit 127 set, truncate
    const len = BigInt(v.toString(2).length);
    if (len < 128n) v <<= 128n - len; else if (len > 128n) v >>= len - 128n;
    if (v < top || v >= lim) throw new Error('pow5 table');
    const o = 8 * (q - SMALLEST_POW10);
    for (let k = 0; k < 8; k++) { t[o + k] = Number(v & 0xffffn); v >>= 16n; }
  }
  return t;
}


const ONE = new Float64Array(1);

/**
 * Parses the number token that starts at `start` and ends at `end` or at the first byte ≤ 32 (blank,
 * tab, CR, LF), whichever comes first. Sets `decimalStatus.ok` (false → the token is not a number;
 * returns NaN) and `decimalStatus.end` (where the token ended). Convenient; hot loops should use
 * `parseDecimalInto`, which allocates nothing.
 */
export function parseDecimal(b: Uint8Array, start: number, end: number): number {
  const e = parseDecimalInto(b, start, end, ONE, 0);
  decimalStatus.ok = e >= 0;
  decimalStatus.end = e >= 0 ? e : start;
  return e >= 0 ? ONE[0] : NaN;
}

/** Scratch for passing doubles between non-inlined functions without boxing them. */
const SCR = new Float64Array(4);

/**
 * Like `parseDecimal`, but writes the value to out[at] and returns where the token ended, or -1 when it
 * is not a number. (Doubles returned from or passed to a function V8 does not inline are boxed on the
 * heap; this keeps the per-token path allocation-free.)
 */
export function parseDecimalInto(b: Uint8Array, start: number, end: number, out: Float64Array, at: number): number {
  let p = start;
  if (p >= end) return -1;
  let c = b[p];
  let neg = false;
  if (c === 45) { neg = true; if (++p >= end) return -1; c = b[p]; }
  else if (c === 43) { if (++p >= end) return -1; c = b[p]; }
  if (c > 57) return parseSpecial(b, p, tokenEnd(b, p, end), neg, out, at);

  let a = 0;      // first ≤ 15 significant digits (exact)
  let ext = 0;    // significant digits 16..19
  let extN = 0;
  let nd = 0;     // significant digits kept (≤ 19)
  let exp10 = 0;
  let digits = 0; // all mantissa digits seen
  let dropped = false;
  // integer part: leading zeros, then significant digits (four at a time while they fit in `a`)
  while (p < end && b[p] === 48) { p++; digits++; }
  if (p + 4 <= end) {
    const dv = viewOf(b);
    let v: number;
    while (nd <= 11 && p + 4 <= end && (v = fourDigits(dv.getUint32(p, true))) >= 0) { a = a * 10000 + v; nd += 4; digits += 4; p += 4; }
  }
  for (; p < end; p++) {
    const d = b[p] - 48;
    if ((d >>> 0) > 9) break;
    digits++;
    if (nd < 15) { a = a * 10 + d; nd++; }
    else if (nd < 19) { ext = ext * 10 + d; extN++; nd++; }
    else { exp10++; if (d !== 0) dropped = true; }
  }
  if (p < end && b[p] === 46) {
    p++;
    if (nd === 0) while (p < end && b[p] === 48) { p++; digits++; exp10--; }
    if (p + 4 <= end) {
      const dv = viewOf(b);
      let v: number;
      while (nd <= 11 && p + 4 <= end && (v = fourDigits(dv.getUint32(p, true))) >= 0) { a = a * 10000 + v; nd += 4; digits += 4; exp10 -= 4; p += 4; }
    }
    for (; p < end; p++) {
      const d = b[p] - 48;
      if ((d >>> 0) > 9) break;
      digits++;
      if (nd < 15) { a = a * 10 + d; nd++; exp10--; }
      else if (nd < 19) { ext = ext * 10 + d; extN++; nd++; exp10--; }
      else if (d !== 0) dropped = true;
    }
  }
  if (digits === 0) return -1;
  if (p < end && b[p] > 32) {
    c = b[p] | 0x20;
    if (c !== 101 && c !== 100) return -1; // e / d
    if (++p >= end) return -1;
    let eneg = false;
    c = b[p];
    if (c === 45) { eneg = true; p++; } else if (c === 43) p++;
    const es = p;
    let e = 0;
    for (; p < end; p++) {
      const d = b[p] - 48;
      if ((d >>> 0) > 9) break;
      if (e < 100000000) e = e * 10 + d;
    }
    if (p === es) return -1;
    exp10 += eneg ? -e : e;
    if (p < end && b[p] > 32) return -1;
  }
  if (nd === 0) { out[at] = neg ? -0 : 0; return p; }
  if (dropped) { out[at] = slowPath(b, start, p); return p; }

  let w: number;
  if (nd <= 15) w = a;
  else {
    w = a * P10[extN] + ext;
    if (w >= 9007199254740992) { SCR[0] = a; SCR[1] = ext; eiselLemire(extN, exp10, neg, out, at); return p; }
  }
  // w < 2^53 is exact here
  if (exp10 >= -22 && exp10 <= 22) {
    const r = exp10 < 0 ? w / P10[-exp10] : w * P10[exp10];
    out[at] = neg ? -r : r;
    return p;
  }
  if (exp10 > 22 && exp10 <= 22 + 15) {
    const t = w * P10[exp10 - 22];
    if (t < 9007199254740992) { const r = t * 1e22; out[at] = neg ? -r : r; return p; }
  }
  SCR[0] = a; SCR[1] = ext;
  eiselLemire(extN, exp10, neg, out, at);
  return p;
}

let viewed: Uint8Array | undefined;
let view: DataView = new DataView(new ArrayBuffer(0));
/**
 * A DataView over b, kept for the next call (callers parse many tokens from one buffer); so the last
 * buffer parsed on a thread stays reachable until another one is parsed there.
 */
function viewOf(b: Uint8Array): DataView {
  if (b !== viewed) { view = new DataView(b.buffer, b.byteOffset, b.byteLength); viewed = b; }
  return view;
}

/**
 * The value of four ASCII digits read as a little-endian 32-bit word (first digit in the low byte),
 * or -1 when some byte is not a digit.
 */
function fourDigits(x: number): number {
  if ((x & 0xf0f0f0f0) !== 0x30303030 || ((x + 0x06060606) & 0xf0f0f0f0) !== 0x30303030) return -1;
  const d = x - 0x30303030;
  const t = d * 10 + (d >>> 8); // byte 0: d0·10 + d1, byte 2: d2·10 + d3 (no carries between bytes)
  return (t & 0xff) * 100 + ((t >>> 16) & 0xff);
}

function tokenEnd(b: Uint8Array, p: number, end: number): number {
  while (p < end && b[p] > 32) p++;
  return p;
}

function parseSpecial(b: Uint8Array, p: number, end: number, neg: boolean, out: Float64Array, at: number): number {
  const n = end - p;
  const l = (k: number): number => b[p + k] | 0x20;
  if (n === 3 && l(0) === 110 && l(1) === 97 && l(2) === 110) { out[at] = NaN; return end; } // nan
  if (l(0) === 105 && l(1) === 110 && l(2) === 102) { // inf
    if (n === 3 || (n === 8 && l(3) === 105 && l(4) === 110 && l(5) === 105 && l(6) === 116 && l(7) === 121)) {
      out[at] = neg ? -Infinity : Infinity;
      return end;
    }
  }
  return -1;
}

function slowPath(b: Uint8Array, start: number, end: number): number {
  let s = '';
  for (let p = start; p < end; p++) {
    const c = b[p];
    s += String.fromCharCode(c === 100 || c === 68 ? 101 : c);
  }
  return Number(s); // the grammar already accepted the token, so this is never NaN
}

/** w = a·10^extN + ext (w < 10^19; a, ext in SCR[0], SCR[1]); out[at] = ±w·10^q, correctly rounded. */
function eiselLemire(extN: number, q: number, neg: boolean, out: Float64Array, at: number): void {
  if (q < SMALLEST_POW10) { out[at] = neg ? -0 : 0; return; }
  if (q > LARGEST_POW10) { out[at] = neg ? -Infinity : Infinity; return; }
  const a = SCR[0], ext = SCR[1];
  // 64-bit w as two 32-bit halves
  let hi = Math.floor(a * INV32);
  let lo = a - hi * 4294967296;
  if (extN > 0) {
    const m = P10[extN];
    lo = lo * m + ext;
    const carry = Math.floor(lo * INV32);
    lo -= carry * 4294967296;
    hi = hi * m + carry;
  }
  // normalise: shift left by lz so bit 63 is set
  const lz = hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
  if (lz >= 32) { hi = lo * TWO[lz - 32]; lo = 0; }
  else if (lz > 0) {
    const f = Math.floor(lo / TWO[32 - lz]);
    hi = hi * TWO[lz] + f;
    lo = (lo - f * TWO[32 - lz]) * TWO[lz];
  }
  SCR[2] = hi; SCR[3] = lo;
  if (!eiselLemireFast(lz, q, neg, out, at)) eiselLemireExact(lz, q, neg, out, at);
}

/**
 * POW5_22[3*(q+342) ..]: the high 64 bits of the POW5 entry as 22-bit limbs (least significant first),
 * for the 3×3-limb product of the common case.
 */
const POW5_22 = ((): Float64Array => {
  const n = LARGEST_POW10 - SMALLEST_POW10 + 1;
  const t = new Float64Array(3 * n);
  for (let k = 0; k < n; k++) {
    const hiH = POW5[8 * k + 7] * 65536 + POW5[8 * k + 6];
    const hiL = POW5[8 * k + 5] * 65536 + POW5[8 * k + 4];
    t[3 * k] = hiL % 4194304;
    t[3 * k + 1] = Math.floor(hiL / 4194304) + (hiH % 4096) * 1024;
    t[3 * k + 2] = Math.floor(hiH / 4096);
  }
  return t;
})();
const INV22 = 1 / 4194304;

/**
 * The common case of Eisel–Lemire with 22-bit limbs (9 products): w (normalised, as 32-bit halves) times
 * the high 64 bits of 5^q. Returns false — "not decided here" — for the rare cases the exact version handles:
 * the product's bits 64..72 all ones (fast_float would refine with the low half), a possible exact tie,
 * subnormal results.
 */
function eiselLemireFast(lz: number, q: number, neg: boolean, out: Float64Array, at: number): boolean {
  const hi = SCR[2], lo = SCR[3];
  // (integer bit operations: lo, hi < 2^32, and `%` on doubles is a slow library call)
  const w0 = lo & 0x3fffff;
  const w1 = (lo >>> 22) | ((hi & 0xfff) << 10);
  const w2 = hi >>> 12;
  const o = 3 * (q - SMALLEST_POW10);
  const p0 = POW5_22[o], p1 = POW5_22[o + 1], p2 = POW5_22[o + 2];
  let x = w0 * p0;
  let k = Math.floor(x * INV22);
  x = w0 * p1 + w1 * p0 + k;
  k = Math.floor(x * INV22);
  x = w0 * p2 + w1 * p1 + w2 * p0 + k;
  k = Math.floor(x * INV22);
  const r2 = x - k * 4194304;                 // bits 44..65
  x = w1 * p2 + w2 * p1 + k;
  k = Math.floor(x * INV22);
  const r3 = x - k * 4194304;                 // bits 66..87
  const r4 = w2 * p2 + k;                     // bits 88..127
  if (r2 >= 3145728 && (r3 & 127) === 127) return false; // bits 64..72 all ones
  const upperbit = r4 >= 549755813888 ? 1 : 0; // bit 127
  const t = 8 + upperbit;                     // mantissa = P >> (65 + shift), shift = 9 + upperbit
  const mant = r4 * TWO[22 - t] + (r3 >>> t);
  const half = (r3 >>> (t - 1)) & 1;
  if (half === 1 && q >= -4 && q <= 23) return false; // maybe an exact tie
  let power2 = (((152170 + 65536) * q) >> 16) + 63 + upperbit - lz + 1023;
  if (power2 <= 0) return false;
  let m = mant + half;
  if (m >= 9007199254740992) { m = 4503599627370496; power2++; }
  const r = power2 >= 2047 ? Infinity : m * SCALE[power2];
  out[at] = neg ? -r : r;
  return true;
}

/** Eisel–Lemire with 16-bit limbs, including the refinement with the low half and exact ties. */
function eiselLemireExact(lz: number, q: number, neg: boolean, out: Float64Array, at: number): void {
  const hi = SCR[2], lo = SCR[3];
  const w3 = hi >>> 16, w2 = hi & 0xffff, w1 = lo >>> 16, w0 = lo & 0xffff;
  const o = 8 * (q - SMALLEST_POW10);
  // first product: w × high 64 bits of 5^q → 128 bits in limbs r0..r7
  let p0 = POW5[o + 4], p1 = POW5[o + 5], p2 = POW5[o + 6], p3 = POW5[o + 7];
  let x = w0 * p0;
  let cy = Math.floor(x * INV16); let r0 = x - cy * 65536;
  x = w0 * p1 + w1 * p0 + cy;
  cy = Math.floor(x * INV16); let r1 = x - cy * 65536;
  x = w0 * p2 + w1 * p1 + w2 * p0 + cy;
  cy = Math.floor(x * INV16); let r2 = x - cy * 65536;
  x = w0 * p3 + w1 * p2 + w2 * p1 + w3 * p0 + cy;
  cy = Math.floor(x * INV16); let r3 = x - cy * 65536;
  x = w1 * p3 + w2 * p2 + w3 * p1 + cy;
  cy = Math.floor(x * INV16); let r4 = x - cy * 65536;
  x = w2 * p3 + w3 * p2 + cy;
  cy = Math.floor(x * INV16); let r5 = x - cy * 65536;
  x = w3 * p3 + cy;
  cy = Math.floor(x * INV16); let r6 = x - cy * 65536;
  let r7 = cy;
  if ((r4 & 0x1ff) === 0x1ff) {
    // refine with w × low 64 bits of 5^q: add its high 64 bits to our low 64 bits
    p0 = POW5[o]; p1 = POW5[o + 1]; p2 = POW5[o + 2]; p3 = POW5[o + 3];
    x = w0 * p0; cy = Math.floor(x * INV16);
    x = w0 * p1 + w1 * p0 + cy; cy = Math.floor(x * INV16);
    x = w0 * p2 + w1 * p1 + w2 * p0 + cy; cy = Math.floor(x * INV16);
    x = w0 * p3 + w1 * p2 + w2 * p1 + w3 * p0 + cy; cy = Math.floor(x * INV16);
    x = w1 * p3 + w2 * p2 + w3 * p1 + cy;
    cy = Math.floor(x * INV16); const s4 = x - cy * 65536;
    x = w2 * p3 + w3 * p2 + cy;
    cy = Math.floor(x * INV16); const s5 = x - cy * 65536;
    x = w3 * p3 + cy;
    cy = Math.floor(x * INV16); const s6 = x - cy * 65536;
    const s7 = cy;
    x = r0 + s4; cy = x >= 65536 ? 1 : 0; r0 = x - cy * 65536;
    x = r1 + s5 + cy; cy = x >= 65536 ? 1 : 0; r1 = x - cy * 65536;
    x = r2 + s6 + cy; cy = x >= 65536 ? 1 : 0; r2 = x - cy * 65536;
    x = r3 + s7 + cy; cy = x >= 65536 ? 1 : 0; r3 = x - cy * 65536;
    if (cy) {
      x = r4 + 1; cy = x >= 65536 ? 1 : 0; r4 = x - cy * 65536;
      x = r5 + cy; cy = x >= 65536 ? 1 : 0; r5 = x - cy * 65536;
      x = r6 + cy; cy = x >= 65536 ? 1 : 0; r6 = x - cy * 65536;
      r7 += cy;
    }
  }
  const hiH = r7 * 65536 + r6; // bits 96..127 of the product
  const hiL = r5 * 65536 + r4; // bits 64..95
  const upperbit = r7 >>> 15;
  const shift = upperbit + 9;
  let power2 = (((152170 + 65536) * q) >> 16) + 63 + upperbit - lz + 1023;
  if (power2 <= 0) {
    if (1 - power2 >= 64) { out[at] = neg ? -0 : 0; return; }
    const s = shift + 1 - power2;
    let m: number;
    if (s >= 64) m = 0;
    else if (s >= 32) m = Math.floor(hiH / TWO[s - 32]);
    else m = hiH * TWO[32 - s] + Math.floor(hiL / TWO[s]);
    m = m % 2 === 1 ? (m + 1) / 2 : m / 2;
    const r = m * 5e-324; // exact: m < 2^53 (≤ 2^52 → subnormal or the smallest normal)
    out[at] = neg ? -r : r;
    return;
  }
  let mant = hiH * TWO[31 - shift] + Math.floor(hiL / TWO[shift + 1]); // high >> (shift + 1), < 2^53
  const half = (hiL >>> shift) & 1;
  if (half === 1) {
    const tie = (hiL & ((1 << shift) - 1)) === 0 && r3 === 0 && r2 === 0 && r1 === 0 && r0 <= 1 &&
      q >= -4 && q <= 23 && mant % 2 === 0;
    if (!tie) mant += 1;
  }
  if (mant >= 9007199254740992) { mant = 4503599627370496; power2++; }
  if (power2 >= 2047) { out[at] = neg ? -Infinity : Infinity; return; }
  const r = mant * SCALE[power2];
  out[at] = neg ? -r : r;
}

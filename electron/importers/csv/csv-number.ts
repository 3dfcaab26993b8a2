// A CSV cell's text → number, exactly as `Number()` would read the same decimal text, with the
// spellings tables use for missing and infinite values.
// A cell's bytes → number. Short mantissas take Clinger's exact fast path here; longer ones go to
// the exact byte-level parser of ../text/parse-decimal (Eisel–Lemire), so no string is built per cell.
//
// Accepted:  [+-]? ( digits [ '.' digits? ] | '.' digits ) ( [eEdD] [+-]? digits )?   (d: Fortran)
//            empty, nan, na, n/a (any case, nan may be signed) → NaN
//            inf, infinity (any case, optional sign)            → ±Infinity
// Not accepted: hex/octal/binary literals, digit separators, decimal commas.

import { parseDecimal } from '../text/parse-decimal';

const P10 = new Float64Array(23);
for (let i = 0, v = 1; i < 23; i++, v *= 10) P10[i] = v; // 10^0..10^22: exact doubles

/** Set to false by `parseCsvNumber` when the cell is not a number (the result is then NaN). */
export const numberStatus = { ok: true };

const exact = parseDecimal;

/** Value of cell bytes t[start, end) (already trimmed, quotes removed). */
export function parseCsvNumber(t: Uint8Array, start: number, end: number): number {
  numberStatus.ok = true;
  if (start >= end) return NaN; // empty cell
  let p = start;
  let c = t[p];
  let neg = false;
  if (c === 45 /* - */ || c === 43 /* + */) {
    neg = c === 45;
    if (++p >= end) return notNumber();
    c = t[p];
  }
  if (!(c >= 48 && c <= 57) && c !== 46 /* . */) return special(t, start, p, end, neg);
  // Clinger's fast path: ≤ 15 significant digits are an exact integer; × or ÷ by an exact power of
  // ten ≤ 10^22 is then a single correctly rounded operation.
  let mant = 0, sig = 0, digits = 0, fracDigits = 0;
  while (p < end && (c = t[p]) >= 48 && c <= 57) {
    if (mant !== 0 || c !== 48) { mant = mant * 10 + (c - 48); sig++; }
    digits++; p++;
  }
  if (p < end && c === 46) {
    p++;
    while (p < end && (c = t[p]) >= 48 && c <= 57) {
      if (mant !== 0 || c !== 48) { mant = mant * 10 + (c - 48); sig++; }
      digits++; fracDigits++; p++;
    }
  }
  if (digits === 0) return notNumber();
  let exp = 0;
  if (p < end && (c === 101 || c === 69 || c === 100 || c === 68) /* e E d D (Fortran) */) {
    p++;
    let eneg = false;
    if (p < end && ((c = t[p]) === 45 || c === 43)) { eneg = c === 45; p++; }
    const e0 = p;
    while (p < end && (c = t[p]) >= 48 && c <= 57) { if (exp < 100000) exp = exp * 10 + (c - 48); p++; }
    if (p === e0) return notNumber();
    if (eneg) exp = -exp;
  }
  if (p !== end) return notNumber();
  if (sig <= 15) {
    if (mant === 0) return neg ? -0 : 0;
    const e10 = exp - fracDigits;
    if (e10 >= 0 && e10 <= 22) { const v = mant * P10[e10]; return neg ? -v : v; }
    if (e10 < 0 && e10 >= -22) { const v = mant / P10[-e10]; return neg ? -v : v; }
  }
  return exact(t, start, end); // validated above: the same decimal, correctly rounded
}

function notNumber(): number {
  numberStatus.ok = false;
  return NaN;
}

function special(t: Uint8Array, start: number, p: number, end: number, neg: boolean): number {
  const n = end - p;
  if (n < 2 || n > 8) return notNumber();
  let w = '';
  for (let i = p; i < end; i++) w += String.fromCharCode(t[i] | (t[i] >= 65 && t[i] <= 90 ? 32 : 0));
  if (w === 'inf' || w === 'infinity') return neg ? -Infinity : Infinity;
  if (w === 'nan') return NaN;
  if ((w === 'na' || w === 'n/a') && p === start) return NaN;
  return notNumber();
}

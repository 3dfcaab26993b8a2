import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDecimalInto } from '../text/parse-decimal';
import { numberStatus, parseCsvNumber } from './csv-number';

const parse = (s: string) => { const v = parseCsvNumber(Buffer.from(s, 'latin1'), 0, s.length); return { v, ok: numberStatus.ok }; };

test('csv number: decimal text reads exactly as Number()', () => {
  fc.assert(fc.property(fc.double(), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 21 }), (x, digits, prec) => {
    if (!Number.isFinite(x)) return;
    for (const s of [String(x), x.toExponential(), x.toExponential(Math.min(digits, 20)), x.toPrecision(prec),
      Math.abs(x) < 1e21 ? x.toFixed(digits) : String(x), `+${Math.abs(x)}`, String(x).toUpperCase()]) {
      const { v, ok } = parse(s);
      assert.ok(ok, s);
      assert.ok(Object.is(v, Number(s)), `${s}: ${v} vs ${Number(s)}`);
    }
  }), { numRuns: 3000 });
});

test('csv number: random digit strings read exactly as Number()', () => {
  const digits = fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), minLength: 1, maxLength: 30 });
  fc.assert(fc.property(fc.constantFrom('', '-', '+'), digits, fc.option(digits), fc.option(fc.integer({ min: -400, max: 400 })), (sign, int, frac, exp) => {
    const s = `${sign}${int}${frac !== null ? `.${frac}` : ''}${exp !== null ? `e${exp}` : ''}`;
    const { v, ok } = parse(s);
    assert.ok(ok, s);
    assert.ok(Object.is(v, Number(s)), `${s}: ${v} vs ${Number(s)}`);
  }), { numRuns: 5000 });
});

test('csv number: missing and infinite spellings, and refusals', () => {
  for (const s of ['', 'nan', 'NaN', 'NAN', '-nan', 'NA', 'na', 'N/A']) { const r = parse(s); assert.ok(r.ok, s); assert.ok(Number.isNaN(r.v), s); }
  for (const [s, v] of [['inf', Infinity], ['-inf', -Infinity], ['+Inf', Infinity], ['Infinity', Infinity], ['-INFINITY', -Infinity], ['.5', 0.5], ['5.', 5], ['-0', -0], ['0e999', 0], ['1e400', Infinity], ['-1e-400', -0], ['007', 7], ['1d5', 1e5], ['-2.5D-3', -2.5e-3]] as const) {
    const r = parse(s); assert.ok(r.ok, s); assert.ok(Object.is(r.v, v), `${s} → ${r.v}`);
  }
  for (const s of ['abc', '0x10', '1_000', '1,5', '.', '-', 'e5', '1e', '1e+', '1.2.3', '--1', 'infx', '-NA', '1x5', '0b1', ' 1', '1 2']) {
    assert.equal(parse(s).ok, false, s);
  }
});

test('csv number: whatever the in-place byte parser takes whole, parseCsvNumber reads the same', () => {
  // the scanner tries parseDecimalInto first and falls back to parseCsvNumber: both must agree
  const out = new Float64Array(1);
  const chars = fc.constantFrom(...'0123456789.+-eEdDinfatyNA/ x'.split(''));
  fc.assert(fc.property(fc.string({ unit: chars, minLength: 1, maxLength: 12 }), s => {
    const b = Buffer.from(s, 'latin1');
    if (parseDecimalInto(b, 0, b.length, out, 0) !== b.length) return;
    const r = parse(s);
    assert.ok(r.ok, `${JSON.stringify(s)} taken by parseDecimalInto, refused by parseCsvNumber`);
    assert.ok(Object.is(r.v, out[0]), `${JSON.stringify(s)}: ${r.v} vs ${out[0]}`);
  }), { numRuns: 20000 });
});

// parseDecimal must equal Number(s) bit for bit on every token Number accepts in our grammar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decimalStatus, parseDecimal } from './parse-decimal';
import { HARD_DECIMALS, SPECIAL_DECIMALS, decimalValue } from './hard-decimals';

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const bits = (x: number): bigint => { if (Number.isNaN(x)) return -1n; f64[0] = x; return u64[0]; };

function parse(s: string): number | undefined {
  const b = Buffer.from(` ${s} `, 'latin1'); // surrounded, to prove the range is respected
  const v = parseDecimal(b, 1, b.length - 1);
  return decimalStatus.ok && decimalStatus.end === b.length - 1 ? v : undefined;
}
function same(s: string, expected = Number(s.replace(/[dD]/, 'e'))): void {
  const v = parse(s);
  assert.notEqual(v, undefined, `${s} refused`);
  assert.equal(bits(v!), bits(expected), `${s}: got ${v}, want ${expected}`);
}

test('hard cases: halfway points, subnormals, overflow, long mantissas', () => {
  for (const s of [...HARD_DECIMALS, ...SPECIAL_DECIMALS]) same(s, decimalValue(s));
});

test('a token ends at the range end or at a blank, tab, CR or LF', () => {
  const b = Buffer.from('-1.25e2\t7 x', 'latin1');
  assert.equal(parseDecimal(b, 0, b.length), -125); assert.ok(decimalStatus.ok); assert.equal(decimalStatus.end, 7);
  assert.equal(parseDecimal(b, 8, b.length), 7); assert.equal(decimalStatus.end, 9);
  assert.equal(parseDecimal(b, 0, 4), -1.2); assert.equal(decimalStatus.end, 4);
  const c = Buffer.from('inf\r\n', 'latin1');
  assert.equal(parseDecimal(c, 0, c.length), Infinity); assert.equal(decimalStatus.end, 3);
});

test('malformed tokens are refused', () => {
  for (const s of ['', '+', '-', '.', 'e5', '1e', '1e+', '1.5x', '0x10', '1_0', '1,5', '--1', '+-1', 'infx', 'nanq', 'in', '1.2.3', '1e5.5', 'nan(1)', '１']) {
    assert.equal(parse(s), undefined, JSON.stringify(s));
  }
});

test('random doubles in many spellings read back exactly', () => {
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 21 }), fc.nat(5), (x, prec, style) => {
    const s = style === 0 ? String(x) : style === 1 ? x.toPrecision(17) : style === 2 ? x.toExponential(prec - 1)
      : style === 3 ? x.toPrecision(prec) : style === 4 ? x.toExponential(prec - 1).toUpperCase().replace('E', 'd') : `+${Math.abs(x)}`;
    same(s);
  }), { numRuns: 20000 });
});

test('random decimal strings equal Number(s)', () => {
  const digits = fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), minLength: 1, maxLength: 30 });
  fc.assert(fc.property(fc.constantFrom('', '-', '+'), digits, fc.option(digits), fc.integer({ min: -400, max: 400 }), fc.boolean(),
    (sign, int, frac, exp, withExp) => {
      same(`${sign}${int}${frac !== null ? `.${frac}` : ''}${withExp ? `e${exp}` : ''}`);
    }), { numRuns: 30000 });
});

test('near-halfway: 17-19 digit mantissas around exact midpoints', () => {
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: 0 }), fc.constantFrom(-1n, 0n, 1n), (x, delta) => {
    // the decimal expansion of the midpoint between x and its successor, cut to 19 digits, ±1 ulp of the decimal
    f64[0] = x; const u = u64[0]; u64[0] = u + 1n; const y = f64[0];
    if (!Number.isFinite(y)) return;
    const mid = x + (y - x) / 2; // not exact, but lands in the hard region
    const s = mid.toPrecision(19);
    const [m, e = '0'] = s.split('e');
    const dig = m.replace('.', '').replace('-', '');
    const pointAt = m.indexOf('.') < 0 ? m.length : m.indexOf('.');
    const big = BigInt(dig) + delta;
    if (big <= 0n) return;
    same(`${big}e${Number(e) - (dig.length - pointAt)}`);
  }), { numRuns: 20000 });
});

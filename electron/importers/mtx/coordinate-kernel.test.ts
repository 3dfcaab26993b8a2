// The WebAssembly kernel must give exactly the JS parsers' entries (bit for bit), counts and refusals,
// and must handle the common lines itself: coordinate lines (CoordinateKernel) and array lines (ArrayKernel).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { countEntries } from '../matrix-source';
import { ArrayKernel, runValueParser } from './array-kernel';
import { CoordinateKernel } from './coordinate-kernel';
import { CoordinateParser } from './mtx-body-parser';
import type { MtxHeader } from './mtx-header';
import { HARD_DECIMALS, SPECIAL_DECIMALS, decimalValue } from '../text/hard-decimals';

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const bits = (x: number): string => { f64[0] = x; return Number.isNaN(x) ? 'nan' : u64[0].toString(16); };

type Field = MtxHeader['field'];
type Symmetry = MtxHeader['symmetry'];
function header(rows: number, cols: number, field: Field, symmetry: Symmetry = 'general'): MtxHeader {
  return { format: 'coordinate', field, symmetry, rows, cols, declared: Number.MAX_SAFE_INTEGER, dataOffset: 0, dataLine: 1 } as MtxHeader;
}

interface Parsed { keys: string[]; rowCounts: number[]; colCounts: number[]; lines: number; count: number; jsLines: number }
const key = (r: number, c: number, re: number, im?: number) => `${r},${c},${bits(re)}${im === undefined ? '' : `,${bits(im)}`}`;

function withKernel(h: MtxHeader, text: string): Parsed {
  const k = CoordinateKernel.create(h);
  assert.ok(k, 'the kernel runs here');
  k.startCounting(1);
  const keys: string[] = [];
  const r = k.parseRun(Buffer.from(text, 'latin1'), (n, R, C, RE, IM) => {
    for (let i = 0; i < n; i++) keys.push(key(R[i], C[i], RE[i], IM?.[i]));
  });
  assert.ok(r, 'the kernel takes the run');
  const c = k.counts();
  return { keys, rowCounts: Array.from(c.rows), colCounts: Array.from(c.cols), lines: r.lines, count: r.count, jsLines: r.jsLines };
}

function withJs(h: MtxHeader, text: string): Parsed {
  const keys: string[] = [];
  const counts = { rows: new Uint32Array(h.rows), cols: new Uint32Array(h.cols) };
  const p = new CoordinateParser('', h, { entries(ch) {
    for (let i = 0; i < ch.length; i++) keys.push(key(ch.rows[i], ch.cols[i], ch.re[i], ch.im?.[i]));
    countEntries(counts, ch.length, ch.rows, ch.cols);
  } }, 1000);
  const b = Buffer.from(text, 'latin1');
  p.parse(b, 0, b.length);
  p.flush();
  return { keys, rowCounts: Array.from(counts.rows), colCounts: Array.from(counts.cols), lines: p.line - 1, count: p.count, jsLines: 0 };
}

function same(h: MtxHeader, text: string): Parsed {
  const k = withKernel(h, text), j = withJs(h, text);
  assert.deepEqual(k.keys, j.keys);
  assert.deepEqual(k.rowCounts, j.rowCounts); assert.deepEqual(k.colCounts, j.colCounts);
  assert.equal(k.lines, j.lines); assert.equal(k.count, j.count);
  return k;
}

// Array lines: the kernel's values and the JS ArrayParser's (as a worker runs it), line and value counts.
interface ParsedValues { keys: string[]; lines: number; count: number; jsLines: number }

function arrayHeader(field: Field): MtxHeader {
  return { ...header(1, 1, field), format: 'array' } as MtxHeader;
}

function arrayWithKernel(h: MtxHeader, text: string): ParsedValues {
  const k = ArrayKernel.create(h);
  assert.ok(k, 'the kernel runs here');
  const keys: string[] = [];
  const r = k.parseRun(Buffer.from(text, 'latin1'), (n, RE, IM) => {
    for (let i = 0; i < n; i++) keys.push(key(0, 0, RE[i], IM?.[i]));
  });
  assert.ok(r, 'the kernel takes the run');
  return { keys, lines: r.lines, count: r.count, jsLines: r.jsLines };
}

function arrayWithJs(h: MtxHeader, text: string): ParsedValues {
  const keys: string[] = [];
  const p = runValueParser(h, 1000);
  const b = Buffer.from(text, 'latin1');
  const take = () => { for (let i = 0; i < p.runLength; i++) keys.push(key(0, 0, p.re[i], p.im?.[i])); p.consumed(); };
  for (let at = 0; at < b.length;) { at = p.parse(b, at, b.length); if (p.ready) take(); }
  take();
  return { keys, lines: p.line - 1, count: p.count, jsLines: 0 };
}

function sameArray(h: MtxHeader, text: string): ParsedValues {
  const k = arrayWithKernel(h, text), j = arrayWithJs(h, text);
  assert.deepEqual(k.keys, j.keys);
  assert.equal(k.lines, j.lines); assert.equal(k.count, j.count);
  return k;
}

const HARD = [
  ...HARD_DECIMALS, ...SPECIAL_DECIMALS, '1e-5', '0.30000000000000004', '123456789012345678', '1234567890123456789',
  '12345678901234567890', '9999999999999999999', '18446744073709551615', '0.1e-341', '1e-342', '1e-343', '5e-324',
];

test('every hard token gives the JS parser\'s (and Number\'s) value', () => {
  const text = HARD.map((t, i) => `${1 + (i % 7)} ${1 + (i % 5)} ${t}\n`).join('');
  const r = same(header(7, 5, 'real'), text);
  assert.equal(r.keys.length, HARD.length);
  HARD.forEach((t, i) => assert.equal(r.keys[i].split(',')[2], bits(decimalValue(t)), t));
  const a = sameArray(arrayHeader('real'), HARD.map((t) => `${t}\n`).join(''));
  HARD.forEach((t, i) => assert.equal(a.keys[i].split(',')[2], bits(decimalValue(t)), t));
});

test('random doubles in many spellings, random decimal strings and near-halfway mantissas match the JS parser', () => {
  const digits = fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), minLength: 1, maxLength: 24 });
  const spelled = fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 21 }), fc.nat(4)).map(([x, prec, style]) =>
    style === 0 ? String(x) : style === 1 ? x.toPrecision(17) : style === 2 ? x.toExponential(prec - 1) : style === 3 ? x.toPrecision(prec) : `+${Math.abs(x)}`);
  const decimal = fc.tuple(fc.constantFrom('', '-', '+'), digits, fc.option(digits), fc.integer({ min: -400, max: 400 }), fc.boolean())
    .map(([s, i, f, e, we]) => `${s}${i}${f !== null ? `.${f}` : ''}${we ? `e${e}` : ''}`);
  const halfway = fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true, min: 0 }), fc.constantFrom(-1n, 0n, 1n)).map(([x, delta]) => {
    f64[0] = x; const u = u64[0]; u64[0] = u + 1n; const y = f64[0];
    if (!Number.isFinite(y)) return '1';
    const s = (x + (y - x) / 2).toPrecision(19);
    const [m, e = '0'] = s.split('e');
    const dig = m.replace('.', '').replace('-', '');
    const pointAt = m.indexOf('.') < 0 ? m.length : m.indexOf('.');
    const big = BigInt(dig) + delta;
    return big <= 0n ? '1' : `${big}e${Number(e) - (dig.length - pointAt)}`;
  });
  fc.assert(fc.property(fc.array(fc.oneof(spelled, decimal, halfway), { minLength: 1, maxLength: 400 }), (tokens) => {
    const text = tokens.map((t, i) => `${1 + (i % 3)} ${1 + (i % 4)} ${t}\n`).join('');
    const r = same(header(3, 4, 'real'), text);
    tokens.forEach((t, i) => assert.equal(r.keys[i].split(',')[2], bits(Number(t)), t));
    const a = sameArray(arrayHeader('real'), tokens.map((t) => `${t}\n`).join(''));
    tokens.forEach((t, i) => assert.equal(a.keys[i].split(',')[2], bits(Number(t)), t));
  }), { numRuns: 300 });
});

test('every field and symmetry, with comments, blank lines, CRLF, tabs and signs, matches the JS parser', () => {
  const value = fc.oneof(fc.integer({ min: -1e6, max: 1e6 }).map(String), fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x.toPrecision(17)),
    fc.constantFrom('inf', '-nan', '1e400', '+7', '-0'));
  const ws = fc.constantFrom(' ', '  ', '\t', ' \t');
  const fields: Field[] = ['real', 'integer', 'pattern', 'complex'];
  const syms: Symmetry[] = ['general', 'symmetric', 'skew-symmetric', 'hermitian'];
  fc.assert(fc.property(fc.constantFrom(...fields), fc.constantFrom(...syms), fc.array(fc.tuple(
    fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), value, value, ws, ws, fc.nat(12)), { maxLength: 200 }), (field, sym, lines) => {
    if (field === 'pattern' && sym === 'hermitian') return;
    const text = lines.map(([i, j, a, b, w1, w2, extra]) => {
      const int = (v: string) => (/^[+-]?\d+$/.test(v) ? v : Number.isFinite(Number(v)) ? BigInt(Math.trunc(Number(v))).toString() : '0');
      const ints = field === 'integer' ? [int(a), int(b)] : [a, b];
      const vals = field === 'pattern' ? '' : field === 'complex' ? `${w2}${ints[0]}${w1}${ints[1]}` : `${w2}${ints[0]}`;
      const lead = extra === 1 ? ' ' : extra === 2 ? '+' : '';
      const tail = extra === 3 ? '\r\n' : extra === 4 ? ' % note\n' : extra === 5 ? ' \t\n' : '\n';
      const pre = extra === 6 ? '% a comment line\n' : extra === 7 ? '\n' : extra === 8 ? '  \r\n' : '';
      return `${pre}${lead}${i}${w1}${j}${vals}${tail}`;
    }).join('');
    same(header(9, 9, field, sym), text);
    // the same values as array lines ("value", complex: "re im")
    if (field === 'pattern') return;
    sameArray(arrayHeader(field), text.split('\n').map((l) => l.replace(/^([ \t]*)\+?\d+[ \t]+\d+[ \t]*/, '$1')).join('\n'));
  }), { numRuns: 400 });
});

test('common lines are the kernel\'s own; a run longer than its output arrays is handed over in order', () => {
  const n = 150_000;
  let s = 12345;
  const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const lines: string[] = [];
  for (let k = 0; k < n; k++) lines.push(`${1 + Math.floor(rnd() * 1000)} ${1 + Math.floor(rnd() * 2000)} ${((rnd() - 0.5) * 10 ** (Math.floor(rnd() * 9) - 4)).toPrecision(17)}\n`);
  const r = same(header(1000, 2000, 'real'), lines.join(''));
  assert.equal(r.keys.length, n);
  assert.ok(r.jsLines < n / 100, `${r.jsLines} of ${n} lines left to the JS parser`);
  const sym = same(header(1000, 1000, 'real', 'symmetric'), lines.filter((l) => +l.split(' ')[1] <= 1000).join(''));
  assert.ok(sym.jsLines < sym.count / 100);
});

test('common array lines are the kernel\'s own; a run longer than its output arrays is handed over in order', () => {
  const n = 150_000;
  let s = 54321;
  const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const v = () => ((rnd() - 0.5) * 10 ** (Math.floor(rnd() * 9) - 4)).toPrecision(17);
  const real = Array.from({ length: n }, () => `${v()}\n`).join('');
  const r = sameArray(arrayHeader('real'), real);
  assert.equal(r.keys.length, n);
  assert.ok(r.jsLines < n / 100, `${r.jsLines} of ${n} lines left to the JS parser`);
  const c = sameArray(arrayHeader('complex'), Array.from({ length: n }, () => `${v()} ${v()}\n`).join(''));
  assert.ok(c.jsLines < n / 50);
  const i = sameArray(arrayHeader('integer'), Array.from({ length: n }, () => `${Math.floor((rnd() - 0.5) * 2e9)}\n`).join(''));
  assert.equal(i.jsLines, 0);
});

test('an array line that is not a valid value line throws, whichever parser it reaches', () => {
  for (const bad of ['abc\n', '1 2\n', '1.5x\n', '--1\n', '1e\n', '1 % ok\n2 3\n']) {
    const k = ArrayKernel.create(arrayHeader('real'))!;
    assert.throws(() => k.parseRun(Buffer.from(`1\n${bad}2\n`, 'latin1'), () => {}), Error, JSON.stringify(bad));
  }
  const complex = ArrayKernel.create(arrayHeader('complex'))!;
  for (const bad of ['1\n', '1 2 3\n', '1 x\n']) assert.throws(() => complex.parseRun(Buffer.from(bad, 'latin1'), () => {}), Error, bad);
  const ints = ArrayKernel.create(arrayHeader('integer'))!;
  for (const bad of ['1.5\n', '1e3\n', 'inf\n']) assert.throws(() => ints.parseRun(Buffer.from(bad, 'latin1'), () => {}), Error, bad);
  assert.deepEqual(sameArray(arrayHeader('integer'), '-0\n+7\n 12345678901234567890 \n').keys.map((k) => k.split(',')[2]),
    [bits(0), bits(7), bits(12345678901234567890)]);
});

test('a line that is not a valid entry throws, whichever parser it reaches', () => {
  const h = header(5, 5, 'real');
  for (const bad of ['1 2 abc\n', '1 6 1.0\n', '0 1 1\n', '1 2\n', '1 2 3 4\n', '1.5 2 3\n', '1 2 1.5x\n', '1 2 --1\n']) {
    const k = CoordinateKernel.create(h)!;
    assert.throws(() => k.parseRun(Buffer.from(`1 1 1\n${bad}2 2 2\n`, 'latin1'), () => {}), Error, JSON.stringify(bad));
  }
  const ints = CoordinateKernel.create(header(5, 5, 'integer'))!;
  for (const bad of ['1 2 1.5\n', '1 2 1e3\n']) assert.throws(() => ints.parseRun(Buffer.from(bad, 'latin1'), () => {}), Error, bad);
});

test('counts past 65535 per row or column stay exact (the kernel\'s 16-bit counters carry)', () => {
  const lines: string[] = [];
  for (let k = 0; k < 140_000; k++) lines.push(k % 7 === 0 ? `2 ${1 + (k % 3)} 15\n` : `1 3 ${k}\n`);
  const r = same(header(2, 3, 'real'), lines.join(''));
  assert.deepEqual(r.rowCounts, [120_000, 20_000]);
  const sym = same(header(3, 3, 'integer', 'symmetric'), lines.join(''));
  assert.equal(sym.rowCounts[0] + sym.rowCounts[1] + sym.rowCounts[2], sym.keys.length);
});

test('a new count starts from zero on a kernel that counted before', () => {
  const k = CoordinateKernel.create(header(3, 3, 'real'))!;
  const run = Buffer.from('1 2 1\n3 3 2\n1 1 3\n', 'latin1');
  k.startCounting(1);
  k.parseRun(run, () => {});
  k.parseRun(run, () => {});
  assert.deepEqual(Array.from(k.counts().rows), [4, 0, 2]);
  k.startCounting(2);
  k.parseRun(run, () => {});
  assert.deepEqual(Array.from(k.counts().rows), [2, 0, 1]);
  assert.deepEqual(Array.from(k.counts().cols), [1, 1, 1]);
});

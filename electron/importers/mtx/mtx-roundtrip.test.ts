// Property test: random small matrices written by a reference writer in many spellings
// (%.17g-like, exponent forms, leading '+', Fortran 'D', CRLF, tabs, comments, blank lines) read back exactly,
// array files through the worker threads too (same column runs, same values).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMtx } from './mtx-source';
import { bits, collect } from './mtx-test-helpers';

type Field = 'real' | 'double' | 'integer' | 'pattern' | 'complex';
type Sym = 'general' | 'symmetric' | 'skew-symmetric' | 'hermitian';

interface Spelling { style: number; plus: boolean; crlf: boolean; tabs: boolean; comments: boolean; upper: boolean; indent: boolean; trail: boolean }

function spell(x: number, sp: Spelling, integer: boolean): string {
  if (integer) return (sp.plus && x >= 0 ? '+' : '') + BigInt(x).toString();
  if (Number.isNaN(x)) return sp.upper ? 'NaN' : 'nan';
  if (!Number.isFinite(x)) return `${x < 0 ? '-' : sp.plus ? '+' : ''}${sp.upper ? 'INF' : 'inf'}`;
  let s: string;
  switch (sp.style) {
    case 0: s = x.toPrecision(17); break;
    case 1: s = String(x); break;
    case 2: s = x.toExponential(16); break;
    case 3: s = x.toExponential(16).replace('e', sp.upper ? 'D' : 'd'); break;
    default: s = x.toExponential(); break;
  }
  if (Object.is(x, -0)) s = '-' + s.replace(/^-/, '');
  if (sp.upper) s = s.toUpperCase();
  return sp.plus && !s.startsWith('-') ? `+${s}` : s;
}

const valueArb = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, 5e-324, -2.2250738585072014e-308, 1.7976931348623157e308, 1e-310, 1e300, Infinity, -Infinity, NaN),
);
const intArb = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.maxSafeInteger().map((x) => x), fc.constantFrom(2 ** 53 + 2, -(2 ** 60)));

const caseArb = fc.record({
  format: fc.constantFrom('coordinate', 'array'),
  field: fc.constantFrom<Field>('real', 'double', 'integer', 'pattern', 'complex'),
  symmetry: fc.constantFrom<Sym>('general', 'symmetric', 'skew-symmetric', 'hermitian'),
  rows: fc.integer({ min: 1, max: 6 }),
  cols: fc.integer({ min: 1, max: 6 }),
  seed: fc.array(fc.tuple(fc.nat(), fc.nat(), valueArb, valueArb, intArb), { maxLength: 20 }),
  sp: fc.record({ style: fc.nat(4), plus: fc.boolean(), crlf: fc.boolean(), tabs: fc.boolean(), comments: fc.boolean(), upper: fc.boolean(), indent: fc.boolean(), trail: fc.boolean() }),
});

test('random matrices in random spellings read back exactly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mtx-prop-'));
  let k = 0;
  try {
    await fc.assert(fc.asyncProperty(caseArb, fc.constantFrom(1, 5, 4096), async (c, readSize) => {
      const field = c.format === 'array' && c.field === 'pattern' ? 'real' : c.field;
      const sym = c.symmetry;
      const n = c.rows;
      const rows = sym === 'general' ? c.rows : n, cols = sym === 'general' ? c.cols : n;
      const integer = field === 'integer';
      const complex = field === 'complex';
      const sp = c.sp;
      const sep = sp.tabs ? '\t' : ' ';
      const nl = sp.crlf ? '\r\n' : '\n';
      const lines: string[] = [];
      const val = (t: [number, number, number, number, number]) => (integer ? [t[4]] : complex ? [t[2], t[3]] : field === 'pattern' ? [] : [t[2]]);
      const expected: { r: number; c: number; re: number; im: number }[] = [];
      const num = (x: number) => (integer ? Number(BigInt(x)) + 0 : x);
      let count = 0;
      if (c.format === 'coordinate') {
        for (const t of c.seed) {
          let i = t[0] % rows, j = t[1] % cols;
          if (sym !== 'general' && i < j) [i, j] = [j, i];
          const vs = val(t);
          lines.push([i + 1, j + 1, ...vs.map((x) => spell(x, sp, integer))].join(sep));
          const re = field === 'pattern' ? 1 : num(vs[0]), im = complex ? vs[1] : 0;
          expected.push({ r: i, c: j, re, im });
          if (sym !== 'general' && i !== j) {
            const mre = sym === 'skew-symmetric' ? (integer ? 0 - re : -re) : re;
            const mim = !complex ? 0 : sym === 'skew-symmetric' || sym === 'hermitian' ? -im : im;
            expected.push({ r: j, c: i, re: mre, im: mim });
          }
          count++;
        }
      } else {
        let s = 0;
        for (let j = 0; j < cols; j++) {
          const first = sym === 'general' ? 0 : sym === 'skew-symmetric' ? j + 1 : j;
          for (let i = first; i < rows; i++) {
            const t = c.seed.length ? c.seed[s++ % c.seed.length] : ([0, 0, 0.5, -0.25, 7] as [number, number, number, number, number]);
            const vs = val(t);
            lines.push(vs.map((x) => spell(x, sp, integer)).join(sep));
            expected.push({ r: i, c: j, re: num(vs[0]), im: complex ? vs[1] : 0 });
            count++;
          }
        }
      }
      const head = [`${sp.indent ? '  ' : ''}%%${sp.upper ? 'MATRIXMARKET MATRIX' : 'MatrixMarket matrix'} ${c.format} ${field} ${sym}`];
      if (sp.comments) head.push('% a comment', '', `${sep}% indented comment`);
      head.push(c.format === 'coordinate' ? `${rows}${sep}${cols}${sep}${count}` : `${rows} ${cols}`);
      const trailed = sp.trail ? lines.map((l, i) => (i % 4 === 2 ? `${l}${sep}% after` : l)) : lines;
      const body = sp.comments ? trailed.flatMap((l, i) => (i % 3 === 1 ? ['%  between', '', `${sep}${l}${sep}`] : [l])) : trailed;
      const file = join(dir, `${k++}.mtx`);
      writeFileSync(file, [...head, ...body].join(nl) + (k % 2 ? nl : ''));
      const got = await collect(await openMtx(file, { readSize }));
      assert.equal(got.header.rows, rows); assert.equal(got.header.cols, cols);
      if (c.format === 'coordinate') {
        assert.equal(got.header.entries, expected.length);
        assert.deepEqual(got.rows, expected.map((e) => e.r));
        assert.deepEqual(got.cols, expected.map((e) => e.c));
        assert.deepEqual(got.re.map(bits), expected.map((e) => bits(e.re)));
        assert.deepEqual(got.im.map(bits), expected.map((e) => bits(e.im)));
      } else {
        for (const e of expected) {
          assert.equal(bits(got.dense!.re[e.c * rows + e.r]), bits(e.re));
          assert.equal(bits(got.dense!.im[e.c * rows + e.r]), bits(e.im));
        }
        const par = await collect(await openMtx(file, { readSize, workers: 2, parallelMinBytes: 0 }));
        assert.deepEqual(par.runs, got.runs);
        assert.deepEqual(Array.from(par.dense!.re, bits), Array.from(got.dense!.re, bits));
        assert.deepEqual(Array.from(par.dense!.im, bits), Array.from(got.dense!.im, bits));
      }
    }), { numRuns: 300 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('structural errors name the line and what was wrong', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mtx-err-'));
  try {
    const cases: [string, RegExp][] = [
      ['%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 5\n2 2 6\n', /:4: more entries than the 1 declared/],
      ['%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 5 9\n', /:3: unexpected "9" after the entry/],
      ['%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1\n', /:3: truncated entry: the value is missing/],
      ['%%MatrixMarket matrix coordinate complex general\n2 2 1\n1 1 5\n', /:3: truncated entry: the imaginary part is missing/],
      ['%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 1.5\n', /:3: value "1.5" is not an integer/],
      ['%%MatrixMarket matrix coordinate real general\n2 2 1\n1 3 1e\n', /:3: column index 3 is out of range 1..2/],
      ['%%MatrixMarket matrix coordinate real general\n2 2 1\n1 2 1e\n', /:3: value "1e" is not a number/],
      ['%%MatrixMarket matrix coordinate real general\n2 2 1\nx 2 1\n', /:3: row index "x" is not a whole number/],
      ['%%MatrixMarket matrix coordinate real symmetric\n2 3 1\n', /:2: a symmetric matrix must be square/],
      ['%%MatrixMarket matrix coordinate real general\n2 2\n', /:2: size line "2 2" has 2 numbers/],
      ['%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n', /:5: file ends after 3 of the 4 values/],
      ['%%MatrixMarket matrix array real general\n1 1\n1\n2\n', /:4: more values than the 1/],
      ['%%MatrixMarket matrix array real general\n2 2\n1 2\n3 4\n', /:3: unexpected "2" after the entry/],
      ['%%MatrixMarket matrix coordinate real general\n% only comments\n', /file ends before the size line/],
      ['', /empty file/],
      ['%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 1 5\n', /:3: unexpected "5" after the entry \(a coordinate pattern line holds "row col"\)/],
      ['%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 5\x01\n', /:3: unexpected control character 0x01/],
      ['%%MatrixMarket vector coordinate real general\n2 1\n', /:1: Matrix Market "vector" objects are not supported/],
      ['%%MatrixMarket matrix coordinate real general\n99999999999 2 1\n', /:2: size line: 99999999999 x 2 is too large/],
    ];
    const bom = join(dir, 'bom.mtx');
    writeFileSync(bom, '\ufeff%%MatrixMarket matrix coordinate real general\r\n1 1 1\r\n1 1 -2.5\r\n');
    assert.deepEqual((await collect(await openMtx(bom))).re, [-2.5]);
    for (const [i, [text, re]] of cases.entries()) {
      const file = join(dir, `e${i}.mtx`);
      writeFileSync(file, text);
      await assert.rejects(async () => collect(await openMtx(file)), (e: Error) => { assert.match(e.message, re); return true; });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('big-file paths: worker threads agree on overflow/underflow errors; progress and cancellation', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mtx-big-'));
  try {
    const lines: string[] = [];
    for (let k = 0; k < 3000; k++) lines.push(`${1 + (k % 50)} ${1 + ((k * 7) % 40)} ${(k * 0.37).toPrecision(17)}`);
    const body = lines.join('\n') + '\n';
    const tooMany = join(dir, 'many.mtx'), tooFew = join(dir, 'few.mtx'), ok = join(dir, 'ok.mtx');
    writeFileSync(tooMany, `%%MatrixMarket matrix coordinate real general\n50 40 2500\n${body}`);
    writeFileSync(tooFew, `%%MatrixMarket matrix coordinate real general\n50 40 3001\n${body}`);
    writeFileSync(ok, `%%MatrixMarket matrix coordinate real symmetric\n50 50 3000\n${body}`);
    const err = async (file: string, o: object) => { try { await collect(await openMtx(file, o)); } catch (e) { return (e as Error).message; } return 'no error'; };
    const par = { workers: 2, parallelMinBytes: 0, readSize: 4096 };
    assert.match(await err(tooMany, { workers: 0 }), /:2503: more entries than the 2500 declared/);
    assert.equal(await err(tooMany, par), await err(tooMany, { workers: 0 }));
    assert.match(await err(tooFew, { workers: 0 }), /:3002: file ends after 3000 of the 3001 entries/);
    assert.equal(await err(tooFew, par), await err(tooFew, { workers: 0 }));

    // progress reaches the file size; a parallel symmetric scan equals the serial one
    const serial = await collect(await openMtx(ok, { workers: 0 }));
    const src = await openMtx(ok, par);
    let last = 0, total = 0;
    let n = 0;
    await src.scanSparse!({ entries(c) { n += c.length; } }, { onBytes: (d, t) => { assert.ok(d >= last); last = d; total = t; } });
    assert.equal(n, serial.rows.length);
    assert.equal((await src.header()).entries, serial.rows.length);
    assert.equal(last, total);

    // cancellation
    for (const o of [{ workers: 0, readSize: 4096, chunkSize: 100 }, { ...par, chunkSize: 100 }]) {
      const ac = new AbortController();
      const s = await openMtx(ok, o);
      await s.header();
      await assert.rejects(s.scanSparse!({ entries() { ac.abort(); } }, { signal: ac.signal }), { name: 'CancelledError' });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

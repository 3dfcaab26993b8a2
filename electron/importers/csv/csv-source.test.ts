import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { InputError } from '../matrix-source';
import { collectDense, firstDifference } from '../npy/collect-dense';
import { openCsv, type CsvOpenOptions } from './csv-source';

const dir = mkdtempSync(join(tmpdir(), 'csv-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;
function file(text: string | Buffer, ext = '.csv'): string {
  const p = join(dir, `f${seq++}${ext}`);
  writeFileSync(p, text);
  return p;
}

async function load(path: string, options: CsvOpenOptions = {}) {
  const src = await openCsv(path, options);
  const h = await src.header();
  const c = collectDense(h.rows, h.cols);
  await src.scanDense!(c.sink);
  c.assertComplete();
  return { h, values: [...c.re], c };
}

async function rejects(path: string, re: RegExp, line?: number, options: CsvOpenOptions = {}) {
  await assert.rejects(load(path, options), (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.match(e.message, re);
    assert.ok(e.message.startsWith(path), e.message);
    if (line !== undefined) assert.equal(e.line, line, e.message);
    return true;
  });
}

test('csv: delimiter sniffing', async () => {
  const cases: [string, string, string, number, number][] = [
    ['1,2,3\n4,5,6\n', '.csv', ',', 2, 3],
    ['1\t2\t3\n4\t5\t6\n', '.tsv', '\t', 2, 3],
    ['1\t2\t3\n4\t5\t6\n', '.csv', '\t', 2, 3],
    ['1;2;3\n4;5;6\n', '.csv', ';', 2, 3],
    ['1|2|3\n4|5|6\n', '.txt', '|', 2, 3],
    ['1  2 3\n  4 5\t6  \n', '.txt', ' ', 2, 3],
    ['1, 2, 3\n4, 5, 6\n', '.txt', ',', 2, 3],
    ['1.5\n2.5\n3.5\n', '.csv', ',', 3, 1],
    ['1.5\n2.5\n', '.tsv', '\t', 2, 1],
    ['a;b\n1;2\n', '.csv', ';', 1, 2],
    ['1,,3\n,5,\n', '.csv', ',', 2, 3],
  ];
  for (const [text, ext, delim, rows, cols] of cases) {
    const { h } = await load(file(text, ext));
    assert.deepEqual([h.info.csv!.delimiter, h.rows, h.cols], [delim, rows, cols], JSON.stringify(text));
  }
});

test('csv: header detection', async () => {
  let r = await load(file('x,y,z\n1,2,3\n4,5,6\n'));
  assert.equal(r.h.info.csv!.header, true); assert.deepEqual(r.values, [1, 2, 3, 4, 5, 6]);
  r = await load(file('"name, with comma","b",c\n1,2,3\n'));
  assert.equal(r.h.info.csv!.header, true); assert.deepEqual(r.values, [1, 2, 3]);
  r = await load(file('1,2,3\n4,5,6\n'));
  assert.equal(r.h.info.csv!.header, false);
  r = await load(file('nan,inf,\n4,5,6\n'));
  assert.equal(r.h.info.csv!.header, false, 'NaN/inf/empty are data');
  r = await load(file('# x y\n# comment\nx\ty\n1\t2\n'));
  assert.equal(r.h.info.csv!.header, true); assert.deepEqual(r.values, [1, 2]);
  r = await load(file('1,2\n3,4\n'), { header: true });
  assert.deepEqual(r.values, [3, 4]);
});

test('csv: missing, infinite, quoted values; CRLF, BOM, comments, blank lines, trailing delimiters', async () => {
  const text = '\ufeff# made by hand\r\na,b,c\r\n1, "2.5" ,3e2\r\n\r\n  \r\n,NaN,nan\r\nNA,N/A,-inf\r\nInfinity,-Infinity,+inf # comment\r\n-0,0,1e-320\r\n\r\n\r\n';
  const { h, values } = await load(file(text));
  assert.equal(h.rows, 5); assert.equal(h.cols, 3);
  const exp = [1, 2.5, 300, NaN, NaN, NaN, NaN, NaN, -Infinity, Infinity, -Infinity, Infinity, -0, 0, 1e-320];
  assert.equal(firstDifference(values, exp), -1, JSON.stringify(values));
  // trailing delimiter on every line, or on some lines: not a column
  let r = await load(file('1,2,\n3,4,\n'));
  assert.equal(r.h.cols, 2); assert.deepEqual(r.values, [1, 2, 3, 4]);
  r = await load(file('1,2\n3,4,\n5,6\n'));
  assert.equal(r.h.cols, 2); assert.deepEqual(r.values, [1, 2, 3, 4, 5, 6]);
  r = await load(file('1\t2\t\n3\t4\t\n', '.tsv'));
  assert.equal(r.h.cols, 2);
  // an empty last cell that is not on every line is a NaN cell
  r = await load(file('1,2,\n3,4,5\n'));
  assert.equal(r.h.cols, 3); assert.equal(firstDifference(r.values, [1, 2, NaN, 3, 4, 5]), -1);
  // ... also when it is on the only line after the first (fast-check found '0|0\n0|\n' read as one column)
  for (const d of ['|', ',', ';']) {
    r = await load(file(`0${d}0\n0${d}\n`));
    assert.equal(r.h.cols, 2, `delimiter ${d}`); assert.equal(firstDifference(r.values, [0, 0, 0, NaN]), -1, `delimiter ${d}`);
  }
  // with tabs as delimiter, a line of tabs is a row of empty cells
  await rejects(file('\t\t\nx\ty\tz\n', '.tsv'), /:2: not a number: "x" in column 1/, 2, { header: false, delimiter: '\t' });
  r = await load(file('1\t2\t3\n\t\t\n4\t5\t6\n', '.tsv'));
  assert.equal(r.h.rows, 3); assert.equal(firstDifference(r.values, [1, 2, 3, NaN, NaN, NaN, 4, 5, 6]), -1);
  // no newline at the end
  r = await load(file('1,2\n3,4'));
  assert.deepEqual(r.values, [1, 2, 3, 4]);
});

test('csv: errors name the line, the column and the token', async () => {
  await rejects(file('1,2,3\n4,5\n6,7,8\n'), /:2: line has 2 fields, expected 3 \(as on line 1\)/, 2);
  await rejects(file('a,b\n1,2\n3,4,5,6\n'), /:3: line has 4 fields, expected 2 \(as on line 2\)/, 3);
  await rejects(file('1,2\n\n# c\n3,x7\n'), /:4: not a number: "x7" in column 2/, 4);
  await rejects(file('1;2\n1,5;2\n'), /not a number: "1,5" in column 1 \(decimal commas are not supported\)/, 2);
  await rejects(file('1,2\n3,"4\n'), /:2: malformed quoted field in column 2/, 2);
  await rejects(file(''), /: empty file$/);
  await rejects(file('\n\n  \n# only comments\n'), /no data/);
  await rejects(file('a,b,c\n'), /no data rows: the file holds only a header line/);
  await rejects(file('1\r2\r3\r'), /CR only/);
  await rejects(file(Buffer.from([1, 2, 0, 4, 10])), /binary data/);
  await rejects(file('1,2\n3,0x10\n'), /"0x10" in column 2/, 2);
});

const SAMPLES = [
  'x,y,z\r\n1,2,3\r\n# c\r\n\r\n4, "5" ,nan\r\n-inf,NA,\r\n\n\n',
  '\ufeff1 2 3\n  4   5 6  \n7 8 9',
  '1.25e-3\t2\t\n3\t4\t\n',
  'h1;h2\n1;2\n3;4\n5;6 # tail\n',
  '1,2\n3,4',
];

test('csv: results do not depend on where reads split the file', async () => {
  for (const text of SAMPLES) {
    const p = file(text, text.includes('\t') ? '.tsv' : '.csv');
    const ref = await load(p);
    for (const size of [1, 2, 3, 4, 5, 7, 11, 16, 64]) {
      const r = await load(p, { readBufferBytes: size });
      assert.deepEqual([r.h.rows, r.h.cols], [ref.h.rows, ref.h.cols]);
      assert.equal(firstDifference(r.values, ref.values), -1, `${JSON.stringify(text)} buffer ${size}`);
    }
  }
  // a file bigger than one parse slice (256 KiB): same values whatever the read size
  const vals = Array.from({ length: 20000 }, (_, i) => [i, i / 7, -(i + 1) * 1e-300]);
  const bigText = 'a,b,c\n' + vals.map(r => r.join(',')).join('\n') + '\n';
  assert.ok(bigText.length > 600_000);
  const bigFile = file(bigText);
  for (const size of [undefined, 4096, 300_000]) {
    const r = await load(bigFile, { readBufferBytes: size });
    assert.equal(r.h.rows, 20000);
    assert.equal(firstDifference(r.values, vals.flat()), -1, `buffer ${size}`);
  }
  // error line numbers survive tiny buffers
  const bad = file('1,2\r\n\r\n3,4\r\n5\r\n');
  for (const size of [1, 3, 8]) await rejects(bad, /:4: line has 1 field, expected 2/, 4, { readBufferBytes: size });
});

test('csv: parse workers give the same values and the same errors', async () => {
  const big = Array.from({ length: 3000 }, (_, i) => `${i},${i / 7},${-i * 1e-300},nan`).join('\r\n');
  // each scan starts its workers (slow under tsx): few, but varied, files
  const texts = [`a,b,c,d\n${big}\n`, `# c\n\n${big}`];
  for (const text of texts) {
    const p = file(text, text.includes('\t') ? '.tsv' : '.csv');
    const ref = await load(p, { workers: 0 });
    for (const size of [1000]) {
      const r = await load(p, { readBufferBytes: size, workers: 2 });
      assert.deepEqual([r.h.rows, r.h.cols], [ref.h.rows, ref.h.cols]);
      assert.equal(firstDifference(r.values, ref.values), -1, `${JSON.stringify(text.slice(0, 40))} buffer ${size}`);
    }
  }
  const lines = Array.from({ length: 2000 }, (_, i) => `${i},${i}`);
  lines[1500] = '1500,oops';
  await rejects(file(lines.join('\n')), /:1501: not a number: "oops" in column 2/, 1501, { readBufferBytes: 1000, workers: 2 });
  lines[1500] = '1500';
  await rejects(file(lines.join('\n')), /:1501: line has 1 field, expected 2 \(as on line 1\)/, 1501, { readBufferBytes: 1000, workers: 2 });
});

test('csv: progress and cancellation', async () => {
  const p = file(Array.from({ length: 1000 }, (_, i) => `${i},${i + 1}`).join('\n') + '\n');
  const src = await openCsv(p, { readBufferBytes: 1000, workers: 2 });
  const seen: number[] = [];
  await src.scanDense!({ rowRun() {}, colRun() {} }, { onBytes: (d, t) => seen.push(d / t) });
  assert.ok(seen.length > 5); assert.equal(seen.at(-1), 1);
  const ac = new AbortController();
  let n = 0;
  await assert.rejects(src.scanDense!({ rowRun() { if (++n === 10) ac.abort(); }, colRun() {} }, { signal: ac.signal }), { name: 'CancelledError' });
});

test('csv: random matrices round-trip exactly (fast-check)', async () => {
  const cell = fc.oneof(
    { weight: 6, arbitrary: fc.double().map(x => ({ text: Object.is(x, -0) ? '-0' : String(x), value: x })) },
    { weight: 2, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(x => ({ text: x.toExponential(7), value: Number(x.toExponential(7)) })) },
    { weight: 2, arbitrary: fc.integer().map(x => ({ text: String(x), value: x })) },
    { weight: 1, arbitrary: fc.constantFrom({ text: '', value: NaN }, { text: 'NA', value: NaN }, { text: '-inf', value: -Infinity }, { text: '"7.5"', value: 7.5 }) },
  );
  await fc.assert(fc.asyncProperty(
    fc.integer({ min: 1, max: 6 }).chain(cols => fc.tuple(fc.constant(cols), fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 8 }))),
    fc.constantFrom(',', '\t', ';', '|'), fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 40 }),
    async ([cols, rows], delim, crlf, withHeader, buffer) => {
      // a row of empty cells only is blank for a one-column file: keep such rows non-blank
      let rowsFixed = rows.map(r => (cols === 1 && r[0].text === '' ? [{ text: '0', value: 0 }] : r));
      // an empty last cell on every line reads as a trailing delimiter (documented): avoid that case
      if (rowsFixed.every(r => r[cols - 1].text === '')) rowsFixed = rowsFixed.map(r => [...r.slice(0, -1), { text: 'NA', value: NaN }]);
      const nl = crlf ? '\r\n' : '\n';
      const head = withHeader ? Array.from({ length: cols }, (_, i) => `col${i}`).join(delim) + nl : '';
      const text = head + rowsFixed.map(r => r.map(c => c.text).join(delim)).join(nl) + nl;
      const p = file(text, '.csv');
      const options = { readBufferBytes: buffer, ...(cols === 1 ? { delimiter: delim } : {}) };
      const { h, values } = await load(p, options);
      assert.equal(h.rows, rowsFixed.length); assert.equal(h.cols, cols);
      assert.equal(h.info.csv!.header, withHeader);
      if (cols > 1) assert.equal(h.info.csv!.delimiter, delim);
      const exp = rowsFixed.flat().map(c => c.value);
      assert.equal(firstDifference(values, exp), -1, JSON.stringify(text));
      rmSync(p);
    }), { numRuns: 150 });
});

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

test('csv: values equal numpy.loadtxt / genfromtxt', { skip: hasNumpy ? false : 'python3 with numpy not available' }, async () => {
  const py = String.raw`
import numpy as np, sys, os
d = sys.argv[1]
rng = np.random.default_rng(3)
a = rng.standard_normal((57, 13)) * 10.0 ** rng.integers(-30, 30, (57, 13))
a[0, 0] = np.inf; a[1, 1] = -0.0; a[2, 2] = 1e-310
np.savetxt(os.path.join(d, 'g.csv'), a, fmt='%.17g', delimiter=',', header='a,b,c', comments='# ')
np.loadtxt(os.path.join(d, 'g.csv'), delimiter=',').astype('<f8').tofile(os.path.join(d, 'g.csv.bin'))
np.savetxt(os.path.join(d, 'h.tsv'), a[:, :5], fmt='%.6e', delimiter='\t', header='\t'.join('c%d' % i for i in range(5)), comments='')
np.loadtxt(os.path.join(d, 'h.tsv'), delimiter='\t', skiprows=1).astype('<f8').tofile(os.path.join(d, 'h.tsv.bin'))
with open(os.path.join(d, 'm.csv'), 'w') as f:
    f.write('x,y,z\n1,,3\nnan,2.5,\n-inf,4,5e3\n')
np.genfromtxt(os.path.join(d, 'm.csv'), delimiter=',', skip_header=1).astype('<f8').tofile(os.path.join(d, 'm.csv.bin'))
`;
  const r = spawnSync('python3', ['-c', py, dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  for (const [name, rows, cols] of [['g.csv', 57, 13], ['h.tsv', 57, 5], ['m.csv', 3, 3]] as const) {
    const b = readFileSync(join(dir, name + '.bin'));
    const exp = new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
    const got = await load(join(dir, name), { readBufferBytes: 997 });
    assert.deepEqual([got.h.rows, got.h.cols], [rows, cols], name);
    assert.equal(firstDifference(got.values, exp), -1, name);
  }
});

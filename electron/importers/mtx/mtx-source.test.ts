// Every file of the shared Matrix Market test set: ok rows load with the right shape/nnz and values
// bit-identical to scipy.io.mmread; error rows are refused with an InputError naming file and line.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../matrix-source';
import { openMtx } from './mtx-source';
import { bits, collect, type Collected } from './mtx-test-helpers';
import { SHARED_TESTDATA } from '../../test-support/testdata';

const DIR = `${SHARED_TESTDATA}/mtx`;
interface Row { file: string; format: string; field: string; symmetry: string; rows: number; cols: number; nnz: number; expected: string }
const MANIFEST: Row[] = readFileSync(join(DIR, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => {
  const c = l.split('\t');
  return { file: c[0], format: c[5], field: c[6], symmetry: c[7], rows: +c[8], cols: +c[9], nnz: +c[10], expected: c[13] };
});
const OK = MANIFEST.filter((r) => r.expected.startsWith('ok'));
const BAD = MANIFEST.filter((r) => r.expected.startsWith('error'));

async function load(file: string, readSize?: number): Promise<Collected> {
  return collect(await openMtx(join(DIR, file), { readSize }));
}

function checkShape(r: Row, got: Collected): void {
  const h = got.header;
  assert.equal(h.rows, r.rows, `${r.file} rows`);
  assert.equal(h.cols, r.cols, `${r.file} cols`);
  assert.equal(h.info.format, 'mtx');
  assert.deepEqual(h.info.mtx, { format: r.format.toLowerCase(), field: r.field.toLowerCase(), symmetry: r.symmetry.toLowerCase() });
  assert.equal(h.dtype, r.field.toLowerCase() === 'complex' ? 'c16' : 'f8');
  if (h.kind === 'sparse') {
    assert.equal(got.rows.length, r.nnz, `${r.file} entries emitted`);
    assert.equal(h.entries, r.nnz, `${r.file} header.entries`);
  } else {
    const { re, im } = got.dense!;
    let nz = 0;
    for (let k = 0; k < re.length; k++) if (re[k] !== 0 || im[k] !== 0) nz++;
    assert.equal(nz, r.nnz, `${r.file} nonzeros`);
  }
}

test('MANIFEST ok files load with the expected shape and nnz', async () => {
  assert.ok(OK.length > 50);
  for (const r of OK) checkShape(r, await load(r.file));
});

test('MANIFEST error files are refused with a readable InputError', async () => {
  assert.ok(BAD.length > 15);
  for (const r of BAD) {
    await assert.rejects(load(r.file), (e: unknown) => {
      assert.ok(e instanceof InputError, `${r.file}: ${String(e)}`);
      assert.ok(e.message.startsWith(join(DIR, r.file)), e.message);
      assert.ok(e.line !== undefined && e.line >= 1, `${r.file} names a line: ${e.message}`);
      assert.ok(!/\bat \w+ \(/.test(e.message), 'no stack in message');
      return true;
    }, r.file);
  }
});

test('error messages say what was wrong', async () => {
  const msg = async (f: string) => { try { await load(f); } catch (e) { return (e as Error).message; } return ''; };
  assert.match(await msg('fmm-invalid-invalid_bad_value.mtx'), /:3: value "not_a_double" is not a number/);
  assert.match(await msg('fmm-invalid-invalid_indices_out_of_range_2.mtx'), /:6: column index 2000 is out of range 1\.\.7/);
  assert.match(await msg('lagraph-mangled13.mtx'), /:7: column index 9999 is out of range 1\.\.4/);
  assert.match(await msg('sprs-bad-not_enough_entries.mm'), /ends after 8 of the 13 entries/);
  assert.match(await msg('fmm-invalid-invalid_truncated_line_2.mtx'), /:5: truncated entry/);
  assert.match(await msg('fmm-invalid-invalid_dimensions_out_of_range_1.mtx'), /:3: size line: number of rows can't be negative/);
  assert.match(await msg('fmm-invalid-invalid_vector_array_too_long.mtx'), /"vector" objects are not supported/);
  assert.match(await msg('lagraph-mangled_format.mtx'), /"array pattern" is not a valid combination/);
});

test('tokens split across reads: tiny read sizes give identical results', async () => {
  for (const r of OK) {
    const ref = await load(r.file);
    const size = statSync(join(DIR, r.file)).size;
    // every split position for small files; a few odd sizes for bigger ones (1-byte reads are slow)
    for (const rs of size < 3000 ? [1, 7] : size < 20000 ? [13, 101] : [509]) {
      const got = await load(r.file, rs);
      assert.deepEqual(got.header, ref.header, `${r.file} @${rs}`);
      assert.deepEqual(got.rows, ref.rows); assert.deepEqual(got.cols, ref.cols);
      assert.deepEqual(got.re.map(bits), ref.re.map(bits)); assert.deepEqual(got.im.map(bits), ref.im.map(bits));
      if (ref.dense) assert.deepEqual(got.dense, ref.dense);
    }
  }
});

test('scanSparse twice emits the same entries in the same order', async () => {
  const src = await openMtx(join(DIR, 'ginkgo-1138_bus.mtx'), { chunkSize: 100 });
  const a = await collect(src), b = await collect(src);
  assert.deepEqual(a.rows, b.rows); assert.deepEqual(a.cols, b.cols); assert.deepEqual(a.re, b.re);
});

const PY = String.raw`
import sys, os, numpy as np, scipy.io
out = sys.argv[1]
for k, name in enumerate(sys.stdin.read().split()):
    m = scipy.io.mmread(name)
    if hasattr(m, 'tocoo'):
        m = m.tocoo()
        arrs = [m.row.astype('<i8'), m.col.astype('<i8'), np.real(m.data).astype('<f8'), np.imag(m.data).astype('<f8') if np.iscomplexobj(m.data) else np.zeros(m.nnz, '<f8')]
    else:
        a = np.asarray(m)
        arrs = [np.real(a).astype('<f8').ravel(order='F'), (np.imag(a) if np.iscomplexobj(a) else np.zeros(a.shape)).astype('<f8').ravel(order='F')]
    with open(os.path.join(out, '%d.bin' % k), 'wb') as f:
        for x in arrs: f.write(np.ascontiguousarray(x).tobytes())
`;

test('values are bit-identical to scipy.io.mmread', async (t) => {
  const probe = spawnSync('python3', ['-c', 'import scipy.io, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) { t.skip('python3 with scipy is not available'); return; }
  const tmp = mkdtempSync(join(tmpdir(), 'mtx-scipy-'));
  try {
    const py = spawnSync('python3', ['-c', PY, tmp], { input: OK.map((r) => join(DIR, r.file)).join('\n'), encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    for (let k = 0; k < OK.length; k++) {
      const r = OK[k];
      const got = await load(r.file);
      const raw = readFileSync(join(tmp, `${k}.bin`));
      const f = new Float64Array(raw.buffer, raw.byteOffset, raw.length / 8);
      if (got.dense) {
        const n = got.header.rows * got.header.cols;
        assert.equal(f.length, 2 * n, r.file);
        for (let i = 0; i < n; i++) {
          assert.equal(bits(got.dense.re[i]), bits(f[i]), `${r.file} re[${i}]`);
          assert.equal(bits(got.dense.im[i]), bits(f[n + i]), `${r.file} im[${i}]`);
        }
        continue;
      }
      const n = f.length / 4;
      const i64 = new BigInt64Array(raw.buffer, raw.byteOffset, 2 * n);
      const key = (row: number, col: number, re: number, im: number) => `${row},${col},${bits(re)},${bits(im)}`;
      const theirs = Array.from({ length: n }, (_, e) => key(Number(i64[e]), Number(i64[n + e]), f[2 * n + e], f[3 * n + e])).sort();
      const ours = got.rows.map((row, e) => key(row, got.cols[e], got.re[e], got.im[e])).sort();
      assert.deepEqual(ours, theirs, r.file);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('worker-thread parsing emits the same entries and the same errors as the single-threaded path', async () => {
  // (each parallel scan starts its workers, which is slow from TS sources: keep the list short)
  const files = ['cudasamples-gr_900_900_crg.mtx', 'ss-Matrix-arrowc.mtx'];
  for (const f of files) {
    const one = await collect(await openMtx(join(DIR, f), { workers: 0 }));
    const par = await collect(await openMtx(join(DIR, f), { workers: 2, parallelMinBytes: 0, readSize: 997, chunkSize: 1000 }));
    assert.deepEqual(par.header, one.header, f);
    assert.deepEqual(par.rows, one.rows, f); assert.deepEqual(par.cols, one.cols, f);
    assert.deepEqual(par.re.map(bits), one.re.map(bits), f); assert.deepEqual(par.im.map(bits), one.im.map(bits), f);
  }
  const bad = ['fmm-invalid-invalid_bad_value.mtx', 'lagraph-mangled13.mtx', 'fmm-invalid-invalid_truncated_line_2.mtx', 'sprs-bad-not_enough_entries.mm'];
  for (const r of BAD.filter((x) => bad.includes(x.file))) {
    const err = async (o: object) => { try { await collect(await openMtx(join(DIR, r.file), o)); } catch (e) { return (e as Error).message; } return 'no error'; };
    assert.equal(await err({ workers: 2, parallelMinBytes: 0, readSize: 16 }), await err({ workers: 0 }), r.file);
  }
});

/** The error message of reading `file` with options `o`, or 'no error'. */
async function errorOf(file: string, o: object): Promise<string> {
  try { await collect(await openMtx(file, o)); } catch (e) { return (e as Error).message; }
  return 'no error';
}
/** Worker threads on every file, in small runs. */
const PARALLEL = { workers: 2, parallelMinBytes: 0, readSize: 97 };

test('array files: worker-thread parsing emits the same column runs, values and errors as the single-threaded path', async () => {
  const arrays = MANIFEST.filter((r) => r.format.toLowerCase() === 'array');
  assert.ok(arrays.filter((r) => r.expected.startsWith('ok')).length >= 10);
  for (const r of arrays) {
    const file = join(DIR, r.file);
    if (r.expected.startsWith('error')) { assert.equal(await errorOf(file, PARALLEL), await errorOf(file, { workers: 0 }), r.file); continue; }
    const one = await collect(await openMtx(file, { workers: 0 }));
    const par = await collect(await openMtx(file, PARALLEL));
    assert.deepEqual(par.header, one.header, r.file);
    assert.deepEqual(par.runs, one.runs, r.file);
    assert.deepEqual(Array.from(par.dense!.re, bits), Array.from(one.dense!.re, bits), r.file);
    assert.deepEqual(Array.from(par.dense!.im, bits), Array.from(one.dense!.im, bits), r.file);
  }
});

/** Files the tests below write (distinct names), removed at the end. */
const dir = mkdtempSync(join(tmpdir(), 'mtx-source-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('array files: bad values, too many or too few values give the same error, same line, on worker threads', async () => {
  const values = Array.from({ length: 400 }, (_, k) => (k % 17 === 3 ? `% note ${k}\n\n` : '') + `${(k * 0.37 - 50).toPrecision(17)}\n`);
  const head = (kind: string, n: number) => `%%MatrixMarket matrix array ${kind}\n${n} ${n}\n`;
  const cases: [string, string, RegExp][] = [
    ['bad.mtx', head('real general', 20) + values.slice(0, 250).join('') + '1.5x\n' + values.slice(250).join(''), /:\d+: value "1\.5x" is not a number/],
    ['many.mtx', head('real general', 19) + values.join(''), /:\d+: more values than the 361 a 19 x 19 general array holds/],
    ['few.mtx', head('real general', 21) + values.join('') + '% trailing\n\n', /:\d+: file ends after 400 of the 441 values/],
    ['sym-many.mtx', head('real symmetric', 27) + values.join(''), /more values than the 378/],
    ['skew-few.mtx', head('real skew-symmetric', 30) + values.join(''), /file ends after 400 of the 435 values/],
    ['complex-half.mtx', head('complex hermitian', 4) + '1 2\n3 4\n5\n6 7\n', /:5: truncated entry: the imaginary part is missing/],
    ['int.mtx', head('integer general', 20) + values.slice(0, 300).map((v) => v.replace(/\.\d+/, '')).join('') + '2.5\n', /value "2\.5" is not an integer/],
    ['two.mtx', head('real general', 20) + values.slice(0, 100).join('') + '1 2\n', /unexpected "2" after the entry \(an array real line holds one value\)/],
  ];
  for (const [name, text, re] of cases) {
    const file = join(dir, name);
    writeFileSync(file, text);
    const one = await errorOf(file, { workers: 0 });
    assert.match(one, re, name);
    assert.equal(await errorOf(file, PARALLEL), one, name);
    assert.equal(await errorOf(file, { ...PARALLEL, readSize: 4096 }), one, name);
  }
});

test('a line too long is refused with its own line number, on worker threads as on the calling thread', async () => {
  const long = '1'.repeat(3000) + '\n';
  const coord = Array.from({ length: 300 }, (_, k) => `${(k % 40) + 1} ${(k % 37) + 1} ${k * 0.5}\n`);
  const vals = Array.from({ length: 300 }, (_, k) => `${k * 0.25}\n`);
  const cases: [string, string, string][] = [
    // header, comment and size lines come first: the long line is line 3 + 2 + 250 + 1
    ['coord.mtx', '%%MatrixMarket matrix coordinate real general\n% a comment\n%\n40 40 400\n' + coord.slice(0, 251).join('') + long + coord.slice(251).join(''), ':256: line 256 is too long (no line break within 1024 bytes)'],
    ['array.mtx', '%%MatrixMarket matrix array real general\n% a comment\n20 20\n' + vals.slice(0, 200).join('') + long + vals.slice(200).join(''), ':204: line 204 is too long (no line break within 1024 bytes)'],
  ];
  for (const [name, text, want] of cases) {
    const file = join(dir, name);
    writeFileSync(file, text);
    const one = await errorOf(file, { workers: 0, maxLine: 1024, readSize: 64 });
    assert.ok(one.endsWith(want), `${name}: ${one}`);
    for (const readSize of [64, 500]) assert.equal(await errorOf(file, { ...PARALLEL, maxLine: 1024, readSize }), one, `${name}, reads of ${readSize}`);
  }
});

test('array files on worker threads: progress reaches the file size; cancellation stops the scan', async () => {
  const file = join(dir, 'a.mtx');
  writeFileSync(file, `%%MatrixMarket matrix array complex general\n60 50\n${Array.from({ length: 3000 }, (_, k) => `${k / 7} ${-k}\n`).join('')}`);
  const src = await openMtx(file, { ...PARALLEL, readSize: 4096 });
  let last = 0, total = -1;
  await src.scanDense!({ rowRun() {}, colRun() {} }, { onBytes: (d, t) => { assert.ok(d >= last); last = d; total = t; } });
  assert.equal(last, total);
  const ac = new AbortController();
  await assert.rejects(src.scanDense!({ rowRun() {}, colRun() { ac.abort(); } }, { signal: ac.signal }), { name: 'CancelledError' });
});

test('worker threads read the file the scan opened, even when its path is replaced during the scan', async () => {
  const file = join(dir, 'm.mtx');
  const body = (f: number) => Array.from({ length: 3000 }, (_, k) => `${(k % 50) + 1} ${(k % 47) + 1} ${k * f}\n`).join('');
  writeFileSync(file, `%%MatrixMarket matrix coordinate real general\n50 50 3000\n${body(0.5)}`);
  const src = await openMtx(file, { ...PARALLEL, readSize: 4096 });
  await src.header();
  const re: number[] = [];
  let replaced = false;
  await src.scanSparse!({
    entries(c) {
      if (!replaced) { // as an editor saves: a new file renamed over the old one
        writeFileSync(`${file}.new`, `%%MatrixMarket matrix coordinate real general\n50 50 3000\n${body(-1)}`);
        renameSync(`${file}.new`, file);
        replaced = true;
      }
      for (let i = 0; i < c.length; i++) re.push(c.re[i]);
    },
  });
  assert.ok(replaced);
  assert.deepEqual(re, Array.from({ length: 3000 }, (_, k) => k * 0.5));
});

// Column queries of dense stores with a column-major copy (values-by-column.npy), both source modes:
// the same answers bit for bit as the row-major path (exact, sub-range, envelopes), read from the copy,
// on fixtures of every kind of dtype and on stores the real builder made from the shared test files.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { SliceRequest } from '../../shared/queries';
import type { StoreDtype } from '../../shared/store-manifest';
import { convertToStore } from '../store/convert';
import { SHARED_TESTDATA } from '../test-support/testdata';
import { openNpyArray } from './npy-array';
import { openEngine, type SourceMode } from './open-engine';
import { writeFixtureStore } from './test-fixtures';

const MODES: SourceMode[] = ['mapped', 'paged'];
process.env.MATRIX_EXPLORER_NO_FSYNC = '1';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-colcopy-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function values(n: number, seed: number, ints?: [number, number]): number[] {
  let s = seed >>> 0;
  const r = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
  return Array.from({ length: n }, (_, k) => {
    if (ints) return ints[0] + Math.floor(r() * (ints[1] - ints[0] + 1));
    return k % 17 === 3 ? NaN : k % 23 === 5 ? Infinity : k % 31 === 7 ? -Infinity : (r() - 0.5) * 1e3;
  });
}

/** The column requests compared: whole, sub-range, envelopes of whole and sub-range. */
const requests = (rows: number, j: number): SliceRequest[] => [
  { index: j }, { index: j, start: 1, end: rows - 2 }, { index: j, points: 5 }, { index: j, start: 3, end: rows, points: 4 },
];

const CASES: [string, StoreDtype, number, number, (n: number) => number[]][] = [
  ['f4', 'f4', 37, 53, n => values(n, 1)],
  ['f8', 'f8', 20, 30, n => values(n, 2)],
  ['i2', 'i2', 33, 17, n => values(n, 3, [-300, 300])],
  ['u1', 'u1', 16, 16, n => values(n, 4, [0, 255])],
  ['c16', 'c16', 9, 11, n => values(2 * n, 5)],
  ['c8', 'c8', 10, 7, n => values(2 * n, 6)],
];

test('columns from the column copy equal the row-major path bit for bit (exact, sub-range, envelopes), both modes', async () => {
  for (const [name, dtype, rows, cols, gen] of CASES) {
    const dense = gen(rows * cols);
    const withCopy = writeFixtureStore(tmp, `${name}-copy`, { dtype, rows, cols, dense, columnCopy: true, levels: [2] });
    const without = writeFixtureStore(tmp, `${name}-rows`, { dtype, rows, cols, dense, levels: [2] });
    assert.equal(withCopy.manifest.files.valuesByColumn, 'values-by-column.npy');
    for (const mode of MODES) {
      const a = await openEngine(withCopy.storePath, { mode }), b = await openEngine(without.storePath, { mode });
      try {
        for (let j = 0; j < cols; j++) {
          for (const req of requests(rows, j)) {
            assert.deepEqual(await a.query('col', req), await b.query('col', req), `${name} ${mode} col ${JSON.stringify(req)}`);
          }
        }
      } finally { await a.close(); await b.close(); }
    }
  }
});

test('the column query reads the copy: with values.npy zeroed, columns still answer the matrix and rows answer zeros', async () => {
  const rows = 25, cols = 19;
  const dense = values(rows * cols, 7);
  const { storePath } = writeFixtureStore(tmp, 'proof', { dtype: 'f8', rows, cols, dense, columnCopy: true, levels: [2] });
  const file = path.join(storePath, 'values.npy');
  const buf = fs.readFileSync(file);
  buf.fill(0, buf.length - rows * cols * 8);
  fs.writeFileSync(file, buf);
  for (const mode of MODES) {
    const e = await openEngine(storePath, { mode });
    try {
      const col = await e.query('col', { index: 4 });
      assert.deepEqual(Array.from(col.values!), Array.from({ length: rows }, (_, i) => dense[i * cols + 4]));
      assert.deepEqual(Array.from((await e.query('row', { index: 2 })).values!), new Array(cols).fill(0));
    } finally { await e.close(); }
  }
});

test('stores converted from shared test files (C- and Fortran-order .npy, dense .mtx): every column from the copy equals values.npy\'s column', async t => {
  const files = ['npy/npyio-data_int32_2x3_forder.npy', 'npy/npyjs-65x65-int8.npy', 'npy/npyjs-65x65-float16.npy', 'npy/kaldi-float_matrix_big_endian.npy']
    .map(f => path.join(SHARED_TESTDATA, f)).filter(f => fs.existsSync(f));
  // dense (array) Matrix Market files the test data lists as valid
  const mtxList = path.join(SHARED_TESTDATA, 'mtx', 'MANIFEST.tsv');
  if (fs.existsSync(mtxList)) {
    const [head, ...lines] = fs.readFileSync(mtxList, 'utf8').trim().split('\n');
    const col = head.split('\t').indexOf('expected');
    for (const l of lines) {
      const f = l.split('\t'), file = path.join(SHARED_TESTDATA, 'mtx', f[0]);
      if (/^ok/.test(f[col]) && /^%%MatrixMarket\s+matrix\s+array\s/i.test(fs.readFileSync(file, 'latin1').slice(0, 200))) files.push(file);
    }
  }
  if (files.length === 0) { t.skip('no shared test data'); return; }
  let checked = 0, fortran = 0;
  for (const file of files) {
    const { storePath, manifest } = await convertToStore(file, { out: tmp });
    if (manifest.kind !== 'dense') continue;
    assert.ok(manifest.files.valuesByColumn, `${file}: the store has a column copy`);
    if (manifest.source.npy?.fortranOrder) fortran++;
    const [rows, cols] = manifest.shape;
    for (const mode of MODES) {
      const e = await openEngine(storePath, { mode });
      const v = openNpyArray(path.join(storePath, manifest.files.values!), mode);
      try {
        for (let j = 0; j < cols; j++) {
          const raw = v.gather(j, cols, rows);
          const expected = manifest.dtype === 'c8' || manifest.dtype === 'c16'
            ? Array.from({ length: rows }, (_, i) => Math.hypot(raw[2 * i], raw[2 * i + 1]))
            : Array.from(raw);
          const got = Array.from((await e.query('col', { index: j })).values!);
          if (manifest.dtype === 'c8') assert.ok(got.every((x, i) => Math.abs(x - expected[i]) <= 1e-6 * Math.max(1, expected[i])), `${file} ${mode} col ${j}`);
          else assert.deepEqual(got, expected, `${file} ${mode} col ${j}`);
        }
      } finally { v.close(); await e.close(); }
    }
    checked++;
  }
  assert.ok(checked >= 4, `checked ${checked} dense stores`);
  assert.ok(fortran >= 1, 'a Fortran-order source was among them');
});

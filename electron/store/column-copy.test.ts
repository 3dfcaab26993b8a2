// The dense store's column-major copy (values-by-column.npy): a Fortran-order .npy holding exactly the
// bytes of values.npy transposed, for every dtype, C and Fortran sources, one band or many, after
// mirroring; listed in the manifest and checked on open; left out on request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DTYPE_BYTES, type StoreDtype } from '../../shared/store-manifest';
import { buildStore, type ConvertOptions } from './convert';
import { VALUES_BY_COLUMN } from './column-copy';
import { ColumnCopyTask } from './column-copy-task';
import { CancelledError } from '../importers/matrix-source';
import { fakeDenseSource, type FakeDense } from './fake-sources';
import { fingerprint } from './fingerprint';
import { parseNpyHeader } from './npy-header';
import { StoreCorruptError, readStoreManifest } from './open-store';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mx-colcopy-test-'));
test.after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
let seq = 0;

async function build(m: FakeDense, options: ConvertOptions = {}) {
  const dir = path.join(tmpRoot, `t${seq++}`);
  fs.mkdirSync(dir);
  const src = path.join(dir, 'src.npy');
  fs.writeFileSync(src, 'fake source');
  return buildStore(fakeDenseSource(src, m), path.join(dir, 'out.mxstore'), fingerprint(src), options);
}

function npy(file: string) {
  const buf = fs.readFileSync(file);
  const h = parseNpyHeader(buf);
  return { h, data: buf.subarray(h.dataOffset) };
}

/** The column-major copy's data must be values.npy's elements (raw bytes) in column-major order. */
function assertTransposed(storePath: string, rows: number, cols: number, dtype: StoreDtype): void {
  const eb = DTYPE_BYTES[dtype];
  const v = npy(path.join(storePath, 'values.npy')), c = npy(path.join(storePath, VALUES_BY_COLUMN));
  assert.equal(c.h.fortranOrder, true);
  assert.deepEqual(c.h.shape, [rows, cols]);
  assert.equal(c.h.descr, v.h.descr);
  assert.equal(c.h.dataOffset % 64, 0);
  assert.equal(c.data.length, v.data.length);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const a = v.data.subarray((i * cols + j) * eb, (i * cols + j + 1) * eb), b = c.data.subarray((j * rows + i) * eb, (j * rows + i + 1) * eb);
      if (!a.equals(b)) assert.fail(`element (${i}, ${j}): values ${a.toString('hex')}, copy ${b.toString('hex')}`);
    }
  }
}

const values = (n: number, seed: number) => Array.from({ length: n }, (_, k) => (k % 13 === 0 ? NaN : k % 29 === 0 ? -Infinity : Math.round(Math.sin(k * seed) * 1e4) / 8));

test('the column copy holds values.npy transposed: every dtype, C and Fortran sources, one band and many', async () => {
  const R = 157, C = 91;
  const re = values(R * C, 1), im = values(R * C, 2);
  const ints = re.map((x, k) => (Number.isFinite(x) ? Math.round(x) % 120 : k % 100));
  const cases: [StoreDtype, number[], number[] | undefined][] = [
    ['f8', re, undefined], ['f4', re, undefined], ['c16', re, im], ['c8', re, im], ['i2', ints, undefined], ['u1', ints.map(Math.abs), undefined], ['i4', ints, undefined],
  ];
  for (const [dtype, r, i] of cases) {
    for (const order of ['C', 'F'] as const) {
      // a budget this small makes bands of a few rows: many writes per column
      for (const budget of [undefined, 8 * C * DTYPE_BYTES[dtype] * 5]) {
        const s = await build({ rows: R, cols: C, dtype, re: r, im: i, order, run: 17 }, { memoryBudget: budget });
        assert.equal(s.manifest.files.valuesByColumn, VALUES_BY_COLUMN);
        assert.equal(s.manifest.sizes[VALUES_BY_COLUMN], fs.statSync(path.join(s.storePath, VALUES_BY_COLUMN)).size);
        assertTransposed(s.storePath, R, C, dtype);
      }
    }
  }
});

test('the column copy is written after mirroring symmetric matrices, and for 1×n and n×1', async () => {
  const n = 40;
  const sym = Array.from({ length: n * n }, (_, k) => { const i = Math.floor(k / n), j = k % n; return i >= j ? i * 100 + j : j * 100 + i; });
  const s = await build({ rows: n, cols: n, dtype: 'f8', re: sym, order: 'C', symmetry: 'symmetric' }, { memoryBudget: 8 * n * 8 * 3 });
  assertTransposed(s.storePath, n, n, 'f8');
  const c = npy(path.join(s.storePath, VALUES_BY_COLUMN)).data;
  assert.equal(c.readDoubleLE((5 * n + 30) * 8), 30 * 100 + 5); // column 5, row 30: mirrored from the lower triangle
  for (const [rows, cols] of [[1, 33], [33, 1]]) {
    const t = await build({ rows, cols, dtype: 'f4', re: values(33, 3), order: 'C' });
    assertTransposed(t.storePath, rows, cols, 'f4');
  }
});

test('columnCopy: false writes no copy; the store opens without one', async () => {
  const s = await build({ rows: 20, cols: 30, dtype: 'f8', re: values(600, 4), order: 'C' }, { columnCopy: false });
  assert.equal(s.manifest.files.valuesByColumn, undefined);
  assert.equal(fs.existsSync(path.join(s.storePath, VALUES_BY_COLUMN)), false);
  assert.deepEqual(Object.keys(s.manifest.sizes).filter(f => !f.startsWith('pyramid/')), ['values.npy']);
  await readStoreManifest(s.storePath);
});

test('a truncated, missing or C-order column copy is refused on open', async () => {
  const make = async () => (await build({ rows: 20, cols: 30, dtype: 'f8', re: values(600, 5), order: 'C' })).storePath;
  let s = await make();
  const file = (st: string) => path.join(st, VALUES_BY_COLUMN);
  fs.truncateSync(file(s), 1000);
  await assert.rejects(readStoreManifest(s), (e: Error) => e instanceof StoreCorruptError && /values-by-column\.npy is 1000 bytes, expected 4928; delete it and convert again/.test(e.message));
  s = await make();
  fs.rmSync(file(s));
  await assert.rejects(readStoreManifest(s), /values-by-column\.npy is missing/);
  s = await make();
  const buf = fs.readFileSync(file(s));
  buf.write("'fortran_order': False", buf.indexOf("'fortran_order': True"), 'latin1');
  fs.writeFileSync(file(s), buf);
  await assert.rejects(readStoreManifest(s), /values-by-column\.npy holds <f8 \[20,30\], expected <f8 \[20,30\] \(Fortran order\)/);
});

test('cancelled while the column copy is written on its worker: the worker stops, nothing is left', async () => {
  const dir = path.join(tmpRoot, `t${seq++}`);
  fs.mkdirSync(dir);
  const src = path.join(dir, 'src.npy');
  fs.writeFileSync(src, 'fake source');
  const ac = new AbortController();
  const m: FakeDense = { rows: 600, cols: 500, dtype: 'f8', re: values(300_000, 6), order: 'C' };
  // A small budget: many bands, so the worker is still copying when the pyramid pass starts and is cancelled.
  const p = buildStore(fakeDenseSource(src, m), path.join(dir, 'out.mxstore'), fingerprint(src), {
    memoryBudget: 256 * 1024, signal: ac.signal, onProgress: pr => { if (pr.phase === 'pyramid') ac.abort(); },
  });
  await assert.rejects(p, CancelledError);
  assert.deepEqual(fs.readdirSync(dir), ['src.npy']);
});

test('a column copy that fails on its worker fails the build with the error and its code', async () => {
  const task = new ColumnCopyTask({ dir: tmpRoot, valuesPath: path.join(tmpRoot, 'no-such-values.npy'), valuesDataOffset: 128, rows: 2, cols: 2, dtype: 'f8', bytes: 1024 });
  await assert.rejects(task.finish({ dir: tmpRoot, budget: 4096, progress: () => {} }), (e: NodeJS.ErrnoException) => e.code === 'ENOENT' && /no-such-values\.npy/.test(e.message));
});

// The pyramid builder on dense rows: every level equals a direct aggregation of the data (integer values,
// so sums are exact in any order), empty cells hold NaN, and any split of the rows into calls (as the
// dense builder's chunks fall) writes the same bytes. Its WebAssembly kernel writes the same bytes as its
// JS loops: on random float data full of NaN, ±Infinity, -0, ties and overflowing sums, over shapes that
// leave odd and partial cells, in any split into calls, with rows in the kernel's buffer or not; and on
// the shared test files' matrices as the dense conversion stores them. The compiled kernel is its
// .wat source's.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { StoreDtype } from '../../shared/store-manifest';
import { SHARED_TESTDATA } from '../test-support/testdata';
import { convertToStore } from './convert';
import { decodeMagnitudes } from './dtype-codec';
import { PyramidBuilder, planPyramid } from './pyramid';

process.env.MATRIX_EXPLORER_NO_FSYNC = '1';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pyramid-test-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
}

/**
 * Integer values with NaN, ±Infinity, -0 and a band of all-NaN rows; with `floats`, float32-rounded
 * values of many magnitudes, +0, small integers (ties) and ±1e308 (sums that overflow) too.
 */
function matrix(rows: number, cols: number, seed: number, floats = false): Float64Array {
  const r = rng(seed);
  const v = new Float64Array(rows * cols);
  for (let k = 0; k < v.length; k++) {
    const t = r();
    v[k] = t < 0.02 ? NaN : t < 0.03 ? Infinity : t < 0.04 ? -Infinity : t < 0.06 ? -0 : !floats ? Math.floor(r() * 2001) - 1000
      : t < 0.15 ? 0 : t < 0.17 ? (r() < 0.5 ? 1e308 : -1e308) : t < 0.3 ? Math.floor(r() * 5) - 2
      : Math.fround((r() - 0.5) * 10 ** Math.floor(r() * 12 - 4));
  }
  v.fill(NaN, 9 * cols, 17 * cols);
  return v;
}

/**
 * Feeds rows in calls of the given sizes (cycled), each from an offset into a bigger buffer (the
 * kernel's, with `inKernel`); returns the files' bytes. `simd: false` keeps to the JS loops.
 */
function build(dir: string, rows: number, cols: number, v: Float64Array, sizes: number[], opts: { simd?: boolean; inKernel?: boolean } = {}): { bytes: Map<string, Buffer>; levels: { block: number; rows: number; cols: number; files: Record<string, string> }[] } {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const p = new PyramidBuilder(dir, rows, cols, planPyramid(rows, cols, 'dense', 0), { simd: opts.simd });
  const kernelBuf = opts.inKernel ? p.rowsBuffer((Math.max(...sizes) + 2) * cols) : undefined;
  for (let r0 = 0, k = 0; r0 < rows; k++) {
    const n = Math.min(rows - r0, sizes[k % sizes.length]);
    const off = (k % 3) * cols;
    const buf = kernelBuf ?? new Float64Array(off + n * cols);
    buf.set(v.subarray(r0 * cols, (r0 + n) * cols), off);
    p.denseRows(r0, n, buf, off);
    r0 += n;
  }
  const { levels, sizes: fileSizes } = p.finish();
  const bytes = new Map<string, Buffer>();
  for (const f of Object.keys(fileSizes)) bytes.set(f, fs.readFileSync(path.join(dir, f)));
  return { bytes, levels };
}

const npyData = (b: Buffer, ctor: Float32ArrayConstructor | Uint32ArrayConstructor) => {
  const off = b.readUInt16LE(8) + 10;
  return new ctor(new Uint8Array(b.subarray(off)).buffer);
};

test('dense pyramid: every level equals direct aggregation; any split into calls writes the same bytes', () => {
  const rows = 1061, cols = 1030; // levels 4, 8 (1061/8 = 133 ≤ 256); the last cells are partial
  const v = matrix(rows, cols, 5);
  const one = build(path.join(tmp, 'a'), rows, cols, v, [1]);
  assert.deepEqual(one.levels.map(l => l.block), [4, 8]);
  for (const sizes of [[rows], [209], [3, 7, 1, 13], [4]]) {
    const other = build(path.join(tmp, 'b'), rows, cols, v, sizes);
    for (const [f, b] of one.bytes) assert.ok(b.equals(other.bytes.get(f)!), `${f} differs when rows come in calls of ${sizes}`);
  }
  for (const L of one.levels) {
    const B = L.block;
    const mn = npyData(one.bytes.get(L.files.min)!, Float32Array), mx = npyData(one.bytes.get(L.files.max)!, Float32Array);
    const sm = npyData(one.bytes.get(L.files.sum)!, Float32Array), ct = npyData(one.bytes.get(L.files.count)!, Uint32Array);
    assert.equal(ct.length, L.rows * L.cols);
    for (let a = 0; a < L.rows; a++) for (let b = 0; b < L.cols; b++) {
      let lo = Infinity, hi = -Infinity, s = 0, c = 0;
      for (let i = a * B; i < Math.min(rows, (a + 1) * B); i++) for (let j = b * B; j < Math.min(cols, (b + 1) * B); j++) {
        const x = v[i * cols + j];
        if (!Number.isFinite(x)) continue;
        c++; s += x; lo = Math.min(lo, x); hi = Math.max(hi, x);
      }
      const k = a * L.cols + b, at = `block ${B} cell (${a}, ${b})`;
      assert.equal(ct[k], c, `${at}: count`);
      if (c === 0) { assert.ok(Number.isNaN(mn[k]) && Number.isNaN(mx[k]) && Number.isNaN(sm[k]), `${at}: empty cell is NaN`); continue; }
      assert.ok(mn[k] === lo && mx[k] === hi && sm[k] === s, `${at}: ${mn[k]}, ${mx[k]}, ${sm[k]} vs ${lo}, ${hi}, ${s}`);
    }
  }
});

function assertSameFiles(want: Map<string, Buffer>, got: Map<string, Buffer>, what: string): void {
  assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), `${what}: the same files`);
  for (const [f, b] of want) assert.ok(b.equals(got.get(f)!), `${what}: ${f} differs`);
}

test('pyramid kernel: random data with NaN, ±Infinity, -0 and overflow gives the JS loops\' bytes', () => {
  // cols % 4 = 0..3, odd and even cell counts, rows not a multiple of 4, several levels.
  const shapes: [number, number][] = [[1061, 1030], [300, 1027], [517, 1029], [263, 1024], [1030, 258], [9, 2000]];
  for (const [rows, cols] of shapes) {
    const v = matrix(rows, cols, rows * 31 + cols, true);
    const want = build(path.join(tmp, 'js'), rows, cols, v, [rows], { simd: false }).bytes;
    for (const sizes of [[rows], [1], [3, 7, 1, 13], [64]]) {
      for (const inKernel of [true, false]) {
        const got = build(path.join(tmp, 'simd'), rows, cols, v, sizes, { inKernel }).bytes;
        assertSameFiles(want, got, `${rows}×${cols} in calls of ${sizes}${inKernel ? ' in the kernel buffer' : ''}`);
      }
    }
  }
});

test('pyramid kernel: the shared test files\' matrices, converted dense, give the JS loops\' bytes', async t => {
  if (spawnSync('python3', ['-c', 'import numpy, scipy']).status !== 0) { t.skip('python3 with numpy/scipy not available'); return; }
  const manifest = path.join(SHARED_TESTDATA, 'mtx', 'MANIFEST.tsv');
  if (!fs.existsSync(manifest)) { t.skip('no shared test data'); return; }
  // The real matrices bigger than 256 on a side (smaller ones get block 1, not the kernel's block 4).
  const lines = fs.readFileSync(manifest, 'utf8').trim().split('\n');
  const head = lines[0].split('\t');
  const [fc, rc, cc, ec] = ['field', 'rows', 'cols', 'expected'].map(n => head.indexOf(n));
  const files = lines.slice(1).map(l => l.split('\t'))
    .filter(f => /^ok/.test(f[ec]) && f[fc] !== 'complex' && Math.max(+f[rc], +f[cc]) > 256)
    .map(f => path.join(SHARED_TESTDATA, 'mtx', f[0]));
  assert.ok(files.length >= 3, `real matrices over 256 on a side: ${files.length}`);
  const toNpy = 'import sys, numpy as np, scipy.io\nfor f, o in zip(sys.argv[1::2], sys.argv[2::2]):\n  a = scipy.io.mmread(f)\n  np.save(o, np.asarray(a.toarray() if hasattr(a, "toarray") else a, dtype=np.float64))';
  const npys = files.map(f => path.join(tmp, `${path.basename(f)}.npy`));
  const py = spawnSync('python3', ['-c', toNpy, ...files.flatMap((f, i) => [f, npys[i]])], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  for (const npy of npys) {
    const { storePath, manifest: m } = await convertToStore(npy, { out: path.join(tmp, 'stores') });
    const [rows, cols] = m.shape;
    const stored = new Map<string, Buffer>();
    for (const L of m.pyramid) for (const f of Object.values(L.files)) stored.set(f, fs.readFileSync(path.join(storePath, f)));
    const raw = fs.readFileSync(path.join(storePath, m.files.values!));
    const bytes = new Uint8Array(raw.subarray(raw.length - rows * cols * 8));
    const v = decodeMagnitudes(m.dtype as StoreDtype, bytes, rows * cols);
    assertSameFiles(build(path.join(tmp, 'js'), rows, cols, v, [rows], { simd: false }).bytes, stored, path.basename(npy));
  }
});

test('pyramid kernel: pyramid-kernel.wasm.ts is compiled from pyramid-kernel.wat', () => {
  const r = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'build-wasm.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

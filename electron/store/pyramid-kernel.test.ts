// The pyramid's WebAssembly kernel writes the same bytes as its JS loops: on random float data full of
// NaN, ±Infinity, -0, ties and overflowing sums, over shapes that leave odd and partial cells, in any
// split of the rows into calls, with rows in the kernel's buffer or not; and on the shared test files'
// matrices as the dense conversion stores them. The compiled kernel is its .wat source's.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { convertToStore } from './convert';
import { decodeMagnitudes } from './dtype-codec';
import { PyramidBuilder, planPyramid } from './pyramid';
import { SHARED_TESTDATA } from '../test-support/testdata';
import type { StoreDtype } from '../../shared/store-manifest';

process.env.MATRIX_EXPLORER_NO_FSYNC = '1';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pyramid-kernel-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
}

/** float32-rounded values of many magnitudes, with NaN, ±Infinity, ±0, repeated values and ±1e308 (sums that overflow). */
function matrix(rows: number, cols: number, seed: number): Float64Array {
  const r = rng(seed);
  const v = new Float64Array(rows * cols);
  for (let k = 0; k < v.length; k++) {
    const t = r();
    v[k] = t < 0.01 ? NaN : t < 0.015 ? Infinity : t < 0.02 ? -Infinity : t < 0.1 ? -0 : t < 0.18 ? 0
      : t < 0.2 ? (r() < 0.5 ? 1e308 : -1e308) : t < 0.3 ? Math.floor(r() * 5) - 2
      : Math.fround((r() - 0.5) * 10 ** Math.floor(r() * 12 - 4));
  }
  v.fill(NaN, 5 * cols, 9 * cols);
  return v;
}

/** Builds the pyramid from rows fed in calls of the given sizes (cycled); returns every file's bytes. */
function build(dir: string, rows: number, cols: number, v: Float64Array, sizes: number[], simd: boolean, inKernelBuffer: boolean): Map<string, Buffer> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const p = new PyramidBuilder(dir, rows, cols, planPyramid(rows, cols, 'dense', 0), { simd });
  const most = Math.max(...sizes);
  const buf = inKernelBuffer ? p.rowsBuffer(most * cols) : undefined;
  for (let r0 = 0, k = 0; r0 < rows; k++) {
    const n = Math.min(rows - r0, sizes[k % sizes.length]);
    const chunk = v.subarray(r0 * cols, (r0 + n) * cols);
    if (buf) { buf.set(chunk); p.denseRows(r0, n, buf); } else p.denseRows(r0, n, chunk);
    r0 += n;
  }
  const out = new Map<string, Buffer>();
  for (const f of Object.keys(p.finish().sizes)) out.set(f, fs.readFileSync(path.join(dir, f)));
  return out;
}

function assertSameFiles(want: Map<string, Buffer>, got: Map<string, Buffer>, what: string): void {
  assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), `${what}: the same files`);
  for (const [f, b] of want) assert.ok(b.equals(got.get(f)!), `${what}: ${f} differs`);
}

test('pyramid kernel: random data with NaN, ±Infinity, -0 and overflow gives the JS loops\' bytes', () => {
  // cols % 4 = 0..3, odd and even cell counts, rows not a multiple of 4, several levels.
  const shapes: [number, number][] = [[1061, 1030], [300, 1027], [517, 1029], [263, 1024], [1030, 258], [9, 2000]];
  for (const [rows, cols] of shapes) {
    const v = matrix(rows, cols, rows * 31 + cols);
    const want = build(path.join(tmp, 'js'), rows, cols, v, [rows], false, false);
    for (const sizes of [[rows], [1], [3, 7, 1, 13], [64]]) {
      for (const inKernel of [true, false]) {
        const got = build(path.join(tmp, 'simd'), rows, cols, v, sizes, true, inKernel);
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
  for (const file of files) {
    const npy = path.join(tmp, `${path.basename(file)}.npy`);
    const py = spawnSync('python3', ['-c', 'import sys, numpy as np, scipy.io; a = scipy.io.mmread(sys.argv[1]); a = a.toarray() if hasattr(a, "toarray") else a; np.save(sys.argv[2], np.asarray(a, dtype=np.float64))', file, npy], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const { storePath, manifest: m } = await convertToStore(npy, { out: path.join(tmp, 'stores') });
    const [rows, cols] = m.shape;
    const stored = new Map<string, Buffer>();
    for (const L of m.pyramid) for (const f of Object.values(L.files)) stored.set(f, fs.readFileSync(path.join(storePath, f)));
    const raw = fs.readFileSync(path.join(storePath, m.files.values!));
    const bytes = new Uint8Array(raw.subarray(raw.length - rows * cols * 8));
    const v = decodeMagnitudes(m.dtype as StoreDtype, bytes, rows * cols);
    assertSameFiles(build(path.join(tmp, 'js'), rows, cols, v, [rows], false, false), stored, path.basename(file));
  }
});

test('pyramid kernel: pyramid-kernel.wasm.ts is compiled from pyramid-kernel.wat', () => {
  const r = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'build-wasm.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

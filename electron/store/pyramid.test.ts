// The pyramid builder on dense rows: every level equals a direct aggregation of the data (integer values,
// so sums are exact in any order), empty cells hold NaN, and any split of the rows into calls (as the
// dense builder's chunks fall) writes the same bytes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { PyramidBuilder, planPyramid } from './pyramid';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
}

/** Integer values with NaN, ±Infinity, -0 and a band of all-NaN rows. */
function matrix(rows: number, cols: number, seed: number): Float64Array {
  const r = rng(seed);
  const v = new Float64Array(rows * cols);
  for (let k = 0; k < v.length; k++) {
    const t = r();
    v[k] = t < 0.02 ? NaN : t < 0.03 ? Infinity : t < 0.04 ? -Infinity : t < 0.06 ? -0 : Math.floor(r() * 2001) - 1000;
  }
  v.fill(NaN, 9 * cols, 17 * cols);
  return v;
}

/** Feeds rows in calls of the given sizes (cycled), each from an offset into a bigger buffer; returns the files' bytes. */
function build(dir: string, rows: number, cols: number, v: Float64Array, sizes: number[]): { bytes: Map<string, Buffer>; levels: { block: number; rows: number; cols: number; files: Record<string, string> }[] } {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const p = new PyramidBuilder(dir, rows, cols, planPyramid(rows, cols, 'dense', 0));
  for (let r0 = 0, k = 0; r0 < rows; k++) {
    const n = Math.min(rows - r0, sizes[k % sizes.length]);
    const off = (k % 3) * cols;
    const buf = new Float64Array(off + n * cols);
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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pyramid-test-'));
  process.env.MATRIX_EXPLORER_NO_FSYNC = '1';
  try {
    const rows = 1061, cols = 1030; // levels 4, 8 (1061/8 = 133 ≤ 256); the last cells are partial
    const v = matrix(rows, cols, 5);
    const one = build(path.join(dir, 'a'), rows, cols, v, [1]);
    assert.deepEqual(one.levels.map(l => l.block), [4, 8]);
    for (const sizes of [[rows], [209], [3, 7, 1, 13], [4]]) {
      const other = build(path.join(dir, 'b'), rows, cols, v, sizes);
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
  } finally {
    delete process.env.MATRIX_EXPLORER_NO_FSYNC;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

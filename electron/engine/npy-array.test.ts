// Strided and banded reads of store files give the same elements in both source modes, through every
// read path (mapped views; paged: one read spanning many rows, one read per row or element, reads spread
// over helper threads), for every element kind, odd shapes, edge rows and columns.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { GAP_BYTES, openNpyArray, type ElemKind } from './npy-array';
import { parallelReader } from './parallel-reads';
import { writeNpy } from './test-fixtures';

const DESCR: Record<ElemKind, string> = {
  f8: '<f8', f4: '<f4', i1: '|i1', u1: '|u1', i2: '<i2', u2: '<u2', i4: '<i4', u4: '<u4', i8: '<i8', c8: '<c8', c16: '<c16',
};
const BYTES: Record<ElemKind, number> = { f8: 8, f4: 4, i1: 1, u1: 1, i2: 2, u2: 2, i4: 4, u4: 4, i8: 8, c8: 8, c16: 16 };

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
}

/** Random elements of a kind as raw bytes, and each element's components as numbers. */
function randomElements(kind: ElemKind, n: number, seed: number): { bytes: Uint8Array; parts: Float64Array } {
  const r = rng(seed);
  const comps = kind === 'c8' || kind === 'c16' ? 2 : 1;
  const parts = new Float64Array(n * comps);
  let arr: { [k: number]: number | bigint; buffer: ArrayBufferLike; byteLength: number };
  switch (kind) {
    case 'f8': case 'c16': arr = new Float64Array(n * comps); break;
    case 'f4': case 'c8': arr = new Float32Array(n * comps); break;
    case 'i1': arr = new Int8Array(n); break;
    case 'u1': arr = new Uint8Array(n); break;
    case 'i2': arr = new Int16Array(n); break;
    case 'u2': arr = new Uint16Array(n); break;
    case 'i4': arr = new Int32Array(n); break;
    case 'u4': arr = new Uint32Array(n); break;
    case 'i8': arr = new BigInt64Array(n); break;
  }
  for (let k = 0; k < n * comps; k++) {
    const x = (r() - 0.5) * 2 ** 31;
    if (kind === 'i8') { const v = Math.round(x) * 1000 + (k % 7); arr[k] = BigInt(v); parts[k] = v; } else { arr[k] = x; parts[k] = arr[k] as number; }
  }
  return { bytes: new Uint8Array(arr.buffer, 0, arr.byteLength), parts };
}

let dir = '';
before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npy-array-test-')); });
after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

const KINDS = Object.keys(DESCR) as ElemKind[];

test('gather (a column) and readBand (a rectangle) equal the elements in both modes, all kinds, wide and narrow rows', () => {
  let seed = 1;
  for (const kind of KINDS) {
    const ib = BYTES[kind], comps = kind === 'c8' || kind === 'c16' ? 2 : 1;
    // Narrow rows: paged reads span many rows. Wide rows (more than GAP_BYTES apart): a read per row.
    for (const cols of [7, Math.ceil(GAP_BYTES / ib) + 5]) {
      const rows = 37;
      const { bytes, parts } = randomElements(kind, rows * cols, seed++);
      const file = path.join(dir, `${kind}-${cols}.npy`);
      writeNpy(file, DESCR[kind], [rows, cols], bytes);
      const el = (r: number, c: number, q: number): number => parts[(r * cols + c) * comps + q];
      for (const mode of ['mapped', 'paged'] as const) {
        const a = openNpyArray(file, mode);
        try {
          const what = `${kind} ${rows}×${cols} ${mode}`;
          for (const [c, r0, r1] of [[0, 0, rows], [cols - 1, 0, rows], [Math.floor(cols / 2), 5, 36], [3, rows - 1, rows], [1, 0, 0]]) {
            const got = a.gather(r0 * cols + c, cols, r1 - r0);
            assert.equal(got.length, (r1 - r0) * comps, `${what}: column ${c} length`);
            for (let r = r0; r < r1; r++) for (let q = 0; q < comps; q++) {
              assert.equal(got[(r - r0) * comps + q], el(r, c, q), `${what}: column ${c}, row ${r}`);
            }
          }
          for (const [r0, r1, c0, c1] of [[0, rows, 0, cols], [36, 37, 0, cols], [0, 1, cols - 1, cols], [3, 30, 2, Math.min(cols, 6)], [10, 37, cols - 3, cols]]) {
            const band = a.readBand(cols, r0, r1, c0, c1);
            assert.ok(a.bandRows(cols, c0, c1) >= 1);
            for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) for (let q = 0; q < comps; q++) {
              assert.equal(band.data[(band.at + (r - r0) * band.stride + (c - c0)) * comps + q], el(r, c, q), `${what}: band [${r0}, ${r1})×[${c0}, ${c1}) at (${r}, ${c})`);
            }
          }
        } finally { a.close(); }
      }
    }
  }
});

test('reads spread over helper threads give every item; a read past the end reports failure instead of data', { skip: parallelReader() ? false : 'one core: no helper threads' }, () => {
  const reader = parallelReader()!;
  const n = 5003, item = 4, step = 12;
  const { bytes } = randomElements('u1', n * step + 7, 99);
  const file = path.join(dir, 'strided.bin');
  fs.writeFileSync(file, bytes);
  const fd = fs.openSync(file, 'r');
  try {
    for (let rep = 0; rep < 3; rep++) {
      const out = new Uint8Array(n * item);
      assert.equal(reader.read(fd, 3, step, n, out), true);
      for (let k = 0; k < n; k++) for (let b = 0; b < item; b++) assert.equal(out[k * item + b], bytes[3 + k * step + b], `item ${k}`);
    }
    assert.equal(reader.read(fd, bytes.length - 4 * step, step, 3000, new Uint8Array(3000 * item)), false);
    // Still usable after a failed job.
    const out = new Uint8Array(10 * item);
    assert.equal(reader.read(fd, 0, step, 10, out), true);
    assert.deepEqual(Array.from(out.subarray(0, 4)), Array.from(bytes.subarray(0, 4)));
  } finally { fs.closeSync(fd); }
  // A paged column long and wide enough to go through the threads (2100 rows of 16 KB+).
  const rows = 2100, cols = Math.ceil(GAP_BYTES / 4) + 3;
  const { bytes: m, parts } = randomElements('f4', rows * cols, 7);
  const big = path.join(dir, 'wide-f4.npy');
  writeNpy(big, '<f4', [rows, cols], m);
  const a = openNpyArray(big, 'paged');
  try {
    for (const c of [0, 1234, cols - 1]) {
      const got = a.gather(c, cols, rows);
      for (let r = 0; r < rows; r++) assert.equal(got[r], parts[r * cols + c], `column ${c}, row ${r}`);
    }
  } finally { a.close(); fs.rmSync(big); }
});

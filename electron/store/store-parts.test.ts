import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunningStats } from './running-stats';
import { cachedStoreName, defaultCacheDir, storePathFor } from './store-location';
import { fingerprint, sameFingerprint } from './fingerprint';
import { planPyramid } from './pyramid';
import { splitBands } from './band-spill';
import { decodeValues, encodeValues } from './dtype-codec';

test('running stats stay accurate with a large offset and merge chunks exactly', () => {
  const s = new RunningStats();
  const v = new Float64Array(1000);
  for (let chunk = 0; chunk < 100; chunk++) {
    for (let i = 0; i < v.length; i++) v[i] = 1e9 + ((i + chunk) % 10);
    s.add(v);
  }
  s.add(Float64Array.of(NaN, Infinity, -Infinity, 0));
  const r = s.result();
  assert.equal(r.finite, 100_001);
  assert.equal(r.nan, 1); assert.equal(r.posinf, 1); assert.equal(r.neginf, 1); assert.equal(r.zeros, 1);
  assert.equal(r.min, 0);
  assert.equal(r.max, 1e9 + 9);
  // mean/std of the 100000 offset values plus one zero
  const mean = (100_000 * (1e9 + 4.5)) / 100_001;
  assert.ok(Math.abs(r.mean! - mean) / mean < 1e-12);
  const empty = new RunningStats().result();
  assert.deepEqual([empty.min, empty.max, empty.mean, empty.std], [null, null, null, null]);
});

test('cache location per platform, env override, names that do not collide', () => {
  assert.equal(defaultCacheDir({ MATRIX_EXPLORER_CACHE: '/x/y' }, 'linux'), path.resolve('/x/y'));
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/c' }, 'linux'), path.join('/c', 'matrix-explorer'));
  assert.equal(defaultCacheDir({}, 'linux'), path.join(os.homedir(), '.cache', 'matrix-explorer'));
  assert.equal(defaultCacheDir({}, 'darwin'), path.join(os.homedir(), 'Library', 'Caches', 'matrix-explorer'));
  assert.equal(defaultCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32'), path.join('C:\\Users\\u\\AppData\\Local', 'matrix-explorer', 'Cache'));
  assert.notEqual(cachedStoreName('/a/m.mtx'), cachedStoreName('/b/m.mtx'));
  assert.match(cachedStoreName('/a/m.mtx'), /^m\.mtx-[0-9a-f]{8}\.mxstore$/);
  assert.equal(storePathFor('/a/m.mtx', '/out/z.mxstore'), '/out/z.mxstore');
  assert.equal(storePathFor('/a/m.mtx', '/out'), '/out/m.mtx.mxstore');
});

test('fingerprint changes with content in the middle of a big file, not without a change', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mx-fp-'));
  try {
    const f = path.join(dir, 'a.bin');
    const buf = Buffer.alloc(1 << 20, 7);
    fs.writeFileSync(f, buf);
    const a = fingerprint(f);
    assert.ok(sameFingerprint(a, fingerprint(f)));
    const st = fs.statSync(f);
    buf[buf.length >> 1] = 8;
    fs.writeFileSync(f, buf);
    fs.utimesSync(f, st.atime, st.mtime); // same size and mtime: the sample hash still tells
    assert.equal(sameFingerprint(a, fingerprint(f)), false);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('pyramid plans: tiny → block 1; dense from block 4; sparse grid ≤ max(nnz, 2^20); last level ≤ 256²', () => {
  assert.deepEqual(planPyramid(3, 3, 'dense', 9), [0]);
  assert.deepEqual(planPyramid(20000, 20000, 'dense', 0), [2, 3, 4, 5, 6, 7]);
  assert.deepEqual(planPyramid(1_000_000, 1_000_000, 'sparse', 10_000_000), [9, 10, 11, 12]);
  assert.deepEqual(planPyramid(1000, 1000, 'sparse', 10), [0, 1, 2]);
});

test('bands split by counts; dtype round trips', () => {
  assert.deepEqual(splitBands(Float64Array.of(3, 3, 3, 10, 1, 1), 6), [0, 2, 3, 4, 6]);
  assert.deepEqual(splitBands(new Float64Array(0), 6), [0, 0]);
  const re = Float64Array.of(1.5, -2, 300, 0.1), im = Float64Array.of(0, 1, -1, 2);
  assert.deepEqual(Array.from(decodeValues('c16', encodeValues('c16', re, im), 4).im!), Array.from(im));
  assert.deepEqual(Array.from(decodeValues('i2', encodeValues('i2', re), 4).re), [1, -2, 300, 0]);
  assert.deepEqual(Array.from(decodeValues('f4', encodeValues('f4', re), 4).re), Array.from(re, Math.fround));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StoreManifest } from '../../shared/store-manifest';
import { CancelledError } from '../importers/matrix-source';
import { buildStore, convertToStore, resolveStore } from './convert';
import { fakeDenseSource, fakeSparseSource, type FakeDense, type FakeSparse } from './fake-sources';
import { fingerprint } from './fingerprint';
import { parseNpyHeader } from './npy-header';
import { StoreCorruptError, readStoreManifest } from './open-store';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mx-store-test-'));
test.after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
let seq = 0;
const fresh = () => { const d = path.join(tmpRoot, `t${seq++}`); fs.mkdirSync(d); return d; };

/** A dummy source file so the store has something to fingerprint. */
function sourceFile(dir: string, text = 'fake source'): string {
  const p = path.join(dir, 'src.mtx');
  fs.writeFileSync(p, text);
  return p;
}

function readNpy(file: string): { shape: number[]; descr: string; data: Buffer } {
  const buf = fs.readFileSync(file);
  const h = parseNpyHeader(buf);
  assert.equal(h.dataOffset % 64, 0);
  return { shape: h.shape, descr: h.descr, data: buf.subarray(h.dataOffset) };
}
const f64 = (b: Buffer) => Array.from(new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)));
const i64 = (b: Buffer) => Array.from(new BigInt64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)), Number);
const i32 = (b: Buffer) => Array.from(new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)));

async function buildSparse(m: FakeSparse, budget?: number) {
  const dir = fresh();
  const src = sourceFile(dir);
  const target = path.join(dir, 'out.mxstore');
  const r = await buildStore(fakeSparseSource(src, m), target, fingerprint(src), { memoryBudget: budget });
  return { ...r, dir };
}
async function buildDense(m: FakeDense, budget?: number) {
  const dir = fresh();
  const src = sourceFile(dir);
  const target = path.join(dir, 'out.mxstore');
  const r = await buildStore(fakeDenseSource(src, m), target, fingerprint(src), { memoryBudget: budget });
  return { ...r, dir };
}

function rng(seed: number) { return () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; }; }

function randomSparse(rows: number, cols: number, n: number, seed = 1): FakeSparse {
  const rand = rng(seed);
  const r: number[] = [], c: number[] = [], re: number[] = [];
  for (let k = 0; k < n; k++) {
    r.push(Math.floor(rand() * rows)); c.push(Math.floor(rand() * cols));
    re.push(k % 17 === 0 ? 0 : Math.round((rand() - 0.5) * 1000) / 8);
  }
  // duplicates
  for (let k = 0; k < Math.min(n, 20); k++) { r.push(r[k]); c.push(c[k]); re.push(1000 + k); }
  return { rows, cols, dtype: 'f8', r, c, re };
}

/** Expected CSR: entries sorted by (row, col), stable. */
function expectedCsr(m: FakeSparse) {
  const order = m.r.map((_, k) => k).sort((a, b) => m.r[a] - m.r[b] || m.c[a] - m.c[b]);
  const indptr = new Array(m.rows + 1).fill(0);
  for (const k of order) indptr[m.r[k] + 1]++;
  for (let i = 0; i < m.rows; i++) indptr[i + 1] += indptr[i];
  return { indptr, indices: order.map(k => m.c[k]), data: order.map(k => m.re[k]), order };
}

function storeFiles(dir: string, m: StoreManifest) {
  return Object.fromEntries(Object.keys(m.sizes).map(f => [f, fs.readFileSync(path.join(dir, f))]));
}

/** Two stores hold the same files, byte for byte. */
function assertSameFiles(a: { storePath: string; manifest: StoreManifest }, b: { storePath: string; manifest: StoreManifest }, what = ''): void {
  const fa = storeFiles(a.storePath, a.manifest), fb = storeFiles(b.storePath, b.manifest);
  assert.deepEqual(Object.keys(fa).sort(), Object.keys(fb).sort());
  for (const k of Object.keys(fa)) assert.ok(fa[k].equals(fb[k]), `${what}${k} differs`);
}

test('sparse: CSR sorted by column within rows, duplicates kept in file order; CSC = CSR.tocsc()', async () => {
  const m = randomSparse(37, 23, 300);
  const r = await buildSparse(m);
  const s = r.storePath, man = r.manifest;
  assert.equal(man.kind, 'sparse');
  assert.equal(man.nnz, m.r.length);
  const exp = expectedCsr(m);
  assert.deepEqual(i64(readNpy(path.join(s, 'indptr.npy')).data), exp.indptr);
  assert.deepEqual(i32(readNpy(path.join(s, 'indices.npy')).data), exp.indices);
  assert.deepEqual(f64(readNpy(path.join(s, 'data.npy')).data), exp.data);
  // CSC: from CSR order, stable by column
  const csrRows = exp.order.map(k => m.r[k]);
  const corder = exp.indices.map((_, p) => p).sort((a, b) => exp.indices[a] - exp.indices[b]);
  assert.deepEqual(i32(readNpy(path.join(s, 'csc_indices.npy')).data), corder.map(p => csrRows[p]));
  assert.deepEqual(f64(readNpy(path.join(s, 'csc_data.npy')).data), corder.map(p => exp.data[p]));
  const cptr = i64(readNpy(path.join(s, 'csc_indptr.npy')).data);
  assert.equal(cptr.length, 24); assert.equal(cptr[23], m.r.length);
  // stats are over the matrix's elements: implicit zeros included, duplicates summed (scipy's toarray())
  const all = new Array(37 * 23).fill(0);
  m.r.forEach((r, k) => { all[r * 23 + m.c[k]] += m.re[k]; });
  const mean = all.reduce((a, b) => a + b, 0) / all.length;
  const std = Math.sqrt(all.reduce((a, b) => a + (b - mean) ** 2, 0) / all.length);
  assert.ok(Math.abs(man.stats.mean! - mean) < 1e-9);
  assert.ok(Math.abs(man.stats.std! - std) < 1e-9);
  assert.equal(man.stats.min, Math.min(...all));
  assert.equal(man.stats.max, Math.max(...all));
  assert.equal(man.stats.zeros, all.filter(x => x === 0).length);
  assert.equal(man.stats.finite, 37 * 23);
  assert.deepEqual(await readStoreManifest(s), man);
  // no temp leftovers
  assert.deepEqual(fs.readdirSync(r.dir).sort(), ['out.mxstore', 'src.mtx']);
});

test('sparse: the multi-band path (tiny budget) writes identical files', async () => {
  const m = randomSparse(500, 300, 5000, 7);
  const a = await buildSparse(m);
  const b = await buildSparse(m, 20_000);
  const c = await buildSparse({ ...m, unannounced: true });
  assertSameFiles(a, b);
  assertSameFiles(a, c);
  const { std: sa, mean: ma, ...ra } = a.manifest.stats, { std: sb, mean: mb, ...rb } = b.manifest.stats;
  assert.deepEqual(ra, rb);
  assert.ok(Math.abs(sa! - sb!) < 1e-12 * sa! && Math.abs(ma! - mb!) < 1e-12);
});

test('sparse: complex and float32 values, non-finite values counted', async () => {
  const m: FakeSparse = { rows: 3, cols: 4, dtype: 'c8', r: [2, 0, 1, 0], c: [3, 1, 0, 1], re: [3, 1.1, NaN, 2], im: [4, 0, 0, -1] };
  const r = await buildSparse(m);
  const d = readNpy(path.join(r.storePath, 'data.npy'));
  assert.equal(d.descr, '<c8');
  const v = Array.from(new Float32Array(d.data.buffer.slice(d.data.byteOffset, d.data.byteOffset + d.data.length)));
  assert.deepEqual(v, [Math.fround(1.1), 0, 2, -1, NaN, 0, 3, 4]);
  assert.equal(r.manifest.stats.nan, 1);
  assert.equal(r.manifest.stats.max, 5);
  assert.equal(r.manifest.stats.zeros, 12 - 3); // (0, 1) is stored twice: one element, 1.1 + 2 - 1i
});

test('empty and 1×1 matrices', async () => {
  const e = await buildSparse({ rows: 0, cols: 0, dtype: 'f8', r: [], c: [], re: [] });
  assert.equal(e.manifest.nnz, 0);
  assert.equal(e.manifest.stats.min, null);
  assert.equal(e.manifest.pyramid.length, 1);
  await readStoreManifest(e.storePath);
  const e2 = await buildSparse({ rows: 5, cols: 3, dtype: 'f8', r: [], c: [], re: [] });
  assert.equal(e2.manifest.stats.zeros, 15);
  assert.equal(e2.manifest.stats.mean, 0);
  const one = await buildDense({ rows: 1, cols: 1, dtype: 'f8', re: [42], order: 'C' });
  assert.deepEqual(f64(readNpy(path.join(one.storePath, 'values.npy')).data), [42]);
  assert.equal(one.manifest.nnz, 1);
  assert.equal(one.manifest.stats.std, 0);
  const ed = await buildDense({ rows: 0, cols: 4, dtype: 'f4', re: [], order: 'F' });
  assert.deepEqual(ed.manifest.shape, [0, 4]);
  await readStoreManifest(ed.storePath);
});

function randomDense(rows: number, cols: number, seed = 3): number[] {
  const rand = rng(seed);
  return Array.from({ length: rows * cols }, (_, k) => (k % 11 === 0 ? 0 : Math.round((rand() - 0.5) * 1e4) / 16));
}

test('dense: C and Fortran order (small and tiny budgets) give the same values.npy', async () => {
  const R = 1030;
  const re = randomDense(R, 270);
  const c = await buildDense({ rows: R, cols: 270, dtype: 'f8', re, order: 'C', run: 50 });
  const f = await buildDense({ rows: R, cols: 270, dtype: 'f8', re, order: 'F', run: 64 });
  const ft = await buildDense({ rows: R, cols: 270, dtype: 'f8', re, order: 'F', run: 64 }, R * 8 * 2 * 7);
  const vc = readNpy(path.join(c.storePath, 'values.npy'));
  assert.deepEqual(vc.shape, [R, 270]);
  assert.deepEqual(f64(vc.data), re);
  for (const o of [f, ft]) assert.ok(fs.readFileSync(path.join(o.storePath, 'values.npy')).equals(fs.readFileSync(path.join(c.storePath, 'values.npy'))));
  assert.equal(c.manifest.nnz, re.filter(x => x !== 0).length);
  // pyramid: block 4 then 8 (1030/8 = 129 ≤ 256)
  assert.deepEqual(c.manifest.pyramid.map(l => [l.block, l.rows, l.cols]), [[4, 258, 68], [8, 129, 34]]);
  for (const L of c.manifest.pyramid) {
    const mn = readNpy(path.join(c.storePath, L.files.min)).data, sm = readNpy(path.join(c.storePath, L.files.sum)).data;
    const ct = readNpy(path.join(c.storePath, L.files.count)).data;
    const min = new Float32Array(mn.buffer.slice(mn.byteOffset, mn.byteOffset + mn.length));
    const sum = new Float32Array(sm.buffer.slice(sm.byteOffset, sm.byteOffset + sm.length));
    const cnt = new Uint32Array(ct.buffer.slice(ct.byteOffset, ct.byteOffset + ct.length));
    for (const [a, b] of [[0, 0], [L.rows - 1, L.cols - 1], [5, 7]]) {
      let emin = Infinity, esum = 0, n = 0;
      for (let i = a * L.block; i < Math.min(R, (a + 1) * L.block); i++) {
        for (let j = b * L.block; j < Math.min(270, (b + 1) * L.block); j++) { const x = re[i * 270 + j]; emin = Math.min(emin, x); esum += x; n++; }
      }
      assert.equal(min[a * L.cols + b], Math.fround(emin));
      assert.equal(sum[a * L.cols + b], Math.fround(esum));
      assert.equal(cnt[a * L.cols + b], n);
    }
  }
});

test('dense: symmetric, skew-symmetric and hermitian lower triangles are mirrored', async () => {
  const n = 70;
  const full = (f: (i: number, j: number) => number) => Array.from({ length: n * n }, (_, k) => f(Math.floor(k / n), k % n));
  const low = (i: number, j: number) => (i >= j ? i * 100 + j + 1 : NaN);
  const sym = full((i, j) => (i >= j ? low(i, j) : low(j, i)));
  const skew = full((i, j) => (i > j ? low(i, j) : i === j ? 0 : -low(j, i)));
  for (const order of ['C', 'F'] as const) {
    const s = await buildDense({ rows: n, cols: n, dtype: 'f8', re: sym.map((x, k) => (Math.floor(k / n) >= k % n ? x : -99)), order, symmetry: 'symmetric' }, 16 * 16 * 200);
    assert.deepEqual(f64(readNpy(path.join(s.storePath, 'values.npy')).data), sym);
    const k = await buildDense({ rows: n, cols: n, dtype: 'i4', re: skew, order, symmetry: 'skew-symmetric' }, 16 * 16 * 200);
    const kv = readNpy(path.join(k.storePath, 'values.npy')).data;
    assert.deepEqual(Array.from(new Int32Array(kv.buffer.slice(kv.byteOffset, kv.byteOffset + kv.length))), skew);
  }
  const re = full((i, j) => (i >= j ? i + j : i + j)), im = full((i, j) => (i > j ? i - j : i === j ? 0 : -(j - i) * -1 * -1));
  const h = await buildDense({ rows: n, cols: n, dtype: 'c16', re, im, order: 'F', symmetry: 'hermitian' });
  const hv = f64(readNpy(path.join(h.storePath, 'values.npy')).data);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    assert.equal(hv[2 * (i * n + j)], i + j);
    assert.equal(hv[2 * (i * n + j) + 1], i - j);
  }
});

test('sparse pyramid aggregates finite elements (duplicates summed); coarser levels from finer', async () => {
  const m = randomSparse(600, 1100, 3000, 11);
  m.re[5] = Infinity;
  const r = await buildSparse(m);
  const elements = new Map<number, number>();
  m.r.forEach((i, k) => { const at = i * 1100 + m.c[k]; elements.set(at, (elements.get(at) ?? 0) + m.re[k]); });
  const finite = [...elements.values()].filter(Number.isFinite);
  const ls = r.manifest.pyramid;
  assert.equal(ls[0].block, 1); // 600×1100 = 660k cells ≤ 2^20
  assert.ok(ls[ls.length - 1].rows <= 256 && ls[ls.length - 1].cols <= 256);
  for (const L of ls) {
    const cnt = readNpy(path.join(r.storePath, L.files.count)).data;
    const c = new Uint32Array(cnt.buffer.slice(cnt.byteOffset, cnt.byteOffset + cnt.length));
    assert.equal(c.reduce((a, b) => a + b, 0), finite.length);
    const sm = readNpy(path.join(r.storePath, L.files.max)).data;
    const mx = new Float32Array(sm.buffer.slice(sm.byteOffset, sm.byteOffset + sm.length));
    let best = -Infinity;
    for (let i = 0; i < mx.length; i++) if (!Number.isNaN(mx[i])) best = Math.max(best, mx[i]);
    assert.equal(best, Math.fround(Math.max(...finite)));
  }
});

test('cancellation removes the temp dir and leaves no store', async () => {
  const dir = fresh();
  const src = sourceFile(dir);
  const ac = new AbortController();
  const m = { ...randomSparse(50, 50, 400), chunk: 10, delayMs: 2 };
  const p = buildStore(fakeSparseSource(src, m), path.join(dir, 'x.mxstore'), fingerprint(src), {
    signal: ac.signal, onProgress: pr => { if (pr.phase === 'counting') ac.abort(); },
  });
  await assert.rejects(p, CancelledError);
  assert.deepEqual(fs.readdirSync(dir), ['src.mtx']);
});

test('cache: reuse while unchanged, reconvert when the source changes, --force', async () => {
  const dir = fresh();
  const src = sourceFile(dir, 'version 1');
  let opens = 0;
  const open = async (p: string) => { opens++; return fakeSparseSource(p, randomSparse(10, 10, 30)); };
  const out = path.join(dir, 'cache');
  const a = await convertToStore(src, { out, open });
  assert.equal(a.reused, false);
  assert.equal(path.basename(a.storePath), 'src.mtx.mxstore');
  const b = await convertToStore(src, { out, open });
  assert.equal(b.reused, true);
  assert.equal(opens, 1);
  const t = new Date(Date.now() + 5000);
  fs.utimesSync(src, t, t);
  assert.equal((await convertToStore(src, { out, open })).reused, false);
  fs.writeFileSync(src, 'version 2');
  assert.equal((await convertToStore(src, { out, open })).reused, false);
  assert.equal((await convertToStore(src, { out, open, force: true })).reused, false);
  assert.equal(opens, 4);
  assert.deepEqual(fs.readdirSync(out), ['src.mtx.mxstore']);
  const viaStore = await resolveStore(a.storePath);
  assert.equal(viaStore.reused, true);
  // default location: the cache dir, name with a hash of the absolute path
  const prev = process.env.MATRIX_EXPLORER_CACHE;
  process.env.MATRIX_EXPLORER_CACHE = path.join(dir, 'envcache');
  try {
    const c = await convertToStore(src, { open });
    assert.match(path.basename(c.storePath), /^src\.mtx-[0-9a-f]{8}\.mxstore$/);
    assert.equal(path.dirname(c.storePath), path.join(dir, 'envcache'));
  } finally {
    if (prev === undefined) delete process.env.MATRIX_EXPLORER_CACHE; else process.env.MATRIX_EXPLORER_CACHE = prev;
  }
});

test('damaged stores are refused with a clear message', async () => {
  const make = async () => (await buildSparse(randomSparse(20, 20, 50))).storePath;
  let s = await make();
  fs.truncateSync(path.join(s, 'data.npy'), 100);
  await assert.rejects(readStoreManifest(s), (e: Error) => e instanceof StoreCorruptError && /data\.npy is 100 bytes, expected \d+; delete it and convert again/.test(e.message));
  s = await make();
  const f = path.join(s, 'indices.npy');
  const buf = fs.readFileSync(f);
  buf.write("'<i8'", buf.indexOf("'<i4'"), 'latin1');
  fs.writeFileSync(f, buf);
  await assert.rejects(readStoreManifest(s), /indices\.npy holds <i8 \[70\], expected <i4 \[70\]/);
  s = await make();
  fs.rmSync(path.join(s, 'pyramid', 'L0_sum.npy'));
  await assert.rejects(readStoreManifest(s), /pyramid\/L0_sum\.npy is missing/);
  s = await make();
  fs.writeFileSync(path.join(s, 'manifest.json'), '{"format": garbage');
  await assert.rejects(readStoreManifest(s), /manifest\.json is not valid JSON/);
  s = await make();
  fs.writeFileSync(path.join(s, 'csc_data.npy'), 'x'.repeat(fs.statSync(path.join(s, 'csc_data.npy')).size));
  await assert.rejects(readStoreManifest(s), /csc_data\.npy has a bad \.npy header/);
  // a damaged store in the cache is rebuilt
  const dir = fresh();
  const src = sourceFile(dir);
  const open = async (p: string) => fakeSparseSource(p, randomSparse(10, 10, 30));
  const a = await convertToStore(src, { out: dir, open });
  fs.truncateSync(path.join(a.storePath, 'indptr.npy'), 10);
  const b = await convertToStore(src, { out: dir, open });
  assert.equal(b.reused, false);
  await readStoreManifest(b.storePath);
});

test('a conversion killed mid-way (SIGKILL) leaves no store, and its temp dir is cleaned up by the next one', async () => {
  const { spawn } = await import('node:child_process');
  const dir = fresh();
  const src = sourceFile(dir);
  const target = path.join(dir, 'k.mxstore');
  const child = path.join(dir, 'child.ts');
  const here = __dirname;
  fs.writeFileSync(child, `
    import { buildStore } from ${JSON.stringify(path.join(here, 'convert'))};
    import { fakeSparseSource } from ${JSON.stringify(path.join(here, 'fake-sources'))};
    import { fingerprint } from ${JSON.stringify(path.join(here, 'fingerprint'))};
    const n = 20000, r: number[] = [], c: number[] = [], re: number[] = [];
    for (let k = 0; k < n; k++) { r.push(k % 100); c.push((k * 7) % 100); re.push(k); }
    let said = false;
    buildStore(fakeSparseSource(${JSON.stringify(src)}, { rows: 100, cols: 100, dtype: 'f8', r, c, re, chunk: 100, delayMs: 5 }),
      ${JSON.stringify(target)}, fingerprint(${JSON.stringify(src)}), {
        memoryBudget: 4000,
        onProgress: p => { if (p.phase === 'scattering' && !said) { said = true; process.stdout.write('scattering\\n'); } },
      });
  `);
  const proc = spawn(process.execPath, ['--import', 'tsx', child], { cwd: path.join(here, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', (d: Buffer) => { if (d.toString().includes('scattering')) resolve(); });
    proc.on('exit', code => reject(new Error(`child exited early (${code})`)));
  });
  proc.kill('SIGKILL');
  await new Promise(res => proc.on('exit', res));
  const left = fs.readdirSync(dir).filter(n => n.startsWith('k.mxstore'));
  assert.equal(left.length, 1);
  assert.match(left[0], /^k\.mxstore\.tmp-\d+-[0-9a-f]+$/);
  assert.ok(fs.readdirSync(path.join(dir, left[0])).length > 0, 'the temp dir had files');
  assert.equal(fs.existsSync(target), false);
  await assert.rejects(resolveStore(path.join(dir, left[0])), /is an unfinished conversion, not a store/);
  // the next conversion into the directory removes the dead process's temp dir
  await buildStore(fakeSparseSource(src, randomSparse(5, 5, 5)), target, fingerprint(src));
  assert.deepEqual(fs.readdirSync(dir).filter(n => n.startsWith('k.mxstore')), ['k.mxstore']);
});

test('sparse: long unsorted rows with duplicates sort stably (in memory and banded)', async () => {
  const m = randomSparse(3, 5000, 3000, 5);
  for (let k = 0; k < 200; k++) { m.r.push(m.r[k * 3]); m.c.push(m.c[k * 3]); m.re.push(-k); }
  const exp = expectedCsr(m);
  for (const budget of [undefined, 100_000]) {
    const r = await buildSparse(m, budget);
    assert.deepEqual(i32(readNpy(path.join(r.storePath, 'indices.npy')).data), exp.indices);
    assert.deepEqual(f64(readNpy(path.join(r.storePath, 'data.npy')).data), exp.data);
  }
});

test('sparse from a .mtx parsed on worker threads (which count the entries): the same store as parsed on one thread', async () => {
  const { openMtx } = await import('../importers/mtx/mtx-source');
  const rand = rng(5);
  for (const [field, symmetry] of [['real', 'general'], ['complex', 'hermitian']] as const) {
    const dir = fresh();
    const n = 4000, R = 300;
    const lines: string[] = [];
    for (let k = 0; k < n; k++) {
      let i = 1 + Math.floor(rand() * R), j = 1 + Math.floor(rand() * (symmetry === 'general' ? 200 : R));
      if (symmetry !== 'general' && j > i) [i, j] = [j, i];
      if (k % 50 === 1) { const [a, b] = lines[0].split(' '); i = +a; j = +b; } // duplicates
      const v = k % 13 === 0 ? '0' : ((rand() - 0.5) * 1e3).toPrecision(17);
      lines.push(field === 'real' ? `${i} ${j} ${v}` : `${i} ${j} ${v} ${i === j ? 0 : (rand() * 9).toFixed(3)}`);
    }
    const src = path.join(dir, 'm.mtx');
    fs.writeFileSync(src, `%%MatrixMarket matrix coordinate ${field} ${symmetry}\n${R} ${symmetry === 'general' ? 200 : R} ${n}\n${lines.join('\n')}\n`);
    const one = await buildStore(await openMtx(src, { workers: 0 }), path.join(dir, 'one.mxstore'), fingerprint(src));
    const par = await buildStore(await openMtx(src, { workers: 2, parallelMinBytes: 0, readSize: 4096 }), path.join(dir, 'par.mxstore'), fingerprint(src));
    assertSameFiles(one, par, `${field} ${symmetry}: `);
    assert.deepEqual(par.manifest.stats, one.manifest.stats);
    assert.equal(par.manifest.nnz, one.manifest.nnz);
  }
});

test('sparse: the two-pass in-memory scatter of big matrices (CSR and CSC) writes the same files as the banded path', async () => {
  const m = randomSparse(40_000, 30_000, 300_000, 3);
  const a = await buildSparse(m);
  const b = await buildSparse(m, 4_000_000);
  assertSameFiles(a, b);
  const exp = expectedCsr(m);
  assert.deepEqual(i32(readNpy(path.join(a.storePath, 'indices.npy')).data), exp.indices);
  assert.deepEqual(f64(readNpy(path.join(a.storePath, 'data.npy')).data), exp.data);
});

test('sparse: a big real matrix (its arrays shared, the CSC built on a worker thread) writes the same files as the banded path', async () => {
  const m = randomSparse(50_000, 40_000, 1_100_000, 4);
  const a = await buildSparse(m);
  const b = await buildSparse(m, 20_000_000);
  assertSameFiles(a, b);
});

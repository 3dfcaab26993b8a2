// Engine queries on fixture stores, in both source modes: viewport vs a naive computation, values and
// slices, histogram and percentiles vs NumPy (one python3 process), band splitting, cancellation, O(1) open.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { HistogramRequest, ViewportResult } from '../../shared/queries';
import type { StoreDtype, StoreManifest } from '../../shared/store-manifest';
import { mergeBandResults, splitBands } from './band-tasks';
import { openEngine, type MatrixEngine, type SourceMode } from './open-engine';
import { writeFixtureStore, writeHollowSparseStore, type FixtureSpec } from './test-fixtures';

const MODES: SourceMode[] = ['mapped', 'paged'];

/** Deterministic pseudo-random numbers. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
}

interface Fixture { name: string; spec: FixtureSpec; storePath: string; manifest: StoreManifest; elements: Float64Array; entries: { i: number; j: number; v: number }[] }

let dir = '';
const fixtures: Fixture[] = [];

function elementValue(dtype: StoreDtype, re: number, im: number): number {
  const a = dtype === 'f4' || dtype === 'c8' ? [Math.fround(re), Math.fround(im)] : [re, im];
  if (dtype === 'c8') return Math.fround(Math.sqrt(a[0] ** 2 + a[1] ** 2));
  if (dtype === 'c16') return Math.hypot(a[0], a[1]);
  return a[0];
}

function addFixture(name: string, spec: FixtureSpec): void {
  const { storePath, manifest } = writeFixtureStore(dir, name, spec);
  const { rows, cols, dtype } = spec;
  const cx = dtype === 'c8' || dtype === 'c16';
  const elements = new Float64Array(rows * cols);
  const entries: Fixture['entries'] = [];
  if (spec.dense) {
    for (let k = 0; k < rows * cols; k++) {
      elements[k] = elementValue(dtype, cx ? spec.dense[2 * k] : spec.dense[k], cx ? spec.dense[2 * k + 1] : 0);
      entries.push({ i: Math.floor(k / cols), j: k % cols, v: elements[k] });
    }
  } else {
    const sp = spec.sparse!;
    for (let k = 0; k < sp.i.length; k++) {
      const v = elementValue(dtype, sp.re[k], sp.im ? sp.im[k] : 0);
      elements[sp.i[k] * cols + sp.j[k]] += v; // fixtures with duplicates use real dtypes only
      entries.push({ i: sp.i[k], j: sp.j[k], v });
    }
  }
  fixtures.push({ name, spec, storePath, manifest, elements, entries });
}

function denseValues(n: number, seed: number, opts: { cx?: boolean; ints?: [number, number]; special?: boolean } = {}): number[] {
  const r = rng(seed);
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const draw = (): number => opts.ints ? opts.ints[0] + Math.floor(r() * (opts.ints[1] - opts.ints[0] + 1)) : Math.round((r() * 20 - 10) * 1000) / 1000;
    let v = draw();
    if (opts.special) { const t = r(); if (t < 0.03) v = NaN; else if (t < 0.04) v = Infinity; else if (t < 0.05) v = -Infinity; else if (t < 0.1) v = 0; }
    out.push(v);
    if (opts.cx) out.push(draw());
  }
  return out;
}

function sparseEntries(rows: number, cols: number, n: number, seed: number, opts: { dups?: boolean; special?: boolean; cx?: boolean } = {}) {
  const r = rng(seed);
  const seen = new Set<number>();
  const i: number[] = [], j: number[] = [], re: number[] = [], im: number[] = [];
  while (i.length < n) {
    const a = Math.floor(r() * rows), b = Math.floor(r() * cols);
    if (!opts.dups && seen.has(a * cols + b)) continue;
    seen.add(a * cols + b);
    let v = Math.round((r() * 20 - 10) * 100) / 100;
    if (opts.special) { const t = r(); if (t < 0.05) v = NaN; else if (t < 0.08) v = 0; else if (t < 0.1) v = Infinity; }
    i.push(a); j.push(b); re.push(v); im.push(Math.round((r() * 4 - 2) * 100) / 100);
  }
  return { i, j, re, im: opts.cx ? im : undefined };
}

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-test-'));
  addFixture('dense-f4', { dtype: 'f4', rows: 37, cols: 53, dense: denseValues(37 * 53, 1, { special: true }), levels: [2, 4, 8] });
  addFixture('dense-f8-edges', { dtype: 'f8', rows: 20, cols: 30, dense: denseValues(600, 2, { ints: [0, 9] }), levels: [4] });
  addFixture('dense-i2', { dtype: 'i2', rows: 33, cols: 17, dense: denseValues(33 * 17, 3, { ints: [-300, 300] }) });
  addFixture('dense-u1', { dtype: 'u1', rows: 16, cols: 16, dense: denseValues(256, 4, { ints: [0, 255] }), levels: [2] });
  addFixture('dense-c16', { dtype: 'c16', rows: 9, cols: 11, dense: denseValues(99, 5, { cx: true }), levels: [2, 4] });
  addFixture('dense-c8', { dtype: 'c8', rows: 10, cols: 7, dense: denseValues(70, 12, { cx: true }), levels: [2] });
  addFixture('dense-f4-const', { dtype: 'f4', rows: 5, cols: 6, dense: new Array(30).fill(0.1), levels: [2] });
  addFixture('sparse-f8', { dtype: 'f8', rows: 41, cols: 29, sparse: sparseEntries(41, 29, 150, 6, { special: true }), levels: [2, 4] });
  addFixture('sparse-f4-dups', { dtype: 'f4', rows: 23, cols: 19, sparse: sparseEntries(23, 19, 80, 7, { dups: true }), levels: [4] });
  addFixture('sparse-c16', { dtype: 'c16', rows: 12, cols: 15, sparse: sparseEntries(12, 15, 40, 8, { cx: true }), levels: [2] });
  addFixture('sparse-i4-empty-rows', { dtype: 'i4', rows: 30, cols: 40, sparse: { i: [0, 0, 29, 15], j: [0, 39, 39, 7], re: [5, -3, 2, 0] }, levels: [2, 8] });
});

after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

async function withEngine<T>(f: Fixture, mode: SourceMode, fn: (e: MatrixEngine) => Promise<T>): Promise<T> {
  const e = await openEngine(f.storePath, { mode });
  try { return await fn(e); } finally { await e.close(); }
}

/** Naive viewport per the documented semantics. */
function naiveViewport(f: Fixture, res: ViewportResult, fromLevel: boolean) {
  const { rows, cols } = f.spec;
  const sparse = !!f.spec.sparse;
  const B = res.block, n = res.rows * res.cols;
  const out = { min: new Float64Array(n).fill(NaN), max: new Float64Array(n).fill(NaN), mean: new Float64Array(n).fill(NaN), count: new Float64Array(n) };
  for (let a = 0; a < res.rows; a++) for (let b = 0; b < res.cols; b++) {
    const ra = res.rowStart + a * B, cb = res.colStart + b * B;
    const re = Math.min(rows, ra + B), ce = Math.min(cols, cb + B);
    const area = (re - ra) * (ce - cb);
    let mn = Infinity, mx = -Infinity, sum = 0, cnt = 0, storedAll = 0;
    const seen = new Set<number>();
    if (!sparse || fromLevel) {
      for (const e of f.entries) if (e.i >= ra && e.i < re && e.j >= cb && e.j < ce && Number.isFinite(e.v)) { cnt++; sum += e.v; mn = Math.min(mn, e.v); mx = Math.max(mx, e.v); }
    } else {
      for (const e of f.entries) if (e.i >= ra && e.i < re && e.j >= cb && e.j < ce) seen.add(e.i * cols + e.j);
      storedAll = seen.size;
      for (const k of seen) { const v = f.elements[k]; if (Number.isFinite(v)) { cnt++; sum += v; mn = Math.min(mn, v); mx = Math.max(mx, v); } }
    }
    const i = a * res.cols + b;
    out.count[i] = cnt;
    if (!sparse) { if (cnt) { out.min[i] = mn; out.max[i] = mx; out.mean[i] = sum / cnt; } continue; }
    const implicit = fromLevel ? area - cnt : area - storedAll;
    if (cnt === 0 && implicit === 0) continue;
    if (implicit > 0) { mn = Math.min(mn, 0); mx = Math.max(mx, 0); }
    out.min[i] = mn; out.max[i] = mx; out.mean[i] = sum / (fromLevel ? area : cnt + implicit);
  }
  return out;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let k = 0; k < actual.length; k++) {
    const a = actual[k], e = expected[k];
    if (a === e) continue;
    if (Number.isNaN(e)) { assert.ok(Number.isNaN(a), `${what}[${k}]: expected NaN, got ${a}`); continue; }
    assert.ok(Math.abs(a - e) <= rel * Math.max(1, Math.abs(e)), `${what}[${k}]: expected ${e}, got ${a}`);
  }
}

for (const mode of MODES) {
  describe(`engine (${mode})`, () => {
    test('viewport: block choice, level choice, values vs naive, clipping', async () => {
      const r = rng(42);
      for (const f of fixtures) {
        await withEngine(f, mode, async e => {
          const { rows, cols } = f.spec;
          const finest = Math.min(...f.manifest.pyramid.map(l => l.block), Infinity);
          const cases = [
            { r0: 0, r1: rows, c0: 0, c1: cols, width: 1000, height: 1000 },
            { r0: 0, r1: rows, c0: 0, c1: cols, width: 3, height: 2 },
            { r0: -5, r1: rows + 9, c0: -2, c1: cols + 100, width: 7, height: 5 },
          ];
          for (let t = 0; t < 12; t++) {
            const r0 = Math.floor(r() * rows), c0 = Math.floor(r() * cols);
            cases.push({ r0, r1: r0 + 1 + Math.floor(r() * (rows - r0)), c0, c1: c0 + 1 + Math.floor(r() * (cols - c0)), width: 1 + Math.floor(r() * 12), height: 1 + Math.floor(r() * 12) });
          }
          for (const q of cases) {
            const res = await e.query('viewport', q);
            const what = `${f.name} ${JSON.stringify(q)}`;
            assert.ok(res.rows <= q.height && res.cols <= q.width, `${what}: ${res.rows}×${res.cols} cells`);
            // B is the smallest power of two that fits.
            const cells = (a0: number, a1: number, B: number) => Math.ceil(a1 / B) - Math.floor(a0 / B);
            const R0 = Math.max(0, q.r0), R1 = Math.min(rows, q.r1), C0 = Math.max(0, q.c0), C1 = Math.min(cols, q.c1);
            if (res.block > 1) assert.ok(cells(R0, R1, res.block / 2) > q.height || cells(C0, C1, res.block / 2) > q.width, `${what}: block ${res.block} not minimal`);
            assert.equal(res.rowStart, Math.floor(R0 / res.block) * res.block);
            assert.ok(res.rowStart + res.rows * res.block >= R1 && res.colStart + res.cols * res.block >= C1, `${what}: covers the rect`);
            const fromLevel = res.block >= finest;
            const exp = naiveViewport(f, res, fromLevel);
            assertClose(res.count, exp.count, 0, `${what} count`);
            assertClose(res.min, Array.from(exp.min, Math.fround), 0, `${what} min`);
            assertClose(res.max, Array.from(exp.max, Math.fround), 0, `${what} max`);
            assertClose(res.mean, exp.mean, 1e-5, `${what} mean`);
          }
        });
      }
    });

    test('value, row and column: exact values, envelopes, sparse duplicates, bad input', async () => {
      for (const f of fixtures) {
        await withEngine(f, mode, async e => {
          const { rows, cols, dtype } = f.spec;
          const cx = dtype === 'c8' || dtype === 'c16';
          for (const [i, j] of [[0, 0], [rows - 1, cols - 1], [Math.floor(rows / 2), Math.floor(cols / 3)]]) {
            const v = await e.query('value', { i, j });
            if (!cx) assert.ok(Object.is(v.value, f.elements[i * cols + j]) || v.value === f.elements[i * cols + j], `${f.name} value(${i},${j})`);
            else assert.ok(Math.abs(Math.hypot(v.value, v.imag!) - f.elements[i * cols + j]) < 1e-5 * Math.max(1, f.elements[i * cols + j]));
            if (f.spec.sparse) assert.equal(v.stored, f.entries.some(x => x.i === i && x.j === j));
          }
          await assert.rejects(e.query('value', { i: rows, j: 0 }), (err: Error & { code?: string }) => err.code === 'bad-input' && /outside/.test(err.message));
          await assert.rejects(e.query('value', { i: 0.5, j: 0 }), (err: Error & { code?: string }) => err.code === 'bad-input');
          for (const i of [0, rows - 1, Math.floor(rows / 2)]) {
            const res = await e.query('row', { index: i });
            assert.equal(res.step, 1);
            assertClose(res.values!, f.elements.subarray(i * cols, (i + 1) * cols), cx ? 1e-6 : 0, `${f.name} row ${i}`);
            const part = await e.query('row', { index: i, start: 1, end: cols - 1, points: 4 });
            const step = Math.ceil((cols - 2) / 4);
            assert.equal(part.step, step);
            if (step === 1) { assertClose(part.values!, f.elements.subarray(i * cols + 1, (i + 1) * cols - 1), cx ? 1e-6 : 0, 'short row'); continue; }
            for (let p = 0; p < part.min!.length; p++) {
              const seg = Array.from(f.elements.subarray(i * cols + 1 + p * step, i * cols + Math.min(cols - 1, 1 + (p + 1) * step))).filter(Number.isFinite);
              assert.equal(part.min![p], seg.length ? Math.fround(Math.min(...seg)) : NaN, `${f.name} row env min`);
              assert.equal(part.max![p], seg.length ? Math.fround(Math.max(...seg)) : NaN, `${f.name} row env max`);
            }
          }
          for (const j of [0, cols - 1, Math.floor(cols / 2)]) {
            const res = await e.query('col', { index: j });
            const exp = Array.from({ length: rows }, (_, i) => f.elements[i * cols + j]);
            assertClose(res.values!, exp, cx ? 1e-6 : 0, `${f.name} col ${j}`);
            const sub = await e.query('col', { index: j, start: 2, end: rows - 1 });
            assertClose(sub.values!, exp.slice(2, rows - 1), cx ? 1e-6 : 0, `${f.name} col ${j} sub`);
          }
          await assert.rejects(e.query('col', { index: cols }), (err: Error & { code?: string }) => err.code === 'bad-input');
          await assert.rejects(e.query('row', { index: 0, start: 3, end: cols + 1 }), (err: Error & { code?: string }) => err.code === 'bad-input');
        });
      }
    });

    test('band tasks split anywhere merge to the same answer (what the pool does)', async () => {
      for (const f of fixtures) {
        await withEngine(f, mode, async e => {
          const whole = await e.query('histogram', { bins: 7 });
          const viaPool = await e.query('histogram', { bins: 7 }, {
            bands: async (task, req) => Promise.all(splitBands(e.manifest, 3).map(b => e.runBand({ task, req, ...b }))),
          });
          assert.deepEqual(viaPool, whole);
          const pct = await e.query('percentiles', { p: [10, 50, 90] });
          const pctPool = await e.query('percentiles', { p: [10, 50, 90] }, {
            bands: async (task, req) => Promise.all(splitBands(e.manifest, 4).map(b => e.runBand({ task, req, ...b }))),
          });
          assert.deepEqual(pctPool, pct);
          const parts = await Promise.all(splitBands(e.manifest, 5).map(b => e.runBand({ task: 'stats', req: {}, ...b })));
          const merged = mergeBandResults('stats', {}, parts) as { finite: number; nan: number };
          if (!f.spec.sparse) { assert.equal(merged.finite, f.manifest.stats.finite); assert.equal(merged.nan, f.manifest.stats.nan); }
        });
      }
    });

    test('cancellation rejects with code cancelled; progress is reported', async () => {
      const f = fixtures[0];
      await withEngine(f, mode, async e => {
        const ac = new AbortController();
        ac.abort();
        await assert.rejects(e.query('histogram', { bins: 10 }, { signal: ac.signal }), (err: Error & { code?: string }) => err.code === 'cancelled');
        const ac2 = new AbortController();
        const progress: number[] = [];
        const slow = e.query('percentiles', { p: [50] }, {
          signal: ac2.signal,
          bands: async (task, req, ctx) => {
            ctx.onProgress?.({ fraction: 0.5, phase: task });
            await new Promise(r => setTimeout(r, 20));
            if (ctx.signal?.aborted) { const err = new Error('cancelled') as Error & { code: string }; err.code = 'cancelled'; throw err; }
            return [e.runBand({ task, req, rowStart: 0, rowEnd: e.manifest.shape[0] })];
          },
          onProgress: p => { progress.push(p.fraction ?? -1); ac2.abort(); },
        });
        await assert.rejects(slow, (err: Error & { code?: string }) => err.code === 'cancelled');
        assert.ok(progress.length >= 1);
      });
    });
  });
}

test('histogram and percentiles equal NumPy (both modes)', async t => {
  const py = spawnSync('python3', ['-c', 'import numpy, scipy'], { encoding: 'utf8' });
  if (py.status !== 0) { t.skip('python3 with numpy/scipy not available'); return; }
  const cases: { store: string; hist: unknown[]; pct: unknown[] }[] = [];
  const results: Record<SourceMode, { hist: unknown[]; pct: unknown[] }[]> = { mapped: [], paged: [] };
  for (const f of fixtures) {
    const { rows, cols } = f.spec;
    const min = f.manifest.stats.min ?? 0, max = f.manifest.stats.max ?? 1;
    const hreqs: HistogramRequest[] = [
      { bins: 10 }, { bins: 1 }, { bins: 7, range: [min, max] }, { bins: 9, range: [0, 9] }, { bins: 13, range: [-1.5, 2.25] },
      { bins: 3, range: [0.1, 0.1] }, { bins: 64 }, { bins: 6, log: true, range: [0.5, 300] },
    ];
    const preqs = [{ p: [0, 1, 25, 33.3, 50, 66.7, 99, 100] }, { p: [50, 12.5], rect: { r0: 1, r1: Math.max(2, rows - 2), c0: 2, c1: Math.max(3, cols - 1) } },
      { p: [5, 95], rect: { r0: 0, r1: 1, c0: 0, c1: 1 } }];
    for (const mode of MODES) {
      await withEngine(f, mode, async e => {
        const hist = [];
        for (const h of hreqs) hist.push(await e.query('histogram', h));
        const pct = [];
        for (const p of preqs) pct.push(await e.query('percentiles', p));
        results[mode].push({ hist, pct });
      });
    }
    cases.push({
      store: f.storePath,
      hist: hreqs.map((h, k) => h.log ? { edges: (results.mapped.at(-1)!.hist[k] as { edges: number[] }).edges } : { bins: h.bins, range: h.range ?? null }),
      pct: preqs,
    });
  }
  const run = spawnSync('python3', [path.join(__dirname, 'oracle.py')], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(run.status, 0, run.stderr);
  const expected = JSON.parse(run.stdout) as { hist: { counts: number[]; edges: number[] }[]; pct: (number[] | null)[] }[];
  for (const mode of MODES) {
    fixtures.forEach((f, k) => {
      const got = results[mode][k];
      expected[k].hist.forEach((h, q) => {
        const g = got.hist[q] as { counts: number[]; edges: number[]; total: number; nan: number; below: number; above: number; posinf: number; neginf: number };
        if (f.spec.dtype === 'c8') {
          // NumPy's SIMD abs for complex64 may differ from the correctly rounded modulus by 1 ulp.
          assertClose(g.edges, h.edges, 1e-6, `${mode} ${f.name} hist ${q} edges`);
        } else {
          assert.deepEqual(g.edges, h.edges, `${mode} ${f.name} hist ${q} edges`);
          assert.deepEqual(g.counts, h.counts, `${mode} ${f.name} hist ${q} counts`);
        }
        assert.equal(g.total, f.spec.rows * f.spec.cols);
        const s = f.manifest.stats;
        assert.equal(g.nan, s.nan); assert.equal(g.posinf, s.posinf); assert.equal(g.neginf, s.neginf);
        assert.equal(g.counts.reduce((a, b) => a + b, 0) + g.below + g.above, s.finite, `${mode} ${f.name} hist ${q} finite total`);
      });
      expected[k].pct.forEach((p, q) => {
        const g = (got.pct[q] as { values: (number | null)[] }).values;
        if (p === null) { assert.ok(g.every(v => v === null)); return; }
        const cx = f.spec.dtype === 'c16' || f.spec.dtype === 'c8';
        if (cx) assertClose(g as number[], p, 1e-6, `${mode} ${f.name} pct ${q}`);
        else assert.deepEqual(g, p, `${mode} ${f.name} pct ${q}`);
      });
    });
  }
});

test('opening a 200 MB sparse store reads no data (O(1) open), both modes', async () => {
  const store = writeHollowSparseStore(dir, 'hollow', 1_000_000, 1_000_000, 10_000_000);
  const rchar = () => Number(/rchar:\s*(\d+)/.exec(fs.readFileSync('/proc/self/io', 'utf8'))?.[1] ?? 0);
  for (const mode of MODES) {
    const before = rchar();
    const t0 = performance.now();
    const e = await openEngine(store, { mode });
    const ms = performance.now() - t0;
    const read = rchar() - before;
    assert.ok(read < 1 << 20, `${mode}: open read ${read} bytes`);
    assert.ok(ms < 500, `${mode}: open took ${ms} ms`);
    assert.equal(e.info().shape[0], 1_000_000);
    const v = await e.query('value', { i: 123456, j: 7 });
    assert.equal(v.value, 0); assert.equal(v.stored, false);
    await e.close();
  }
});

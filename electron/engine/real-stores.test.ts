// The engine on stores the real builder made from the shared test files (.mtx, .npy), both modes:
// values, slices and B=1 viewports against the store's matrix as NumPy/SciPy read it; histogram and
// percentiles equal numpy.histogram / numpy.percentile.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { HistogramRequest } from '../../shared/queries';
import { convertToStore } from '../store/convert';
import { openEngine, type SourceMode } from './open-engine';
import { SHARED_TESTDATA } from '../test-support/testdata';

const TESTDATA = `${SHARED_TESTDATA}`;
const MODES: SourceMode[] = ['mapped', 'paged'];
process.env.MATRIX_EXPLORER_NO_FSYNC = '1';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-real-'));
after(() => { if (!process.env.ENGINE_ORACLE_DUMP) fs.rmSync(tmp, { recursive: true, force: true }); });

function okFiles(): string[] {
  const out: string[] = [];
  for (const kind of ['mtx', 'npy']) {
    const manifest = path.join(TESTDATA, kind, 'MANIFEST.tsv');
    if (!fs.existsSync(manifest)) continue;
    const lines = fs.readFileSync(manifest, 'utf8').trim().split('\n');
    const head = lines[0].split('\t');
    const col = head.indexOf('expected');
    for (const line of lines.slice(1)) {
      const f = line.split('\t');
      if (/^ok/.test(f[col])) out.push(path.join(TESTDATA, kind, f[0]));
    }
  }
  return out;
}

/** Up to 8 indices spread over 0..n-1 (ends included). */
const sampled = (n: number): number[] => [...new Set(Array.from({ length: Math.min(n, 8) }, (_, k) => Math.round((k * (n - 1)) / Math.max(1, Math.min(n, 8) - 1))))];
const decode = (v: number | string): number => typeof v === 'number' ? v : v === 'nan' ? NaN : v === 'inf' ? Infinity : -Infinity;
const same = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

test('engine on stores built from the shared test files equals NumPy, both modes', async t => {
  const files = okFiles();
  if (files.length === 0) { t.skip('no shared test data'); return; }
  if (spawnSync('python3', ['-c', 'import numpy, scipy']).status !== 0) { t.skip('python3 with numpy/scipy not available'); return; }
  const hreqs: HistogramRequest[] = [{ bins: 10 }, { bins: 4, range: [-1, 2] }, { bins: 1 }];
  const preq = { p: [0, 10, 25, 50, 75, 99.9, 100] };
  const stores: { file: string; storePath: string; shape: [number, number]; dtype: string; got: Record<SourceMode, { hist: unknown[]; pct: unknown; rows: Float64Array[]; cols: Float64Array[]; values: number[]; vp: Float32Array }> }[] = [];
  const timing = { convert: 0, open: 0, queries: 0 };
  for (const file of files) {
    let t0 = performance.now();
    const { storePath, manifest } = await convertToStore(file, { out: tmp });
    timing.convert += performance.now() - t0;
    const [rows, cols] = manifest.shape;
    const got = {} as Record<SourceMode, { hist: unknown[]; pct: unknown; rows: Float64Array[]; cols: Float64Array[]; values: number[]; vp: Float32Array }>;
    for (const mode of MODES) {
      t0 = performance.now();
      const e = await openEngine(storePath, { mode });
      timing.open += performance.now() - t0;
      t0 = performance.now();
      try {
        const hist = [];
        for (const h of hreqs) hist.push(await e.query('histogram', h));
        const pct = await e.query('percentiles', preq);
        const rs: Float64Array[] = [], cs: Float64Array[] = [];
        for (const i of sampled(rows)) rs[i] = (await e.query('row', { index: i })).values!;
        for (const j of sampled(cols)) cs[j] = (await e.query('col', { index: j })).values!;
        const values = [];
        for (let k = 0; k < Math.min(rows * cols, 40); k++) {
          const i = (k * 7919) % rows, j = (k * 104729) % cols;
          const v = await e.query('value', { i, j });
          values.push(v.imag !== undefined ? Math.hypot(v.value, v.imag) : v.value);
        }
        const vp = await e.query('viewport', { r0: 0, r1: rows, c0: 0, c1: cols, width: 4096, height: 4096 });
        assert.equal(vp.block, 1);
        got[mode] = { hist, pct, rows: rs, cols: cs, values, vp: vp.min };
      } finally { await e.close(); timing.queries += performance.now() - t0; }
    }
    stores.push({ file, storePath, shape: [rows, cols], dtype: manifest.dtype, got });
  }
  t.diagnostic(`${files.length} files: convert ${timing.convert.toFixed(0)} ms, open ${timing.open.toFixed(0)} ms, queries ${timing.queries.toFixed(0)} ms`);
  const cases = stores.map(s => ({ store: s.storePath, hist: hreqs.map(h => ({ bins: h.bins, range: h.range ?? null })), pct: [preq], dense: s.shape[0] * s.shape[1] <= 200_000 }));
  if (process.env.ENGINE_ORACLE_DUMP) fs.writeFileSync(process.env.ENGINE_ORACLE_DUMP, JSON.stringify(cases));
  const tp = performance.now();
  const run = spawnSync('python3', [path.join(__dirname, 'oracle.py')], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(run.status, 0, run.stderr);
  t.diagnostic(`python oracle ${(performance.now() - tp).toFixed(0)} ms`);
  const expected = JSON.parse(run.stdout) as { hist: { counts: number[]; edges: number[] }[]; pct: (number[] | null)[]; dense?: (number | string)[] }[];
  stores.forEach((s, k) => {
    const exp = expected[k];
    const [rows, cols] = s.shape;
    const name = path.basename(s.file);
    const dense = exp.dense ? exp.dense.map(decode) : null;
    for (const mode of MODES) {
      const g = s.got[mode];
      // NumPy's abs of complex (SIMD hypot) may differ from ours by an ulp: compare loosely there.
      const cx = s.dtype === 'c8' || s.dtype === 'c16';
      exp.hist.forEach((h, q) => {
        const gh = g.hist[q] as { counts: number[]; edges: number[] };
        if (cx) {
          gh.edges.forEach((x, i) => assert.ok(same(x, h.edges[i]), `${mode} ${name} hist ${q} edge ${i}`));
          return;
        }
        assert.deepEqual(gh.edges, h.edges, `${mode} ${name} hist ${q} edges`);
        assert.deepEqual(gh.counts, h.counts, `${mode} ${name} hist ${q} counts`);
      });
      const gp = (g.pct as { values: (number | null)[] }).values;
      if (exp.pct[0] === null) assert.ok(gp.every(v => v === null), `${mode} ${name} pct null`);
      else gp.forEach((v, q) => assert.ok(same(v!, exp.pct[0]![q]), `${mode} ${name} pct ${preq.p[q]}: ${v} vs ${exp.pct[0]![q]}`));
      if (!dense) continue; // big matrices: histogram and percentiles only
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
        const d: number = dense[i * cols + j];
        if (g.rows[i] && !same(g.rows[i][j], d)) assert.fail(`${mode} ${name} row ${i}[${j}]: ${g.rows[i][j]} vs ${d}`);
        if (g.cols[j] && !same(g.cols[j][i], d)) assert.fail(`${mode} ${name} col ${j}[${i}]: ${g.cols[j][i]} vs ${d}`);
        if (!same(g.vp[i * cols + j], Number.isFinite(d) ? Math.fround(d) : NaN)) assert.fail(`${mode} ${name} viewport (${i},${j}): ${g.vp[i * cols + j]} vs ${d}`);
      }
      g.values.forEach((v, q) => {
        const i = (q * 7919) % rows, j = (q * 104729) % cols;
        assert.ok(same(v, dense[i * cols + j]), `${mode} ${name} value (${i},${j})`);
      });
    }
  });
});

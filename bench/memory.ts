// "One copy, many readers": a parent (Backend + HelperPool), 2 helpers and 4 simulated windows (child
// processes sending random viewport, slice and histogram queries to the parent's Backend, as pages do) on a
// 20000² float32 store (~1.6 GB), every measured process running the compiled app (npm run build).
// Prints Σ Pss and Σ Private over all processes (/proc/<pid>/smaps_rollup), the page cache the store
// occupies, vs the naive figure (every process holding its own copy of the matrix); then histogram
// throughput through the pool (2 helpers) vs numpy.histogram on numpy.load(mmap_mode='r'), same run.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { existsSync, mkdirSync, openSync, readSync, closeSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StoreManifest } from '../shared/store-manifest';
import { canReadProcessMemory, formatBytes, privateByMapping, readProcessMemory, type ProcessMemory } from '../electron/pool/process-memory';
import { RENDERER_JS_FLAGS } from '../electron/shell/renderer-flags';
import { parseNpyHeader } from '../electron/store/npy-header';

const N = Number(process.env.MEMORY_BENCH_N ?? 20000);
const DATA_DIR = path.join(__dirname, '.data');
const WINDOWS = 4;
/** Queries each window sends, one after another (a fixed workload: memory grows with the traffic, and a time-boxed run did 30-300 queries depending on the machine's load). */
const WINDOW_QUERIES = Number(process.env.MEMORY_BENCH_QUERIES ?? 40);

/**
 * An existing N×N float32 dense store in bench/.data (another bench may have made one), or null; one with
 * the column copy first, as conversions make them (the engine bench's twin without it is only for comparing).
 */
function findStore(): string | null {
  if (!existsSync(DATA_DIR)) return null;
  const found: { dir: string; byColumn: boolean }[] = [];
  for (const name of readdirSync(DATA_DIR).sort()) {
    if (!name.endsWith('.mxstore')) continue;
    try {
      const m = JSON.parse(readFileSync(path.join(DATA_DIR, name, 'manifest.json'), 'utf8')) as StoreManifest;
      if (m.kind === 'dense' && m.dtype === 'f4' && m.shape[0] === N && m.shape[1] === N) found.push({ dir: path.join(DATA_DIR, name), byColumn: !!m.files.valuesByColumn });
    } catch { /* not a finished store */ }
  }
  return (found.find(f => f.byColumn) ?? found[0])?.dir ?? null;
}

/** An existing N×N float32 .npy in bench/.data (another bench may have made one), or a new one. */
function findOrMakeInput(): string {
  mkdirSync(DATA_DIR, { recursive: true });
  for (const name of readdirSync(DATA_DIR)) {
    if (!name.endsWith('.npy')) continue;
    const file = path.join(DATA_DIR, name);
    try {
      const fd = openSync(file, 'r');
      const buf = Buffer.alloc(4096);
      readSync(fd, buf, 0, 4096, 0);
      closeSync(fd);
      const h = parseNpyHeader(buf);
      if (h.descr === '<f4' && !h.fortranOrder && h.shape.length === 2 && h.shape[0] === N && h.shape[1] === N) return file;
    } catch { /* not one */ }
  }
  const file = path.join(DATA_DIR, `dense-${N}x${N}-f4.npy`);
  console.log(`   writing ${file} (${formatBytes(N * N * 4)}) with numpy...`);
  const py = spawnSync('python3', ['-c', `
import numpy as np, sys
n = ${N}
a = np.lib.format.open_memmap(sys.argv[1] + '.tmp', mode='w+', dtype='<f4', shape=(n, n))
rng = np.random.default_rng(1)
j = np.arange(n, dtype=np.float32)
for r0 in range(0, n, 1000):
    i = np.arange(r0, min(n, r0 + 1000), dtype=np.float32)[:, None]
    a[r0:r0 + len(i)] = 1000.0 / (1.0 + np.abs(i - j)) + rng.random((len(i), n), dtype=np.float32)
a.flush(); del a
import os; os.replace(sys.argv[1] + '.tmp', sys.argv[1])
`, file], { stdio: 'inherit' });
  if (py.status !== 0) throw new Error('python3 + numpy are needed to generate the input');
  return file;
}

function pageCacheBytes(dir: string): number | null {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) { const p = path.join(d, f); if (statSync(p).isDirectory()) walk(p); else files.push(p); }
  };
  walk(dir);
  const r = spawnSync('fincore', ['-J', '--bytes', ...files], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  return (JSON.parse(r.stdout).fincore as Array<{ res: number | string }>).reduce((a, x) => a + Number(x.res), 0);
}

// ---- the measured processes: run from the compiled app (dist/), as `serve` and Electron run them ----
// The parent (Backend + HelperPool, compiled) and each window (a plain Node process running the compiled rpc
// client with the renderers' V8 flags, standing in for a renderer) are started with plain `node`, not through tsx: tsx's loader alone costs ~30-40
// MiB of private memory per process (its own V8 isolate for the loader hooks; 6 MiB for plain `node` vs 33-44
// MiB with `--import tsx`, measured here), which the app's processes do not have. The bench harness (this
// process) only starts them and reads their memory.

/**
 * A simulated window: the shipped rpc client (dist/shared/rpc/rpc-client.js, as the preload builds it, gc() from
 * the renderers' V8 flags) over the IPC channel, sending what a page sends (current, then random viewports,
 * slices, histograms).
 */
const WINDOW_JS = `
const { join } = require('node:path');
const { createRpcClient } = require(join(process.env.MX_DIST, 'shared/rpc/rpc-client.js'));
const { globalCollector } = require(join(process.env.MX_DIST, 'shared/rpc/answer-garbage.js'));
let listener = () => {};
let done = 0;
const latency = {};
process.on('message', m => {
  if (m && m.t === 'report') { process.send({ t: 'report', done, latency, usage: process.memoryUsage() }); return; }
  listener(m);
});
const client = createRpcClient({ send: m => process.send(m), onMessage: l => { listener = l; } },
  { collectGarbage: globalCollector(run => { setTimeout(run, 0); }) });
const rnd = n => Math.floor(Math.random() * n);
(async () => {
  const info = await client.current();
  const [n0, n1] = info.shape;
  const ask = async (name, req) => {
    const t = Date.now();
    try { await client.query(info.id, name, req); } catch (e) { name += ' (failed: ' + e.message + ')'; }
    (latency[name] ??= []).push(Date.now() - t);
  };
  while (done < Number(process.env.MX_QUERIES)) {
    const roll = Math.random();
    if (roll < 0.6) {
      const size = Math.max(64, rnd(n0));
      const r0 = rnd(n0 - size + 1), c0 = rnd(n1 - size + 1);
      await ask('viewport', { r0, c0, r1: r0 + size, c1: c0 + size, width: 800, height: 600 });
    } else if (roll < 0.8) await ask('row', { index: rnd(n0), points: 2000 });
    else if (roll < 0.95) await ask('col', { index: rnd(n1), points: 2000 });
    else await ask('histogram', { bins: 128 });
    done++;
  }
  process.send({ t: 'finished' });
})();
`;

/** The parent: the compiled Backend with a pool of 2 helpers, one backend session per window. */
const PARENT_JS = `
const { spawn } = require('node:child_process');
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const dist = process.env.MX_DIST;
const { Backend } = require(join(dist, 'electron/backend/backend.js'));
const { HelperPool } = require(join(dist, 'electron/pool/helper-pool.js'));
(async () => {
  const pool = new HelperPool({ size: 2, deadlineMs: 600000 });
  const backend = new Backend({ pool, cacheDir: mkdtempSync(join(tmpdir(), 'mx-membench-')) });
  await backend.openPinned(process.env.MX_STORE);
  const windows = [];
  for (let k = 0; k < Number(process.env.MX_WINDOWS); k++) {
    const child = spawn(process.execPath, [...JSON.parse(process.env.MX_WINDOW_FLAGS), '-e', process.env.MX_WINDOW_JS], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    const session = backend.connect('window-' + k, m => { if (child.connected) child.send(m); });
    const w = { child, finished: null, report: null };
    w.finished = new Promise(resolve => child.on('message', m => {
      if (m.t === 'finished') resolve();
      else if (m.t === 'report') w.report(m);
      else session(m);
    }));
    windows.push(w);
  }
  await Promise.all(windows.map(w => w.finished));
  const reports = await Promise.all(windows.map(w => new Promise(r => { w.report = r; w.child.send({ t: 'report' }); })));
  process.send({ t: 'measure', helpers: pool.pids(), windows: windows.map(w => w.child.pid), reports, usage: process.memoryUsage() });
  await new Promise(r => process.once('message', r)); // measured: now the histogram timing
  const times = [];
  for (let k = 0; k < 3; k++) {
    const t = process.hrtime.bigint();
    await pool.query(process.env.MX_STORE, 'histogram', { bins: 256 });
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  process.send({ t: 'histogram', times });
  for (const w of windows) w.child.kill();
  await backend.close();
  await pool.close();
  process.disconnect();
})().catch(e => { console.error(e); process.exit(1); });
`;

interface WindowReport { done: number; latency: Record<string, number[]>; usage: NodeJS.MemoryUsage }
interface Measure { t: 'measure'; helpers: number[]; windows: number[]; reports: WindowReport[]; usage: NodeJS.MemoryUsage }

const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)}`;
const usageText = (u: NodeJS.MemoryUsage) => `V8 heap ${mib(u.heapUsed)}/${mib(u.heapTotal)} MiB, external ${mib(u.external)} MiB (array buffers ${mib(u.arrayBuffers)} MiB)`;

export async function bench(): Promise<void> {
  if (!canReadProcessMemory()) { console.log('   /proc/<pid>/smaps_rollup not available: skipped'); return; }
  const dist = path.join(__dirname, '..', 'dist');
  if (!existsSync(path.join(dist, 'electron', 'backend', 'backend.js'))) { console.log('   dist/ is missing: run `npm run build` first (the measured processes run the compiled app)'); return; }
  let storePath = findStore();
  let manifest: StoreManifest;
  if (storePath) {
    manifest = JSON.parse(readFileSync(path.join(storePath, 'manifest.json'), 'utf8')) as StoreManifest;
    console.log(`   store ${storePath} (made by another bench, reused)`);
  } else {
    const input = findOrMakeInput();
    const { resolveStore } = await import('../electron/store/convert');
    const t0 = Date.now();
    const r = await resolveStore(input, { out: DATA_DIR });
    storePath = r.storePath; manifest = r.manifest;
    console.log(`   store ${storePath} (${r.reused ? 'reused' : `converted in ${((Date.now() - t0) / 1000).toFixed(1)} s`})`);
  }
  const store = storePath;
  const valuesBytes = manifest.shape[0] * manifest.shape[1] * 4;
  const isStoreFile = (p: string) => p.startsWith(fs.realpathSync(store) + path.sep) || p.startsWith(path.resolve(store) + path.sep);

  const t0 = Date.now();
  console.log(`   load average at start: ${os.loadavg().map(x => x.toFixed(2)).join(' ')}`);
  const parent = spawn(process.execPath, ['-e', PARENT_JS], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced',
    env: { ...process.env, MX_DIST: dist, MX_STORE: store, MX_WINDOWS: String(WINDOWS), MX_QUERIES: String(WINDOW_QUERIES), MX_WINDOW_JS: WINDOW_JS, MX_WINDOW_FLAGS: JSON.stringify(RENDERER_JS_FLAGS) },
  });
  const next = <T>(t: string) => new Promise<T>((resolve, reject) => {
    const on = (m: { t: string }) => { if (m.t === t) { parent.off('message', on); resolve(m as T); } };
    parent.on('message', on);
    parent.once('exit', code => reject(new Error(`the parent exited (${code}) before '${t}'`)));
  });
  const exited = new Promise<void>(r => parent.once('exit', () => r()));
  try {
    const m = await next<Measure>('measure');
    const pids = [parent.pid!, ...m.helpers, ...m.windows];
    const label = ['parent', ...m.helpers.map((_, k) => `helper ${k + 1}`), ...m.windows.map((_, k) => `window ${k + 1}`)];
    const all = pids.map(pid => readProcessMemory(pid));
    const split = pids.map(pid => { try { return privateByMapping(pid, isStoreFile); } catch { return { store: NaN, other: NaN }; } });
    const results = m.reports;
    console.log(`   ${WINDOWS} windows answered ${results.reduce((a, r) => a + r.done, 0)} queries (viewport 60%, row 20%, col 15%, histogram 5%) through the parent's Backend`);
    const lat: Record<string, number[]> = {};
    for (const r of results) for (const [k, v] of Object.entries(r.latency)) (lat[k] ??= []).push(...v);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(`   in ${((Date.now() - t0) / 1000).toFixed(1)} s; latency through parent+pool: ${Object.entries(lat).map(([k, v]) => `${k} ×${v.length} median ${median(v)} ms, max ${Math.max(...v)} ms`).join('; ')}`);
    all.forEach((x, k) => console.log(`     ${label[k].padEnd(9)} pid ${String(x.pid).padEnd(7)} Rss ${formatBytes(x.rss).padStart(10)}  Pss ${formatBytes(x.pss).padStart(10)}  Private ${formatBytes(x.private).padStart(10)} (dirty ${formatBytes(x.privateDirty)}; store pages mapped by it alone ${formatBytes(split[k].store)})`));
    console.log(`     parent: ${usageText(m.usage)}`);
    results.forEach((r, k) => console.log(`     window ${k + 1}: ${usageText(r.usage)}`));
    const sum = (xs: ProcessMemory[], k: 'pss' | 'private' | 'rss') => xs.reduce((a, x) => a + x[k], 0);
    const storeAlone = split.reduce((a, x) => a + (Number.isFinite(x.store) ? x.store : 0), 0);
    console.log(`   Σ Pss     ${formatBytes(sum(all, 'pss'))}`);
    console.log(`   Σ Private ${formatBytes(sum(all, 'private'))}   (Private_Dirty: ${formatBytes(all.reduce((a, x) => a + x.privateDirty, 0))}; of Private, ${formatBytes(storeAlone)} are store pages in the page cache that only one process has mapped, not copies)`);
    const cache = pageCacheBytes(store);
    console.log(`   page cache of the store: ${cache === null ? 'fincore unavailable' : formatBytes(cache)} (store values ${formatBytes(valuesBytes)})`);
    console.log(`   naive (each of ${all.length} processes loads the matrix): ${formatBytes(all.length * valuesBytes)}`);
    console.log(`   load average at the end: ${os.loadavg().map(x => x.toFixed(2)).join(' ')}`);

    // Histogram throughput: pool (2 helpers) vs numpy on a memory map, same run, warm page cache.
    parent.send({ t: 'go' });
    const { times } = await next<{ times: number[] }>('histogram');
    const elems = manifest.shape[0] * manifest.shape[1];
    const best = Math.min(...times);
    const valuesFile = path.join(store, manifest.files.values ?? 'values.npy');
    const py = spawnSync('python3', ['-c', `
import numpy as np, time, sys
a = np.load(sys.argv[1], mmap_mode='r')
ts = []
for _ in range(2):
    t = time.perf_counter(); np.histogram(a, bins=256); ts.append(time.perf_counter() - t)
print(min(ts))
`, valuesFile], { encoding: 'utf8' });
    const npSec = py.status === 0 ? Number(py.stdout.trim()) : NaN;
    console.log(`   histogram 256 bins, ${elems / 1e6} Melem: pool (2 helpers) ${best.toFixed(2)} s = ${(elems / best / 1e6).toFixed(0)} Melem/s` +
      ` (runs ${times.map(t => t.toFixed(2)).join(', ')} s); numpy.histogram(mmap) ${Number.isFinite(npSec) ? `${npSec.toFixed(2)} s = ${(elems / npSec / 1e6).toFixed(0)} Melem/s; ratio ${(npSec / best).toFixed(2)}×` : `failed: ${py.stderr.slice(0, 200)}`}`);
    await exited;
  } finally {
    if (parent.exitCode === null) parent.kill();
  }
}

if (require.main === module) void bench();

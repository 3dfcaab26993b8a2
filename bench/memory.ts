// "One copy, many readers": a parent, 2 helpers and 4 simulated windows (child processes sending random
// viewport, slice and histogram queries through the parent) on a 20000² float32 store (~1.6 GB).
// Prints Σ Pss and Σ Private over all processes (/proc/<pid>/smaps_rollup), the page cache the store
// occupies, vs the naive figure (every process holding its own copy of the matrix); then histogram
// throughput through the pool (2 helpers) vs numpy.histogram on numpy.load(mmap_mode='r'), same run.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readSync, closeSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { QueryMap, QueryName } from '../shared/queries';
import type { StoreManifest } from '../shared/store-manifest';
import { HelperPool } from '../electron/pool/helper-pool';
import { canReadProcessMemory, formatBytes, readProcessMemory, type ProcessMemory } from '../electron/pool/process-memory';
import { parseNpyHeader } from '../electron/store/npy-header';

const N = Number(process.env.MEMORY_BENCH_N ?? 20000);
const DATA_DIR = path.join(__dirname, '.data');
const WINDOWS = 4;
const WINDOW_SECONDS = Number(process.env.MEMORY_BENCH_SECONDS ?? 20);

/** An existing N×N float32 dense store in bench/.data (another bench may have made one), or null. */
function findStore(): string | null {
  if (!existsSync(DATA_DIR)) return null;
  for (const name of readdirSync(DATA_DIR)) {
    if (!name.endsWith('.mxstore')) continue;
    try {
      const m = JSON.parse(readFileSync(path.join(DATA_DIR, name, 'manifest.json'), 'utf8')) as StoreManifest;
      if (m.kind === 'dense' && m.dtype === 'f4' && m.shape[0] === N && m.shape[1] === N) return path.join(DATA_DIR, name);
    } catch { /* not a finished store */ }
  }
  return null;
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

// ---- a simulated window: a child process asking the parent for queries ----

interface WindowAsk { id: number; name: QueryName; req: unknown }
interface WindowReport { done: number; latency: Record<string, number[]>; memory: ProcessMemory }

async function runWindow(): Promise<void> {
  const [n0, n1] = [Number(process.env.MX_ROWS), Number(process.env.MX_COLS)];
  const until = Date.now() + WINDOW_SECONDS * 1000;
  const pending = new Map<number, (r: unknown) => void>();
  process.on('message', (m: { id: number; result?: unknown; error?: string }) => pending.get(m.id)?.(m));
  let id = 0, done = 0;
  const latency: Record<string, number[]> = {};
  const ask = (name: QueryName, req: unknown) => new Promise<unknown>(resolve => {
    const k = ++id;
    const t = Date.now();
    pending.set(k, r => { (latency[name] ??= []).push(Date.now() - t); pending.delete(k); resolve(r); });
    process.send!({ id: k, name, req } satisfies WindowAsk);
  });
  const rnd = (n: number) => Math.floor(Math.random() * n);
  while (Date.now() < until) {
    const roll = Math.random();
    if (roll < 0.6) {
      const size = Math.max(64, rnd(n0));
      const r0 = rnd(n0 - size + 1), c0 = rnd(n1 - size + 1);
      await ask('viewport', { r0, c0, r1: r0 + size, c1: c0 + size, width: 800, height: 600 });
    } else if (roll < 0.8) {
      await ask('row', { index: rnd(n0), points: 2000 });
    } else if (roll < 0.95) {
      await ask('col', { index: rnd(n1), points: 2000 });
    } else {
      await ask('histogram', { bins: 128 });
    }
    done++;
  }
  process.send!({ done, latency, memory: readProcessMemory(process.pid) });
  process.disconnect();
}

function startWindow(pool: HelperPool, storePath: string, shape: [number, number]): { child: ChildProcess; finished: Promise<WindowReport> } {
  const child = fork(__filename, ['--window'], {
    serialization: 'advanced',
    execArgv: ['--import', pathToFileURL(require.resolve('tsx')).href],
    env: { ...process.env, MX_ROWS: String(shape[0]), MX_COLS: String(shape[1]) },
  });
  const finished = new Promise<WindowReport>((resolve, reject) => {
    child.on('message', (m: WindowAsk | WindowReport) => {
      if ('done' in m) return resolve(m);
      pool.query(storePath, m.name, m.req as QueryMap[typeof m.name]['req'])
        .then(result => child.connected && child.send({ id: m.id, result }))
        .catch(e => child.connected && child.send({ id: m.id, error: String(e?.message ?? e) }));
    });
    child.on('exit', code => code ? reject(new Error(`window exited with ${code}`)) : undefined);
  });
  return { child, finished };
}

export async function bench(): Promise<void> {
  if (!canReadProcessMemory()) { console.log('   /proc/<pid>/smaps_rollup not available: skipped'); return; }
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

  const pool = new HelperPool({ size: 2, deadlineMs: 600_000 });
  try {
    await pool.query(store, 'value', { i: 0, j: 0 });
    const windows = Array.from({ length: WINDOWS }, () => startWindow(pool, store, manifest.shape));
    // Sample the helpers and the parent while the windows are busy, and the windows at their end.
    const peak = new Map<number, ProcessMemory>();
    const sample = () => {
      for (const pid of [process.pid, ...pool.pids()]) {
        try {
          const m = readProcessMemory(pid);
          const prev = peak.get(pid);
          if (!prev || m.pss > prev.pss) peak.set(pid, m);
        } catch { /* gone */ }
      }
    };
    const timer = setInterval(sample, 500);
    const results = await Promise.all(windows.map(w => w.finished));
    clearInterval(timer);
    sample();
    const now = [process.pid, ...pool.pids()].map(pid => readProcessMemory(pid));
    const win = results.map(r => r.memory);
    const all = [...now, ...win];
    const sum = (xs: ProcessMemory[], k: 'pss' | 'private' | 'rss') => xs.reduce((a, m) => a + m[k], 0);
    const cache = pageCacheBytes(store);
    console.log(`   ${WINDOWS} windows answered ${results.reduce((a, r) => a + r.done, 0)} queries in ${WINDOW_SECONDS} s (viewport 60%, row 20%, col 15%, histogram 5%)`);
    const lat: Record<string, number[]> = {};
    for (const r of results) for (const [k, v] of Object.entries(r.latency)) (lat[k] ??= []).push(...v);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(`   latency through parent+pool: ${Object.entries(lat).map(([k, v]) => `${k} ×${v.length} median ${median(v)} ms, max ${Math.max(...v)} ms`).join('; ')}`);
    const label = ['parent', ...pool.pids().map((_, k) => `helper ${k + 1}`), ...win.map((_, k) => `window ${k + 1}`)];
    all.forEach((m, k) => console.log(`     ${label[k].padEnd(9)} pid ${String(m.pid).padEnd(7)} Rss ${formatBytes(m.rss).padStart(10)}  Pss ${formatBytes(m.pss).padStart(10)}  Private ${formatBytes(m.private).padStart(10)} (dirty ${formatBytes(m.privateDirty)})`));
    const peakPss = [...peak.values()].reduce((a, m) => a + m.pss, 0);
    console.log(`   Σ Pss     ${formatBytes(sum(all, 'pss'))}   (parent+helpers peak during the run: ${formatBytes(peakPss)})`);
    console.log(`   Σ Private ${formatBytes(sum(all, 'private'))}   (Private_Dirty: ${formatBytes(all.reduce((a, m) => a + m.privateDirty, 0))})`);
    console.log(`   page cache of the store: ${cache === null ? 'fincore unavailable' : formatBytes(cache)} (store values ${formatBytes(valuesBytes)})`);
    console.log(`   naive (each of ${all.length} processes loads the matrix): ${formatBytes(all.length * valuesBytes)}`);

    // Histogram throughput: pool (2 helpers) vs numpy on a memory map, same run, warm page cache.
    const elems = manifest.shape[0] * manifest.shape[1];
    const times: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t = process.hrtime.bigint();
      await pool.query(store, 'histogram', { bins: 256 });
      times.push(Number(process.hrtime.bigint() - t) / 1e9);
    }
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
  } finally {
    await pool.close();
  }
}

if (require.main === module && process.argv.includes('--window')) void runWindow();

// Engine figures on a 20000² float32 dense store (~1.6 GB values + pyramid, generated once with NumPy
// into bench/.data/): histogram throughput vs numpy.histogram on a mmap'd load, viewport latency at
// random zooms for a 1000×800 raster, row/column slice latency warm and cold, in both source modes.
// Columns are timed twice: from the store's column-major copy, and through a twin store without it
// (symlinks to the same files, the manifest minus the copy) to show the row-major path it replaces.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openEngine, type MatrixEngine, type SourceMode } from '../electron/engine/open-engine';

const N = 20000;
const STORE = path.join(__dirname, '.data', `engine-dense-${N}.mxstore`);
const ROW_ONLY = path.join(__dirname, '.data', `engine-dense-${N}-row-only.mxstore`);

const GENERATE = String.raw`
import numpy as np, json, os, sys, time
out, n = sys.argv[1], int(sys.argv[2])
tmp = out + '.tmp'
os.makedirs(tmp + '/pyramid', exist_ok=True)
v = np.lib.format.open_memmap(tmp + '/values.npy', mode='w+', dtype='<f4', shape=(n, n))
vc = np.lib.format.open_memmap(tmp + '/values-by-column.npy', mode='w+', dtype='<f4', shape=(n, n), fortran_order=True)
blocks = [2 ** k for k in range(1, 16)]
levels = []
for b in blocks:
    levels.append(b)
    if -(-n // b) <= 256: break
lv = {}
for b in levels:
    m = -(-n // b)
    lv[b] = {k: np.lib.format.open_memmap(tmp + f'/pyramid/L{b.bit_length()-1}_{k}.npy', mode='w+', dtype=('<u4' if k == 'count' else '<f4'), shape=(m, m)) for k in ('min', 'max', 'sum', 'count')}
rng = np.random.default_rng(0)
band = 20 * levels[-1]
cols = np.arange(n, dtype=np.float32)
W = -(-n // levels[-1]) * levels[-1]
mn, mx, s, s2, zeros = np.inf, -np.inf, 0.0, 0.0, 0
for r in range(0, n, band):
    h = min(band, n - r)
    rows = np.arange(r, r + h, dtype=np.float32)[:, None]
    x = (np.sin(rows / 900) * np.cos(cols[None, :] / 1300) * 10 + rng.standard_normal((h, n), dtype=np.float32)).astype(np.float32)
    v[r:r + h] = x
    vc[r:r + h] = x
    mn = min(mn, float(x.min())); mx = max(mx, float(x.max())); s += float(x.sum(dtype=np.float64)); s2 += float(np.square(x, dtype=np.float64).sum()); zeros += int((x == 0).sum())
    H = -(-h // levels[-1]) * levels[-1]
    def pad(a, fill):
        p = np.full((H, W), fill, np.float64); p[:h, :n] = a; return p
    cur = {'min': pad(x, np.inf), 'max': pad(x, -np.inf), 'sum': pad(x, 0.0), 'count': pad(np.ones_like(x), 0.0)}
    for b in levels:
        hh, ww = cur['min'].shape
        red = lambda a, f: f(a.reshape(hh // 2, 2, ww // 2, 2), axis=(1, 3))
        cur = {'min': red(cur['min'], np.min), 'max': red(cur['max'], np.max), 'sum': red(cur['sum'], np.sum), 'count': red(cur['count'], np.sum)}
        cr0 = r // b; m = lv[b]['min'].shape[0]; ch = min(cur['min'].shape[0], m - cr0)
        empty = cur['count'][:ch, :m] == 0
        for k in ('min', 'max', 'sum'):
            a = cur[k][:ch, :m].astype(np.float32); a[empty] = np.nan; lv[b][k][cr0:cr0 + ch] = a
        lv[b]['count'][cr0:cr0 + ch] = cur['count'][:ch, :m].astype(np.uint32)
v.flush(); del v
vc.flush(); del vc
for b in levels:
    for a in lv[b].values(): a.flush()
cnt = n * n; mean = s / cnt
files = {'values': 'values.npy', 'valuesByColumn': 'values-by-column.npy'}
pyr = [{'level': b.bit_length() - 1, 'block': b, 'rows': -(-n // b), 'cols': -(-n // b), 'files': {k: f'pyramid/L{b.bit_length()-1}_{k}.npy' for k in ('min', 'max', 'sum', 'count')}} for b in levels]
rel = list(files.values()) + [f for p in pyr for f in p['files'].values()]
man = {'format': 'matrix-explorer-store', 'version': 1,
  'source': {'path': out + '/generated.npy', 'size': n * n * 4 + 128, 'mtimeMs': 0, 'sample': 'bench', 'format': 'npy', 'npy': {'descr': '<f4', 'fortranOrder': False, 'shape': [n, n], 'version': '1.0'}},
  'shape': [n, n], 'kind': 'dense', 'dtype': 'f4', 'nnz': cnt - zeros,
  'stats': {'min': mn, 'max': mx, 'mean': mean, 'std': max(0.0, s2 / cnt - mean * mean) ** 0.5, 'finite': cnt, 'nan': 0, 'posinf': 0, 'neginf': 0, 'zeros': zeros},
  'files': files, 'sizes': {f: os.path.getsize(tmp + '/' + f) for f in rel}, 'pyramid': pyr, 'createdAt': '2026-01-01T00:00:00Z', 'convertSeconds': 0}
json.dump(man, open(tmp + '/manifest.json', 'w'))
os.rename(tmp, out)
`;

const NUMPY_HIST = String.raw`
import numpy as np, sys, time
a = np.load(sys.argv[1] + '/values.npy', mmap_mode='r')
np.histogram(a[:1000], bins=256)
t = time.perf_counter(); p = time.process_time(); c, e = np.histogram(a, bins=256); dt = time.perf_counter() - t
print(dt, time.process_time() - p, int(c.sum()))
`;

function py(code: string, args: string[]): string {
  const r = spawnSync('python3', ['-c', code, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** Drops the store's pages from the page cache: drop_caches when permitted, else posix_fadvise DONTNEED. */
function dropCache(): string {
  try { fs.writeFileSync('/proc/sys/vm/drop_caches', '1'); return 'drop_caches'; } catch { /* not root */ }
  py(`import os, sys\nfor f in sys.argv[1:]:\n  fd = os.open(f, os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)`, [path.join(STORE, 'values.npy'), path.join(STORE, 'values-by-column.npy')]);
  return 'fadvise';
}

/** Reads files through once, so that they are in the page cache ("warm"). */
function warmFiles(files: string[]): void {
  const buf = Buffer.allocUnsafe(1 << 24);
  for (const f of files) {
    const fd = fs.openSync(f, 'r');
    try { while (fs.readSync(fd, buf, 0, buf.length, null) > 0) { /* into the page cache */ } } finally { fs.closeSync(fd); }
  }
}
function warmPyramid(): void {
  const dir = path.join(STORE, 'pyramid');
  warmFiles(fs.readdirSync(dir).map(f => path.join(dir, f)));
}
/** The values file, in the page cache: a cold-slice run before (drop_caches) must not make the next "warm" figures cold. */
function warmValues(): void { warmFiles([path.join(STORE, 'values.npy'), path.join(STORE, 'values-by-column.npy')]); }

/** The twin store without the column copy: symlinks to STORE's files, its manifest minus valuesByColumn. */
function makeRowOnlyTwin(): void {
  fs.rmSync(ROW_ONLY, { recursive: true, force: true });
  fs.mkdirSync(ROW_ONLY);
  const m = JSON.parse(fs.readFileSync(path.join(STORE, 'manifest.json'), 'utf8'));
  delete m.sizes[m.files.valuesByColumn];
  delete m.files.valuesByColumn;
  for (const f of ['values.npy', 'pyramid']) fs.symlinkSync(path.join(STORE, f), path.join(ROW_ONLY, f));
  fs.writeFileSync(path.join(ROW_ONLY, 'manifest.json'), JSON.stringify(m));
}

const pct = (xs: number[], p: number): number => { const s = xs.slice().sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const fmt = (x: number): string => x < 10 ? x.toFixed(2) : x.toFixed(1);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
}

/** CPU milliseconds (user + system) of this process since `from`. */
const cpuMs = (from: NodeJS.CpuUsage): number => { const c = process.cpuUsage(from); return (c.user + c.system) / 1000; };

async function viewports(e: MatrixEngine, count: number, cpu: number[] = []): Promise<number[]> {
  const r = rng(7);
  const times: number[] = [];
  for (let k = 0; k < count; k++) {
    const zoom = 2 ** (r() * 11); // 1× .. 2048×
    const h = Math.max(8, Math.round(N / zoom)), w = Math.max(10, Math.round(h * 1.25));
    const r0 = Math.floor(r() * Math.max(1, N - h)), c0 = Math.floor(r() * Math.max(1, N - w));
    const t = performance.now();
    const c = process.cpuUsage();
    await e.query('viewport', { r0, r1: r0 + h, c0, c1: c0 + w, width: 1000, height: 800 });
    times.push(performance.now() - t);
    cpu.push(cpuMs(c));
  }
  return times;
}

async function slices(e: MatrixEngine | null, axis: 'row' | 'col', count: number, cold: boolean, mode: SourceMode, store = STORE): Promise<{ times: number[]; cpu: number[]; how: string }> {
  const r = rng(axis === 'row' ? 11 : 13);
  const times: number[] = [], cpu: number[] = [];
  let how = 'warm';
  for (let k = 0; k < count; k++) {
    const index = Math.floor(r() * N);
    if (cold) {
      // in a fresh process: this one's mappings would keep the pages it touched in the cache
      how = `${dropCache()}, fresh process`;
      const out = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'cold-slice.ts'), store, mode, axis, String(index)], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`cold-slice failed: ${out.stderr}`);
      times.push(Number(out.stdout.trim()));
      cpu.push(NaN);
      continue;
    }
    const t = performance.now();
    const c = process.cpuUsage();
    await e!.query(axis, { index });
    times.push(performance.now() - t);
    cpu.push(cpuMs(c));
  }
  return { times, cpu, how };
}

export async function bench(): Promise<void> {
  const manifest = path.join(STORE, 'manifest.json');
  if (!fs.existsSync(manifest) || !JSON.parse(fs.readFileSync(manifest, 'utf8')).files.valuesByColumn) {
    fs.mkdirSync(path.dirname(STORE), { recursive: true });
    fs.rmSync(STORE, { recursive: true, force: true }); // made before stores had the column copy

    fs.rmSync(STORE + '.tmp', { recursive: true, force: true });
    const t = performance.now();
    console.log(`   generating ${N}×${N} float32 store with NumPy into ${STORE} ...`);
    py(GENERATE, [STORE, String(N)]);
    console.log(`   generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  makeRowOnlyTwin();
  const elems = N * N;
  // Cold slices first, while this process has mapped nothing (drop_caches keeps pages a process has mapped).
  const coldRuns = new Map<string, { times: number[]; how: string }>();
  for (const mode of ['mapped', 'paged'] as SourceMode[]) {
    for (const axis of ['row', 'col'] as const) coldRuns.set(`${mode} ${axis}`, await slices(null, axis, 5, true, mode));
    coldRuns.set(`${mode} col row-only`, await slices(null, 'col', 5, true, mode, ROW_ONLY));
  }
  for (const mode of ['mapped', 'paged'] as SourceMode[]) {
    const t0 = performance.now();
    const e = await openEngine(STORE, { mode });
    console.log(`   [${mode}] open ${fmt(performance.now() - t0)} ms`);
    // Histogram (warm: a first pass pulls the file into the page cache).
    await e.query('histogram', { bins: 256 });
    const th = performance.now();
    const ch = process.cpuUsage();
    const h = await e.query('histogram', { bins: 256 });
    const hs = (performance.now() - th) / 1000;
    const hcpu = cpuMs(ch) / 1000;
    const total = h.counts.reduce((a, b) => a + b, 0);
    console.log(`   [${mode}] histogram 256 bins, in-process single core: ${fmt(hs)} s wall = ${fmt(elems / hs / 1e6)} Melem/s (CPU ${fmt(hcpu)} s = ${fmt(elems / hcpu / 1e6)} Melem/s per CPU-second; counted ${total})`);
    if (mode === 'mapped') {
      const [dt, ncpu] = py(NUMPY_HIST, [STORE]).split(' ').map(Number);
      console.log(`   numpy.histogram(np.load(mmap_mode='r'), 256): ${fmt(dt)} s wall = ${fmt(elems / dt / 1e6)} Melem/s (CPU ${fmt(ncpu)} s = ${fmt(elems / ncpu / 1e6)} Melem/s) → engine/numpy ${fmt(dt / hs)}× wall, ${fmt(ncpu / hcpu)}× CPU`);
      const tp = performance.now();
      const p = await e.query('percentiles', { p: [1, 50, 99] });
      console.log(`   [${mode}] percentiles [1,50,99] exact: ${fmt((performance.now() - tp) / 1000)} s → ${p.values.map(v => v?.toPrecision(6)).join(', ')}`);
    }
    // Warm viewports: the pyramid (~2 GB here) in the page cache, as after the first looks at a matrix
    // (a cold-slice test of the previous mode dropped the caches).
    warmPyramid();
    await viewports(e, 20);
    const vcpu: number[] = [];
    const vt = await viewports(e, 200, vcpu);
    console.log(`   [${mode}] viewport 1000×800 at random zooms (200): p50 ${fmt(pct(vt, 50))} ms, p95 ${fmt(pct(vt, 95))} ms, max ${fmt(Math.max(...vt))} ms wall; CPU p50 ${fmt(pct(vcpu, 50))} ms, p95 ${fmt(pct(vcpu, 95))} ms`);
    for (const axis of ['row', 'col'] as const) {
      warmValues();
      await slices(e, axis, 3, false, mode);
      const warm = await slices(e, axis, 20, false, mode);
      const cold = coldRuns.get(`${mode} ${axis}`)!;
      console.log(`   [${mode}] ${axis} slice (${N} values${axis === 'col' ? ', column copy' : ''}): warm p50 ${fmt(pct(warm.times, 50))} ms p95 ${fmt(pct(warm.times, 95))} ms (CPU p50 ${fmt(pct(warm.cpu, 50))} ms); cold (${cold.how}) p50 ${fmt(pct(cold.times, 50))} ms p95 ${fmt(pct(cold.times, 95))} ms max ${fmt(Math.max(...cold.times))} ms`);
    }
    await e.close();
    const twin = await openEngine(ROW_ONLY, { mode });
    warmValues();
    await slices(twin, 'col', 3, false, mode);
    const warm = await slices(twin, 'col', 20, false, mode);
    const cold = coldRuns.get(`${mode} col row-only`)!;
    console.log(`   [${mode}] col slice (${N} values, row-major values, no copy): warm p50 ${fmt(pct(warm.times, 50))} ms p95 ${fmt(pct(warm.times, 95))} ms (CPU p50 ${fmt(pct(warm.cpu, 50))} ms); cold (${cold.how}) p50 ${fmt(pct(cold.times, 50))} ms p95 ${fmt(pct(cold.times, 95))} ms max ${fmt(Math.max(...cold.times))} ms`);
    await twin.close();
  }
}

if (require.main === module) void bench();

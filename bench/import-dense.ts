// Dense import throughput: a full header() + scanDense pass over a 4000×4000 CSV of %.17g doubles and
// over 4000×4000 float64 .npy files (C and Fortran order), against numpy.loadtxt / numpy.load in the
// same run (times measured inside python). Data is generated once and cached under bench/.data/.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { openCsv } from '../electron/importers/csv/csv-source';
import type { DenseSink, MatrixSource } from '../electron/importers/matrix-source';
import { openNpy } from '../electron/importers/npy/npy-source';

const N = Number(process.env.BENCH_DENSE_N ?? 4000);
const DATA = join(__dirname, '.data');

const PY_GENERATE = String.raw`
import numpy as np, sys
n, csv, npy, fnpy = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
a = np.random.default_rng(1).standard_normal((n, n)) * 1e3
np.save(npy, a)
np.save(fnpy, np.asfortranarray(a))
np.savetxt(csv, a, fmt='%.17g', delimiter=',')
`;

const PY_TIME = String.raw`
import numpy as np, sys, time, json
csv, npy, fnpy = sys.argv[1], sys.argv[2], sys.argv[3]
out = {}
for name, path in (('npy', npy), ('npyF', fnpy)):
    c = time.process_time(); t = time.perf_counter(); a = np.ascontiguousarray(np.load(path))
    out[name] = time.perf_counter() - t; out[name + 'cpu'] = time.process_time() - c
c = time.process_time(); t = time.perf_counter(); a = np.loadtxt(csv, delimiter=',')
out['csv'] = time.perf_counter() - t; out['csvcpu'] = time.process_time() - c
print(json.dumps(out))
`;

async function timeScan(src: MatrixSource): Promise<{ seconds: number; cpu: number; checksum: number; headerSeconds: number }> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const h = await src.header();
  const t1 = process.hrtime.bigint();
  let checksum = 0, cells = 0;
  const touch = (re: Float64Array) => { checksum += re[0] + re[re.length - 1]; cells += re.length; };
  const sink: DenseSink = { rowRun: (_r, _c, re) => touch(re), colRun: (_c, _r, re) => touch(re) };
  await src.scanDense!(sink);
  const t2 = process.hrtime.bigint();
  if (cells !== h.rows * h.cols) throw new Error(`scan emitted ${cells} cells, expected ${h.rows * h.cols}`);
  const c = process.cpuUsage(c0); // the whole process: worker threads included
  return { seconds: Number(t2 - t0) / 1e9, cpu: (c.user + c.system) / 1e6, checksum, headerSeconds: Number(t1 - t0) / 1e9 };
}

export async function bench(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  const csv = join(DATA, `dense-${N}.csv`), npy = join(DATA, `dense-${N}.npy`), fnpy = join(DATA, `dense-${N}-F.npy`);
  if (![csv, npy, fnpy].every(existsSync)) {
    console.log(`import-dense: generating ${N}×${N} test data in ${DATA} (once)...`);
    const g = spawnSync('python3', ['-c', PY_GENERATE, String(N), csv, npy, fnpy], { encoding: 'utf8' });
    if (g.status !== 0) { console.log(`import-dense: skipped, python3 + numpy needed to generate data (${g.stderr.trim().split('\n').pop()})`); return; }
  }
  const mb = (p: string) => statSync(p).size / 1e6;
  const ours: Record<string, number> = {};
  const oursCpu: Record<string, number> = {};
  const rows: string[] = [];
  for (const [name, path, open] of [
    ['csv', csv, () => openCsv(csv)], ['csv1', csv, () => openCsv(csv, { workers: 0 })],
    ['npy', npy, () => openNpy(npy)], ['npyF', fnpy, () => openNpy(fnpy)],
  ] as const) {
    // warm the page cache and the JIT (the CSV passes are long enough not to need it; the first reads the file)
    if (!name.startsWith('csv')) await timeScan(await open());
    else if (name === 'csv') await (await open()).header();
    const r = await timeScan(await open());
    ours[name] = r.seconds;
    oursCpu[name] = r.cpu;
    rows.push(`  ${(name === 'csv1' ? 'csv (workers: 0)' : name === 'csv' ? `csv (default: ${Math.min(4, availableParallelism())} workers)` : name).padEnd(26)} ${mb(path).toFixed(0).padStart(5)} MB  ours ${r.seconds.toFixed(2).padStart(6)} s (cpu ${r.cpu.toFixed(2)} s)  ${(mb(path) / r.seconds).toFixed(0).padStart(5)} MB/s${name.startsWith('csv') ? `  (row-count pass ${r.headerSeconds.toFixed(2)} s)` : ''}`);
  }
  const py = spawnSync('python3', ['-c', PY_TIME, csv, npy, fnpy], { encoding: 'utf8' });
  let theirs: Record<string, number> | undefined;
  if (py.status === 0) theirs = JSON.parse(py.stdout.trim().split('\n').pop()!);
  console.log(`import-dense: ${N}×${N} float64, full header()+scanDense pass (warm page cache); load average ${loadavg().map(x => x.toFixed(1)).join(' ')}`);
  const names = ['csv', 'csv1', 'npy', 'npyF'];
  const paths: Record<string, string> = { csv, csv1: csv, npy, npyF: fnpy };
  for (let i = 0; i < names.length; i++) {
    const n = names[i];
    const key = n === 'csv1' ? 'csv' : n;
    const ref = theirs?.[key], refCpu = theirs?.[key + 'cpu'];
    const what = n.startsWith('csv') ? 'numpy.loadtxt' : 'numpy.load+ascontiguousarray';
    console.log(rows[i] + (ref !== undefined
      ? `  | ${what} ${ref.toFixed(2)} s (cpu ${refCpu!.toFixed(2)} s) ${(mb(paths[n]) / ref).toFixed(0)} MB/s  ratio ours/numpy: wall ${(ours[n] / ref).toFixed(2)}, cpu ${(oursCpu[n] / refCpu!).toFixed(2)}`
      : '  | numpy timing unavailable'));
  }
}

if (require.main === module) bench().catch(e => { console.error(e); process.exit(1); });

// `matrix-explorer info` — what a store (or a source file's store) holds: shape, kind, dtype, nnz,
// stats, source facts, pyramid levels.
import { parseArgs } from 'node:util';
import type { CliCommand, CliIo } from '../command';
import { UsageError } from '../command';
import { resolveStore, type ConvertResult } from '../../store/convert';
import { progressBar, storeSummary } from './convert';

export const infoUsage = `matrix-explorer info — describe a matrix: shape, type, nnz, statistics, source, pyramid.

Usage: matrix-explorer info <input-or-store> [--json]

<input-or-store> is a .mxstore directory (opened and checked) or a matrix file (.mtx, .npy, CSV),
which is converted first unless its cached store is up to date.

Options:
  --json       print one JSON object: store, shape, nnz, dtype, kind, reused, seconds, stats,
               source, pyramid (levels: block, rows, cols)
  -h, --help   show this help

Examples:
  matrix-explorer info matrix.mtx
  matrix-explorer info ~/.cache/matrix-explorer/matrix.mtx-1a2b3c4d.mxstore --json`;

const num = (x: number | null) => (x === null ? '—' : Number.isInteger(x) ? x.toLocaleString('en-US') : x.toPrecision(6));
const bytes = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`);

export function infoJson(r: ConvertResult): Record<string, unknown> {
  const m = r.manifest;
  return {
    ...storeSummary(r), stats: m.stats, source: m.source,
    pyramid: m.pyramid.map(l => ({ level: l.level, block: l.block, rows: l.rows, cols: l.cols })),
    storeBytes: Object.values(m.sizes).reduce((a, b) => a + b, 0), createdAt: m.createdAt, convertSeconds: m.convertSeconds,
  };
}

export function infoText(r: ConvertResult): string {
  const m = r.manifest, s = m.stats, src = m.source;
  const [rows, cols] = m.shape;
  const facts = src.mtx ? `Matrix Market ${src.mtx.format} ${src.mtx.field} ${src.mtx.symmetry}`
    : src.npy ? `NumPy ${src.npy.descr}${src.npy.fortranOrder ? ' Fortran order' : ''} shape (${src.npy.shape.join(', ')}) v${src.npy.version}`
    : src.csv ? `CSV delimiter ${JSON.stringify(src.csv.delimiter)}${src.csv.header ? ', header row' : ''}` : src.format;
  const density = rows * cols > 0 ? m.nnz / (rows * cols) : 0;
  const storeBytes = Object.values(m.sizes).reduce((a, b) => a + b, 0);
  return [
    `store     ${r.storePath}${r.reused ? '' : ' (converted now)'}`,
    `source    ${src.path}`,
    `          ${facts}, ${bytes(src.size)}`,
    `shape     ${num(rows)} × ${num(cols)}  ${m.kind}  ${m.dtype}`,
    `nnz       ${num(m.nnz)}  (density ${density.toPrecision(3)})`,
    `min/max   ${num(s.min)} … ${num(s.max)}`,
    `mean/std  ${num(s.mean)} ± ${num(s.std)}${m.dtype.startsWith('c') ? '  (of |z|)' : ''}`,
    `counts    finite ${num(s.finite)}, zeros ${num(s.zeros)}, NaN ${num(s.nan)}, +inf ${num(s.posinf)}, -inf ${num(s.neginf)}`,
    `pyramid   ${m.pyramid.map(l => `block ${l.block}: ${l.rows}×${l.cols}`).join(', ') || 'none'}`,
    `size      ${bytes(storeBytes)} on disk; converted ${m.createdAt} in ${m.convertSeconds.toFixed(2)} s`,
  ].join('\n');
}

export async function runInfo(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { json: { type: 'boolean' } } });
  } catch (e) { throw new UsageError((e as Error).message); }
  if (parsed.positionals.length !== 1) throw new UsageError(parsed.positionals.length ? 'expected one input' : 'missing <input-or-store>');
  const bar = progressBar(io);
  let r: ConvertResult;
  try {
    r = await resolveStore(parsed.positionals[0], { signal: io.signal, onProgress: bar.update });
  } finally { bar.done(); }
  io.out(parsed.values.json ? JSON.stringify(infoJson(r)) : infoText(r));
  return 0;
}

export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'describe a matrix or store: shape, type, nnz, statistics, pyramid',
  usage: infoUsage,
  run: runInfo,
};

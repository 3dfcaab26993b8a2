// `matrix-explorer convert` — converts a matrix file into a store (or reuses the cached one).
import { parseArgs } from 'node:util';
import type { CliCommand, CliIo } from '../command';
import { UsageError } from '../command';
import { convertToStore, type ConvertResult } from '../../store/convert';
import type { Progress } from '../../../shared/queries';

export const convertUsage = `matrix-explorer convert — convert a matrix file into a store, once.

Usage: matrix-explorer convert <input> [--out PATH] [--force] [--json] [--memory MIB] [--no-column-copy]

Reads a Matrix Market (.mtx/.mm), NumPy (.npy) or CSV/TSV file and writes a store: a directory of
.npy files plus manifest.json that numpy.load(..., mmap_mode='r') and scipy.sparse can read. An
unchanged source (same path, size, mtime, content sample) reuses its existing store at once.

Options:
  --out PATH     where the store goes: PATH ending in .mxstore is the store itself, any other PATH
                 is a directory that gets <file>.mxstore (default: the per-user cache directory,
                 $MATRIX_EXPLORER_CACHE or ~/.cache/matrix-explorer)
  --force        convert again even when a matching store exists
  --json         print one JSON object on stdout: store, shape, nnz, dtype, kind, reused, seconds
  --memory MIB   memory for conversion buffers, in MiB (default 512); bigger matrices spill to
                 temporary files inside the store being built
  --no-column-copy  dense matrices: skip the column-major copy of the values (halves the store's
                 size; columns are then read one element per row, slower when not cached)
  -h, --help     show this help

Progress goes to stderr when it is a terminal. Ctrl-C cancels and removes the partial store (exit 130).
Exit codes: 0 ok, 2 bad input (the message names the file and line), 1 other errors.

Examples:
  matrix-explorer convert matrix.mtx
  matrix-explorer convert big.npy --out /data/stores --json
  matrix-explorer convert table.csv --out table.mxstore --force`;

export function parseConvertArgs(args: string[]): { input: string; out?: string; force: boolean; json: boolean; memory?: number; columnCopy?: false } {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true, strict: true,
      options: { out: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' }, memory: { type: 'string' }, 'no-column-copy': { type: 'boolean' } },
    });
  } catch (e) { throw new UsageError((e as Error).message); }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `expected one input file, got ${positionals.length}` : 'missing <input> file');
  let memory: number | undefined;
  if (values.memory !== undefined) {
    memory = Number(values.memory);
    if (!(memory > 0)) throw new UsageError(`--memory wants a positive number of MiB, got '${values.memory}'`);
  }
  return { input: positionals[0], out: values.out, force: Boolean(values.force), json: Boolean(values.json), memory, ...(values['no-column-copy'] && { columnCopy: false as const }) };
}

/** The keys every `--json` answer about a store carries. */
export function storeSummary(r: ConvertResult): Record<string, unknown> {
  const m = r.manifest;
  return {
    store: r.storePath, shape: m.shape, nnz: m.nnz, dtype: m.dtype, kind: m.kind, reused: r.reused,
    seconds: Number(r.seconds.toFixed(4)), sourcePath: m.source.path, sourceBytes: m.source.size, format: m.source.format,
  };
}

export async function runConvert(args: string[], io: CliIo): Promise<number> {
  const o = parseConvertArgs(args);
  const bar = progressBar(io);
  let r: ConvertResult;
  try {
    r = await convertToStore(o.input, {
      out: o.out, force: o.force, columnCopy: o.columnCopy, signal: io.signal, onProgress: bar.update,
      memoryBudget: o.memory !== undefined ? Math.round(o.memory * 1024 * 1024) : undefined,
    });
  } finally {
    bar.done();
  }
  if (o.json) {
    io.out(JSON.stringify({ ...storeSummary(r), pyramidMelemPerSec: r.pyramidMelemPerSec }));
  } else {
    const m = r.manifest;
    const mb = m.source.size / 1e6;
    io.out(r.reused
      ? `${r.storePath}\n  reused (source unchanged): ${m.shape[0]} × ${m.shape[1]} ${m.kind} ${m.dtype}, nnz ${m.nnz}`
      : `${r.storePath}\n  ${m.shape[0]} × ${m.shape[1]} ${m.kind} ${m.dtype}, nnz ${m.nnz}; ${r.seconds.toFixed(2)} s (${(mb / Math.max(r.seconds, 1e-9)).toFixed(1)} MB/s)`);
  }
  return 0;
}

export const convertCommand: CliCommand = {
  name: 'convert',
  summary: 'convert a .mtx/.npy/CSV file into a store (reuses an unchanged one)',
  usage: convertUsage,
  run: runConvert,
};

const BYTE_PHASES = new Set(['counting', 'scattering', 'reading', 'parsing']);

export function progressBar(io: CliIo): { update: (p: Progress) => void; done: () => void } {
  if (!io.isTTY) return { update: () => {}, done: () => {} };
  let phase = '', phaseStart = Date.now(), drawn = false;
  const fmtTime = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.floor(s) % 60).padStart(2, '0')}s` : `${Math.ceil(s)}s`);
  return {
    update(p) {
      const now = Date.now();
      if (p.phase !== phase) { phase = p.phase; phaseStart = now; }
      const f = p.fraction ?? 0;
      const width = 24, fill = Math.round(f * width);
      const secs = (now - phaseStart) / 1000;
      let rate = '', eta = '';
      if (secs > 0.2 && p.done !== undefined) {
        rate = BYTE_PHASES.has(p.phase) ? `${(p.done / 1e6 / secs).toFixed(1)} MB/s` : '';
        if (f > 0.01 && f < 1) eta = `ETA ${fmtTime((secs * (1 - f)) / f)}`;
      }
      process.stderr.write(`\r\x1b[K${p.phase.padEnd(10)} [${'#'.repeat(fill)}${' '.repeat(width - fill)}] ${(f * 100).toFixed(0).padStart(3)}%  ${rate}  ${eta}`);
      drawn = true;
    },
    done() { if (drawn) process.stderr.write('\r\x1b[K'); drawn = false; },
  };
}

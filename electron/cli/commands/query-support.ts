// What the query subcommands (stats, histogram, percentiles, value, row, col, viewport) share:
// a small option parser, opening an input (converting it once through resolveStore), asking the engine
// in this process or the helper pool, index checks with readable messages, and JSON output.
import * as os from 'node:os';
import type { Progress, QueryMap, QueryName } from '../../../shared/queries';
import type { StoreManifest } from '../../../shared/store-manifest';
import { openEngine, type MatrixEngine } from '../../engine/open-engine';
import { InputError } from '../../importers/matrix-source';
import { HelperPool } from '../../pool/helper-pool';
import { resolveStore } from '../../store/convert';
import type { CliIo } from '../command';
import { UsageError } from '../command';

// ---- options ----

/** Option name → how many values it takes (0 = a flag). */
export type OptionSpec = Record<string, number>;

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string[]>;
  flag(name: string): boolean;
  value(name: string): string | undefined;
  values(name: string): string[] | undefined;
}

const NUMBER_LIKE = /^-(\d|\.\d|inf|nan)/i;

export function parseArgs(args: string[], spec: OptionSpec): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === '--') { positionals.push(...args.slice(k + 1)); break; }
    if (a.startsWith('-') && !NUMBER_LIKE.test(a)) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      const n = spec[name];
      if (n === undefined) throw new UsageError(`unknown option '${name}'`);
      let vals: string[];
      if (eq > 0) {
        vals = a.slice(eq + 1).split(n > 1 ? /[ ,]/ : /$^/).filter(s => s !== '');
        if (n === 0) throw new UsageError(`option '${name}' takes no value`);
      } else {
        vals = args.slice(k + 1, k + 1 + n);
        k += n;
      }
      if (vals.length !== n) throw new UsageError(`option '${name}' needs ${n === 1 ? 'a value' : `${n} values`}`);
      options.set(name, vals);
    } else {
      positionals.push(a);
    }
  }
  return {
    positionals,
    options,
    flag: name => options.has(name),
    value: name => options.get(name)?.[0],
    values: name => options.get(name),
  };
}

export function parseInteger(what: string, text: string | undefined, min = 0): number {
  if (text === undefined) throw new UsageError(`missing ${what}`);
  if (!/^[+-]?\d+$/.test(text.trim())) throw new UsageError(`${what} must be a whole number, got '${text}'`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new UsageError(`${what} is too large: ${text}`);
  if (n < min) throw new UsageError(`${what} must be at least ${min}, got ${n}`);
  return n;
}

export function parseNumber(what: string, text: string): number {
  const t = text.trim().toLowerCase();
  const n = t === 'inf' || t === '+inf' ? Infinity : t === '-inf' ? -Infinity : t === 'nan' ? NaN : t === '' ? NaN : Number(t);
  if (Number.isNaN(n) && t !== 'nan') throw new UsageError(`${what} must be a number, got '${text}'`);
  return n;
}

/** Exactly `n` positionals after the input, or a usage error naming what is missing. */
export function expectPositionals(p: ParsedArgs, names: string[]): string[] {
  if (p.positionals.length === 0) throw new UsageError('missing the input (a matrix file or a .mxstore)');
  const rest = p.positionals.slice(1);
  if (rest.length < names.length) throw new UsageError(`missing ${names.slice(rest.length).join(', ')}`);
  if (rest.length > names.length) throw new UsageError(`unexpected argument '${rest[names.length]}'`);
  return rest;
}

// ---- opening an input ----

export interface QueryTarget {
  input: string;
  storePath: string;
  manifest: StoreManifest;
  shape: [number, number];
  query<Q extends QueryName>(name: Q, req: QueryMap[Q]['req']): Promise<QueryMap[Q]['res']>;
  close(): Promise<void>;
}

/** Bytes of store data above which whole-matrix queries use the helper pool by default. */
const POOL_THRESHOLD_BYTES = 256 * 2 ** 20;

export interface OpenTargetOptions {
  /** --helpers: 0 = answer in this process; N = a pool of N helpers; undefined = decide by size. */
  helpers?: number;
  /** Whole-matrix query (histogram, percentiles, stats): worth the pool on big stores. */
  wholeMatrix?: boolean;
}

function progressPrinter(io: CliIo): (p: Progress) => void {
  if (!io.isTTY) return () => { /* quiet when not a terminal */ };
  let last = 0;
  return p => {
    const now = Date.now();
    if (now - last < 200 && p.fraction !== 1) return;
    last = now;
    const pct = p.fraction === null ? '' : ` ${(p.fraction * 100).toFixed(0).padStart(3)}%`;
    process.stderr.write(`\r${p.phase}${pct}\x1b[K`);
  };
}

export async function openTarget(input: string, io: CliIo, options: OpenTargetOptions = {}): Promise<QueryTarget> {
  const onProgress = progressPrinter(io);
  const resolved = await resolveStore(input, { onProgress, signal: io.signal });
  if (io.isTTY) process.stderr.write('\r\x1b[K');
  const { storePath, manifest } = resolved;
  const dataBytes = Object.values(manifest.sizes ?? {}).reduce((a, b) => a + b, 0);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const helpers = options.helpers ?? (options.wholeMatrix && cores > 1 && dataBytes >= POOL_THRESHOLD_BYTES ? cores : 0);
  const base = { input, storePath, manifest, shape: manifest.shape };
  if (helpers > 0 && options.wholeMatrix) {
    const pool = new HelperPool({ size: helpers });
    return {
      ...base,
      query: (name, req) => pool.query(storePath, name, req, { signal: io.signal, onProgress, deadlineMs: 7 * 24 * 3600 * 1000 }),
      close: () => pool.close(),
    };
  }
  let engine: MatrixEngine | undefined;
  return {
    ...base,
    query: async (name, req) => {
      engine ??= await openEngine(storePath);
      return engine.query(name, req, { signal: io.signal, onProgress });
    },
    close: async () => { await engine?.close(); },
  };
}

/** Opens the input, runs `body`, closes; a Ctrl-C becomes exit code 130 with a one-word message. */
export async function withTarget(input: string, io: CliIo, options: OpenTargetOptions, body: (t: QueryTarget) => Promise<number>): Promise<number> {
  const target = await openTarget(input, io, options);
  try {
    return await body(target);
  } catch (e) {
    if (io.signal.aborted || (e as { code?: string })?.code === 'cancelled') { io.err('cancelled'); return 130; }
    throw e;
  } finally {
    await target.close();
  }
}

export function helpersOption(p: ParsedArgs): number | undefined {
  const v = p.value('--helpers');
  return v === undefined ? undefined : parseInteger('--helpers', v, 0);
}

// ---- index checks ----

/** An index outside [0, limit): an input problem (exit 2) that says what the valid range is. */
export function checkIndex(t: QueryTarget, what: 'row' | 'column', index: number, limit: number): void {
  if (index < 0 || index >= limit) {
    throw new InputError(t.input, `${what} ${index} is out of range: the matrix is ${t.shape[0]} × ${t.shape[1]}, so ${what}s go from 0 to ${limit - 1}`);
  }
}

// ---- output ----

/** JSON with typed arrays as number lists and NaN/±Infinity as null. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, x => (Number.isFinite(x) ? x : null));
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    if (typeof v === 'bigint') return Number(v);
    return v;
  });
}

/** A number for people: integers as is, others with up to 6 significant digits. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-4 || a >= 1e9) ? x.toExponential(5) : String(Number(x.toPrecision(6)));
}

/** Right-aligned columns. */
export function table(rows: string[][], header?: string[]): string {
  const all = header ? [header, ...rows] : rows;
  const widths = all[0]?.map((_, c) => Math.max(...all.map(r => (r[c] ?? '').length))) ?? [];
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  const out = all.map(line);
  if (header) out.splice(1, 0, widths.map(w => '-'.repeat(w)).join('  '));
  return out.join('\n');
}

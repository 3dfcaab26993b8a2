// Matrix Market importer: `openMtx(path)` → a MatrixSource.
//
// coordinate → kind 'sparse': scanSparse emits 0-based entries in file order with symmetry expanded
//   (symmetric: (j,i) mirrors (i,j) with the same value; skew-symmetric: negated; hermitian: conjugated;
//   diagonal entries are not doubled). Explicit zeros and duplicates are kept. header().entries is the
//   exact count emitted; for non-general files header() finds it with one counting pass over the file.
// array → kind 'dense': scanDense emits column runs (the file is column-major); symmetric kinds emit only
//   what the file holds (lower triangle; skew: strictly lower) and the store builder mirrors.
// dtype: real/double/integer/pattern → 'f8' (pattern = 1.0), complex → 'c16'. Values are correctly
//   rounded (bit-identical to scipy.io.mmread). Integer values beyond 2^53 are rounded to the nearest
//   double (as NumPy's int64 → float64 does); unlike SciPy, integers beyond the int64 range are accepted
//   (rounded too) rather than refused.
// Deliberate differences from SciPy (which reads a number's longest valid prefix): a value token must be a
// number as a whole ("1.5x", "1e", "0x10" are refused, quoting the token; so is "1.5" in an integer
// field); Fortran exponents "1.5D+03" mean 1.5e3 (SciPy reads 1.5); a leading '+' is accepted; comment
// and blank lines may appear among the entries; a '%' comment may follow an entry; extra numbers on an
// entry line (e.g. a value in a pattern file) are refused rather than ignored; "vector" objects, and
// symmetric kinds with a non-square size, are refused.
// Big files (≥ 32 MiB of data lines) are parsed on worker threads (see mtx-parallel-scan for coordinate
// files, mtx-array-parallel-scan for array files), where a WebAssembly kernel takes the common lines
// (coordinate-kernel, array-kernel); the emitted entries or column runs, their order and every error
// message are the same as on the calling thread.
// scanSparse honours ScanOptions.counts (countsEntries): indices are checked against the size line as
// they are parsed, and counted per row/column on the parse workers when there are any.
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { CancelledError, InputError, countEntries, type DenseSink, type EntryCounts, type MatrixSource, type ScanOptions, type SourceHeader, type SparseSink } from '../matrix-source';
import { readLineRuns } from '../text/chunked-reader';
import { ArrayParser, CoordinateParser, ENTRY_CHUNK } from './mtx-body-parser';
import { readMtxHeader, type MtxHeader } from './mtx-header';
import { scanArrayParallel } from './mtx-array-parallel-scan';
import { scanCoordinateParallel } from './mtx-parallel-scan';
import type { ParallelOptions } from './mtx-parse-pool';

export interface MtxOpenOptions {
  /** Bytes per read (default 8 MiB). Tests use tiny sizes to exercise tokens split across reads. */
  readSize?: number;
  /** Entries per emitted chunk (default 65536). */
  chunkSize?: number;
  /**
   * Worker threads parsing the data lines in parallel (default: one per CPU, at most 4; 0 or 1 = parse
   * on the calling thread). Used only when the data lines take at least `parallelMinBytes`.
   */
  workers?: number;
  /** Default 32 MiB: below that, starting workers costs more than it saves. */
  parallelMinBytes?: number;
  /** Longest line accepted (default 256 MiB); tests use small values. */
  maxLine?: number;
}

const defaultWorkers = (): number => Math.min(4, availableParallelism());

export async function openMtx(path: string, options: MtxOpenOptions = {}): Promise<MatrixSource> {
  await stat(path); // fail early (ENOENT etc.) like other importers
  return new MtxSource(path, options);
}

class MtxSource implements MatrixSource {
  readonly countsEntries = true;
  private mtx?: MtxHeader;
  private sourceHeader?: SourceHeader;

  constructor(readonly path: string, private readonly options: MtxOpenOptions) {}

  private get maxLine(): number { return this.options.maxLine ?? 256 * 1024 * 1024; }

  private async mtxHeader(): Promise<MtxHeader> {
    if (!this.mtx) this.mtx = await readMtxHeader(this.path, this.options.readSize);
    return this.mtx;
  }

  async header(): Promise<SourceHeader> {
    if (this.sourceHeader) return this.sourceHeader;
    const h = await this.mtxHeader();
    const sparse = h.format === 'coordinate';
    let entries: number | undefined;
    if (sparse) {
      if (h.symmetry === 'general') entries = h.declared;
      else entries = await this.scanCoordinate({ entries() {} });
    }
    this.sourceHeader = {
      rows: h.rows,
      cols: h.cols,
      kind: sparse ? 'sparse' : 'dense',
      dtype: h.field === 'complex' ? 'c16' : 'f8',
      entries,
      symmetry: h.symmetry,
      info: { format: 'mtx', mtx: { format: h.format, field: h.field, symmetry: h.symmetry } },
    };
    return this.sourceHeader;
  }

  /** How to scan the data lines of `h` on the parse workers; null: on this thread (a small file, or no workers). */
  private async parallel(h: MtxHeader, options: ScanOptions): Promise<ParallelOptions | null> {
    const workers = this.options.workers ?? defaultWorkers();
    const size = (await stat(this.path)).size;
    if (workers <= 1 || size - h.dataOffset < (this.options.parallelMinBytes ?? 32 * 1024 * 1024)) return null;
    return {
      ...options, workers, readSize: this.options.readSize, chunkSize: this.options.chunkSize, maxLine: this.maxLine,
      tooLong: (line, off) => tooLong(this.path, line, off, this.maxLine),
    };
  }

  /** Full pass over the entries; returns the number emitted. */
  private async scanCoordinate(sink: SparseSink, options: ScanOptions = {}): Promise<number> {
    const h = await this.mtxHeader();
    const par = await this.parallel(h, options);
    if (par) return scanCoordinateParallel(this.path, h, sink, par);
    const parser = new CoordinateParser(this.path, h, options.counts ? countingSink(sink, options.counts) : sink, this.options.chunkSize ?? ENTRY_CHUNK);
    for await (const run of readLineRuns(this.path, h.dataOffset, { readSize: this.options.readSize, maxLine: this.maxLine, signal: options.signal, onBytes: options.onBytes },
      (off) => tooLong(this.path, parser.line, off, this.maxLine))) {
      parser.parse(run.buf, run.start, run.end);
    }
    if (options.signal?.aborted) throw new CancelledError();
    parser.finish();
    return parser.emitted;
  }

  async scanSparse(sink: SparseSink, options: ScanOptions = {}): Promise<void> {
    const h = await this.mtxHeader();
    if (h.format !== 'coordinate') throw new Error(`${this.path}: scanSparse called on a dense (array) source`);
    await this.scanCoordinate(sink, options);
  }

  async scanDense(sink: DenseSink, options: ScanOptions = {}): Promise<void> {
    const h = await this.mtxHeader();
    if (h.format !== 'array') throw new Error(`${this.path}: scanDense called on a sparse (coordinate) source`);
    const par = await this.parallel(h, options);
    if (par) return scanArrayParallel(this.path, h, sink, par);
    const parser = new ArrayParser(this.path, h);
    for await (const run of readLineRuns(this.path, h.dataOffset, { readSize: this.options.readSize, maxLine: this.maxLine, signal: options.signal, onBytes: options.onBytes },
      (off) => tooLong(this.path, parser.line, off, this.maxLine))) {
      let p = run.start;
      while (p < run.end) {
        p = parser.parse(run.buf, p, run.end);
        if (parser.ready) {
          const n = parser.runLength;
          await sink.colRun(parser.runCol, parser.runRow, parser.re.subarray(0, n), parser.im?.subarray(0, n));
          parser.consumed();
          if (options.signal?.aborted) throw new CancelledError();
        }
      }
    }
    parser.finish();
  }
}

/** Counts each chunk's entries per row and column, then passes it on. */
function countingSink(sink: SparseSink, counts: EntryCounts): SparseSink {
  return {
    entries(ch) {
      countEntries(counts, ch.length, ch.rows, ch.cols);
      sink.entries(ch);
    },
  };
}

function tooLong(path: string, line: number, offset: number, maxLine: number): Error {
  const limit = maxLine % (1024 * 1024) === 0 ? `${maxLine / (1024 * 1024)} MiB` : `${maxLine} bytes`;
  return new InputError(path, `line ${line} is too long (no line break within ${limit})`, line, offset);
}

// The CSV/TSV importer: a dense real (f8) MatrixSource over a delimited text file.
//
// `header()` sniffs the dialect from the first lines (see sniff-csv-dialect.ts) and counts the data
// lines in a fast byte pass (cached). `scanDense` reads the file in bounded runs of whole lines,
// parses them as bytes (on worker threads for big files, emitted in file order) and emits one `rowRun`
// per data row. Never holds the whole file.
//
// Decisions: lines that are blank (spaces/tabs only) or start with '#' are skipped anywhere; an
// unquoted '#' ends a line's data (comment); a UTF-8 byte-order mark is ignored; LF or CRLF line
// ends; a line may end with one extra empty field (a trailing delimiter), which is not a column;
// empty cells, nan, NA, N/A are NaN; inf/infinity (any case, signed) are ±Infinity; "1.5" quoted
// numbers are numbers. A header row, when detected, is skipped (its names are not kept). In a
// one-column file an empty cell makes a blank line, which is skipped like any blank line (write NA).
// A last column that is empty on every sampled line reads as a trailing delimiter (see the sniffer).
// Numbers are exact: Clinger's fast path, else the byte-level Eisel–Lemire parser (== Number(text)).

import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { CancelledError, InputError, type DenseSink, type MatrixSource, type ScanOptions, type SourceHeader } from '../matrix-source';
import { countCsvDataLines } from './count-csv-rows';
import { CsvParsePool } from './csv-parse-pool';
import type { CsvParseResult } from './csv-parse-worker';
import { parseCsvRun, type RunDialect } from './parse-csv-run';
import { delimiterName, sampleLines, sniffCsvDialect, type CsvDialect } from './sniff-csv-dialect';
import { readInto } from '../read-into';

export interface CsvOpenOptions {
  /** Bytes per read (default 8 MiB); grows to fit a longer line. Tiny values exercise chunk boundaries in tests. */
  readBufferBytes?: number;
  /** Force the delimiter: ',' '\t' ';' '|' or ' ' (runs of spaces/tabs). */
  delimiter?: string;
  /** Force whether the first data line is a header. */
  header?: boolean;
  /**
   * Parse threads. With 2 or more, runs of lines are parsed on worker threads and emitted in file
   * order. Default: one per CPU (at most 4) for files of 64 MiB or more, else 0 (this thread). With
   * idle cores this is ~1.35x faster on 2 cores (bench/import-dense.ts); with no idle core it is
   * slower (start-up and copies), so small files stay on this thread.
   */
  workers?: number;
}

interface Prepared {
  header: SourceHeader;
  dialect: CsvDialect;
  /** Byte offset of the text (after a UTF-8 BOM). */
  start: number;
  size: number;
  /** Physical line number of the first data row (after the header), for messages. */
  firstDataLine: number;
}

const DEFAULT_BUFFER = 8 << 20;
const PARALLEL_MIN_BYTES = 64 << 20;
/** Text parsed per call on the main thread (bounds the fresh value arrays). */
const SLICE_BYTES = 256 << 10;
const SAMPLE_START = 1 << 20;
const SAMPLE_MAX = 64 << 20;
const SAMPLE_LINES = 50;

export async function openCsv(path: string, options: CsvOpenOptions = {}): Promise<MatrixSource> {
  let prepared: Promise<Prepared> | undefined;
  const load = () => (prepared ??= prepare(path, options));
  return {
    path,
    async header() { return (await load()).header; },
    async scanDense(sink: DenseSink, scan: ScanOptions = {}) {
      const p = await load();
      const workers = options.workers ?? (p.size >= PARALLEL_MIN_BYTES ? Math.min(4, availableParallelism()) : 0);
      await scanCsv(path, p, sink, scan, options.readBufferBytes ?? DEFAULT_BUFFER, workers);
    },
  };
}

async function prepare(path: string, options: CsvOpenOptions): Promise<Prepared> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    if (size === 0) throw new InputError(path, 'empty file');
    // Sample the head: grow until it holds enough complete data lines (or the whole file).
    let want = Math.min(size, SAMPLE_START);
    let sample: Buffer, text: Buffer, start: number, complete: boolean;
    for (;;) {
      sample = Buffer.alloc(want);
      const got = await readInto(fh, sample, 0);
      sample = sample.subarray(0, got);
      start = sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf ? 3 : 0;
      complete = got >= size;
      text = sample.subarray(start);
      if (!complete) text = text.subarray(0, text.lastIndexOf(10) + 1);
      const lines = sampleLines(text, SAMPLE_LINES, complete, -3);
      if (complete || lines.length >= Math.min(SAMPLE_LINES, 3) || want >= SAMPLE_MAX) break;
      want = Math.min(size, want * 4);
    }
    if (sample.subarray(0, 4096).includes(0)) {
      throw new InputError(path, 'binary data (NUL bytes) in the first 4 KiB: not a CSV/TSV text file');
    }
    if (!text.includes(10) && text.includes(13) && text.indexOf(13) < text.length - 1) {
      throw new InputError(path, 'lines end with CR only (classic Mac text); convert line ends to LF or CRLF');
    }
    let lines = sampleLines(text, SAMPLE_LINES, complete, -3);
    const sniffOptions = { ext: extname(path).toLowerCase(), delimiter: options.delimiter, header: options.header };
    let d = sniffCsvDialect(text, lines, sniffOptions);
    if (!('problem' in d) && d.delim === 9) {
      // with tab as the delimiter a line of tabs is a row of empty cells, not a blank line: sample again
      lines = sampleLines(text, SAMPLE_LINES, complete, 9);
      d = sniffCsvDialect(text, lines, { ...sniffOptions, delimiter: '\t' });
    }
    if ('problem' in d) throw new InputError(path, d.problem, d.line);
    const { dataLines } = await countCsvDataLines(fh, start, size, d.delim);
    const rows = dataLines - (d.header ? 1 : 0);
    if (rows <= 0) throw new InputError(path, 'no data rows: the file holds only a header line');
    if (d.cols <= 0) throw new InputError(path, 'no columns');
    const header: SourceHeader = {
      rows, cols: d.cols, kind: 'dense', dtype: 'f8', symmetry: 'general',
      info: { format: 'csv', csv: { delimiter: delimiterName(d.delim), header: d.header } },
    };
    const firstDataLine = (d.header ? lines[1] : lines[0])?.line ?? 1;
    return { header, dialect: d, start, size, firstDataLine };
  } finally {
    await fh.close();
  }
}

async function scanCsv(path: string, p: Prepared, sink: DenseSink, scan: ScanOptions, bufferBytes: number, workers: number): Promise<void> {
  const { rows, cols } = p.header;
  const dialect: RunDialect = { delim: p.dialect.delim, cols, firstDataLine: p.firstDataLine };
  let line = 1, row = 0, headerPending = p.dialect.header;
  const fail = (detail: string, at: number): never => { throw new InputError(path, detail, at); };
  const emit = async (values: Float64Array, n: number): Promise<void> => {
    for (let r = 0; r < n; r++) {
      if (row >= rows) throw new InputError(path, `the file changed while importing: more than the ${rows} data rows counted before`, line);
      const ret = sink.rowRun(row, 0, values.subarray(r * cols, (r + 1) * cols));
      if (ret) await ret;
      row++;
    }
  };
  const pool = workers > 1 ? new CsvParsePool(workers) : undefined;
  const free: ArrayBuffer[] = [];
  const inflight: { result: Promise<CsvParseResult>; len: number }[] = [];
  const consume = async (job: { result: Promise<CsvParseResult>; len: number }): Promise<void> => {
    const r = await job.result;
    if (r.error) {
      // re-parse here: the same code, now knowing the line numbers, throws the exact error
      parseCsvRun(new Uint8Array(r.buf, 0, job.len), 0, job.len, dialect, line, false, fail);
      throw new Error(`${path}: a CSV parse worker reported an error near line ${line} that could not be reproduced`);
    }
    await emit(r.values!, r.rows);
    line += r.lines;
    free.push(r.buf);
  };
  try {
    for await (const run of readLineRuns(path, p.start, p.size, bufferBytes, scan)) {
      if (!pool || headerPending) {
        // on this thread, in slices of about SLICE_BYTES of whole lines: small value arrays
        for (let s0 = 0; s0 < run.end;) {
          let e0 = Math.min(run.end, s0 + SLICE_BYTES);
          if (e0 < run.end) {
            const nl = run.buf.lastIndexOf(10, e0 - 1);
            if (nl >= s0) e0 = nl + 1;
            else { const f = run.buf.indexOf(10, e0); e0 = f >= 0 && f < run.end ? f + 1 : run.end; }
          }
          const r = parseCsvRun(run.buf, s0, e0, dialect, line, headerPending, fail);
          await emit(r.values, r.rows);
          line += r.lines;
          headerPending = r.headerPending;
          s0 = e0;
        }
        continue;
      }
      const k = free.findIndex(ab => ab.byteLength >= run.end);
      const ab = k >= 0 ? free.splice(k, 1)[0] : new ArrayBuffer(Math.max(run.end, Math.min(bufferBytes, p.size)));
      new Uint8Array(ab, 0, run.end).set(run.buf.subarray(0, run.end));
      inflight.push({ result: pool.parse({ buf: ab, len: run.end, dialect }), len: run.end });
      while (inflight.length >= 2 * pool.size) await consume(inflight.shift()!);
    }
    while (inflight.length) await consume(inflight.shift()!);
    if (scan.signal?.aborted) throw new CancelledError();
    if (row !== rows) {
      throw new InputError(path, `the file changed while importing: ${rows} data rows counted before, ${row} read`);
    }
  } finally {
    await pool?.close();
  }
}

/**
 * Reads the file from `start` in runs of whole lines: each yielded run is bytes [0, end) of `buf`
 * (reused: done with it before asking for the next). The buffer grows to fit a longer line.
 */
async function* readLineRuns(path: string, start: number, size: number, bufferBytes: number, scan: ScanOptions): AsyncGenerator<{ buf: Buffer; end: number }> {
  const fh = await open(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(Math.max(1, Math.min(bufferBytes, size)));
    let pos = start, carry = 0;
    for (;;) {
      if (scan.signal?.aborted) throw new CancelledError();
      if (carry === buf.length) { // a line longer than the buffer: grow
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const n = pos < size ? (await fh.read(buf, carry, Math.min(buf.length - carry, size - pos), pos)).bytesRead : 0;
      pos += n;
      const eof = n === 0 || pos >= size;
      const avail = carry + n;
      let end: number;
      if (eof) end = avail;
      else {
        const nl = buf.lastIndexOf(10, avail - 1);
        if (nl < 0) { carry = avail; continue; }
        end = nl + 1;
      }
      if (end > 0) yield { buf, end };
      carry = avail - end;
      if (carry > 0) buf.copy(buf, 0, end, avail);
      scan.onBytes?.(pos - carry, size);
      if (eof) break;
    }
  } finally {
    await fh.close();
  }
}

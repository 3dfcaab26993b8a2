// The CSV/TSV importer: a dense real (f8) MatrixSource over a delimited text file.
//
// `header()` sniffs the dialect from the first lines (see sniff-csv-dialect.ts) and counts the data
// lines in a fast byte pass (cached). `scanDense` parses the file in bounded chunks (complete lines
// parsed in place as bytes) and emits one `rowRun` per data row. Never holds the whole file.
//
// Decisions: lines that are blank (spaces/tabs only) or start with '#' are skipped anywhere; an
// unquoted '#' ends a line's data (comment); a UTF-8 byte-order mark is ignored; LF or CRLF line
// ends; a line may end with one extra empty field (a trailing delimiter), which is not a column;
// empty cells, nan, NA, N/A are NaN; inf/infinity (any case, signed) are ±Infinity; "1.5" quoted
// numbers are numbers. A header row, when detected, is skipped (its names are not kept). In a
// one-column file an empty cell makes a blank line, which is skipped like any blank line (write NA).
// A last column that is empty on every sampled line reads as a trailing delimiter (see the sniffer).
// Numbers are exact: Clinger's fast path, else the byte-level Eisel–Lemire parser (== Number(text)).

import { open, type FileHandle } from 'node:fs/promises';
import { extname } from 'node:path';
import { CancelledError, InputError, type DenseSink, type MatrixSource, type ScanOptions, type SourceHeader } from '../matrix-source';
import { countCsvDataLines } from './count-csv-rows';
import { field, isSkippedLine, latin1, readField } from './csv-fields';
import { numberStatus, parseCsvNumber } from './csv-number';
import { delimiterName, sampleLines, sniffCsvDialect, type CsvDialect } from './sniff-csv-dialect';

export interface CsvOpenOptions {
  /** Bytes per read (default 8 MiB); grows to fit a longer line. Tiny values exercise chunk boundaries in tests. */
  readBufferBytes?: number;
  /** Force the delimiter: ',' '\t' ';' '|' or ' ' (runs of spaces/tabs). */
  delimiter?: string;
  /** Force whether the first data line is a header. */
  header?: boolean;
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

// Local bindings: module imports can be accessor properties under some loaders (tsx); the hot loop
// should not pay a getter per cell.
const F = field;
const NS = numberStatus;
const parseNumber = parseCsvNumber;
const read = readField;
const skipped = isSkippedLine;

const DEFAULT_BUFFER = 8 << 20;
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
      await scanCsv(path, await load(), sink, scan, options.readBufferBytes ?? DEFAULT_BUFFER);
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
      const got = await readFully(fh, sample, 0);
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

async function scanCsv(path: string, p: Prepared, sink: DenseSink, scan: ScanOptions, bufferBytes: number): Promise<void> {
  const { rows, cols } = p.header;
  const { delim, header } = p.dialect;
  const fh = await open(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(Math.max(1, Math.min(bufferBytes, p.size)));
    let pos = p.start, carry = 0, line = 1, row = 0;
    let headerPending = header;
    const fail = (detail: string): never => { throw new InputError(path, detail, line); };
    for (;;) {
      if (scan.signal?.aborted) throw new CancelledError();
      if (carry === buf.length) { // a line longer than the buffer: grow
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const n = pos < p.size ? (await fh.read(buf, carry, Math.min(buf.length - carry, p.size - pos), pos)).bytesRead : 0;
      pos += n;
      const eof = n === 0 || pos >= p.size;
      const avail = carry + n;
      let end: number;
      if (eof) end = avail;
      else {
        const nl = buf.lastIndexOf(10, avail - 1);
        if (nl < 0) { carry = avail; continue; }
        end = nl + 1;
      }
      const t = buf;
      let ls = 0;
      while (ls < end) {
        let nl = t.indexOf(10, ls);
        if (nl < 0 || nl >= end) nl = end;
        let le = nl;
        if (le > ls && t[le - 1] === 13) le--;
        if (!skipped(t, ls, le, delim)) {
          if (headerPending) headerPending = false;
          else {
            if (row >= rows) fail(`the file changed while importing: more than the ${rows} data rows counted before`);
            const out = new Float64Array(cols);
            let q = ls, k = 0, extraEmpty = false;
            for (;;) {
              read(t, q, le, delim);
              if (F.bad) fail(`malformed quoted field in column ${k + 1} (unclosed quote or text after the closing quote; quoted fields cannot span lines)`);
              if (k < cols) {
                const v = F.escaped ? NaN : parseNumber(t, F.start, F.end);
                if (F.escaped || !NS.ok) fail(notNumberMessage(latin1(t, F.start, F.end), k + 1));
                out[k] = v;
              } else if (k === cols) extraEmpty = F.start === F.end && !F.quoted;
              k++;
              if (!F.more) break;
              q = F.next;
            }
            if (k !== cols && !(k === cols + 1 && extraEmpty)) {
              fail(`line has ${k} field${k === 1 ? '' : 's'}, expected ${cols} (as on line ${p.firstDataLine})`);
            }
            const r = sink.rowRun(row, 0, out);
            if (r) await r;
            row++;
          }
        }
        ls = nl + 1;
        line++;
      }
      carry = avail - end;
      if (carry > 0) buf.copy(buf, 0, end, avail);
      scan.onBytes?.(pos - carry, p.size);
      if (eof) break;
    }
    if (row !== rows) {
      throw new InputError(path, `the file changed while importing: ${rows} data rows counted before, ${row} read`);
    }
  } finally {
    await fh.close();
  }
}

function notNumberMessage(latin1: string, column: number): string {
  let s = Buffer.from(latin1, 'latin1').toString('utf8');
  if (s.length > 40) s = `${s.slice(0, 37)}...`;
  const hint = /^[+-]?\d+,\d+$/.test(s) ? ' (decimal commas are not supported)' : '';
  return `not a number: ${JSON.stringify(s)} in column ${column}${hint}`;
}

async function readFully(fh: FileHandle, buf: Buffer, position: number): Promise<number> {
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

// Parses a run of whole CSV lines (bytes) into row-major values. The same code runs on the main
// thread and in parse workers, so both read a line identically; errors go through `fail`.

import { field, isSkippedLine, latin1, readField } from './csv-fields';
import { numberStatus, parseCsvNumber } from './csv-number';
import { parseDecimalInto } from '../text/parse-decimal';

// Local bindings: module imports can be accessor properties under some loaders (tsx); the hot loop
// should not pay a getter per cell.
const F = field;
const NS = numberStatus;
const parseNumber = parseCsvNumber;
const read = readField;
const skipped = isSkippedLine;
const parseInto = parseDecimalInto;

export interface RunDialect {
  delim: number;
  cols: number;
  /** Physical line of the first data row, named in ragged-row messages. */
  firstDataLine: number;
}

export interface RunResult {
  /** Rows written to `values` (row-major, `cols` each). */
  rows: number;
  values: Float64Array;
  /** Lines consumed (newlines, plus a last line without one). */
  lines: number;
  /** Whether the header line is still to come. */
  headerPending: boolean;
}

/** Upper bound of the lines in t[start, end). */
export function countLines(t: Uint8Array, start: number, end: number): number {
  let n = 1;
  for (let i = t.indexOf(10, start); i >= 0 && i < end; i = t.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * Parse lines t[start, end) (whole lines; the last may lack its newline only at end of file).
 * `line` is the physical number of the first line; `fail(detail, line)` must throw.
 */
export function parseCsvRun(
  t: Uint8Array, start: number, end: number, d: RunDialect, line: number, headerPending: boolean,
  fail: (detail: string, line: number) => never,
): RunResult {
  const { delim, cols } = d;
  const values = new Float64Array(countLines(t, start, end) * cols);
  let rows = 0, lines = 0, ls = start;
  while (ls < end) {
    let nl = t.indexOf(10, ls);
    if (nl < 0 || nl >= end) nl = end;
    let le = nl;
    if (le > ls && t[le - 1] === 13) le--;
    if (!skipped(t, ls, le, delim)) {
      if (headerPending) headerPending = false;
      else {
        const base = rows * cols;
        let q = ls, k = 0, extraEmpty = false;
        for (;;) {
          read(t, q, le, delim);
          if (F.bad) fail(`malformed quoted field in column ${k + 1} (unclosed quote or text after the closing quote; quoted fields cannot span lines)`, line + lines);
          if (k < cols) {
            // common case: the exact byte parser writes the value in place (no boxed double per cell);
            // anything it does not take whole (empty, NA, quotes with "") goes through parseCsvNumber
            if (F.escaped || parseInto(t, F.start, F.end, values, base + k) !== F.end) {
              const v = F.escaped ? NaN : parseNumber(t, F.start, F.end);
              if (F.escaped || !NS.ok) fail(notNumberMessage(latin1(t, F.start, F.end), k + 1), line + lines);
              values[base + k] = v;
            }
          } else if (k === cols) extraEmpty = F.start === F.end && !F.quoted;
          k++;
          if (!F.more) break;
          q = F.next;
        }
        if (k !== cols && !(k === cols + 1 && extraEmpty)) {
          fail(`line has ${k} field${k === 1 ? '' : 's'}, expected ${cols} (as on line ${d.firstDataLine})`, line + lines);
        }
        rows++;
      }
    }
    ls = nl + 1;
    lines++;
  }
  return { rows, values, lines, headerPending };
}

function notNumberMessage(latin1Text: string, column: number): string {
  let s = Buffer.from(latin1Text, 'latin1').toString('utf8');
  if (s.length > 40) s = `${s.slice(0, 37)}...`;
  const hint = /^[+-]?\d+,\d+$/.test(s) ? ' (decimal commas are not supported)' : '';
  return `not a number: ${JSON.stringify(s)} in column ${column}${hint}`;
}

// Guess a CSV/TSV file's dialect from its first lines: the delimiter (comma, tab, semicolon, pipe or
// runs of spaces), whether the first data line is a header, whether lines end with a stray delimiter,
// and the column count.
//
// Delimiter: among the candidates that split the sampled data lines (after the first, which may be a
// header) into the same number (> 1) of fields, prefer the one whose fields are all numbers; ties go to
// the extension's own delimiter (.csv comma, .tsv/.tab tab), then comma, tab, semicolon, pipe, spaces.
// Header: the first data line holds a non-numeric cell (names); numbers, empty cells and NaN/inf
// spellings are data. Trailing delimiter: when every sampled data line ends with the delimiter, that
// last empty field is not a column (on every line; a line may also omit it).

import { field, isSkippedLine, readField, WHITESPACE } from './csv-fields';
import { numberStatus, parseCsvNumber } from './csv-number';

export interface CsvDialect {
  /** Char code of the delimiter, or WHITESPACE (-1) for runs of spaces/tabs. */
  delim: number;
  /** The first data line is a header (skipped). */
  header: boolean;
  /** Lines may end with one extra delimiter, which is not a column. */
  trailingDelimiter: boolean;
  /** Columns of the matrix. */
  cols: number;
}

export interface SampleLine {
  /** 1-based physical line number. */
  line: number;
  start: number;
  end: number;
}

export const delimiterName = (d: number): string => (d === WHITESPACE ? ' ' : String.fromCharCode(d));

const CANDIDATES = [44 /* , */, 9 /* \t */, 59 /* ; */, 124 /* | */, WHITESPACE];

/** Data lines (not blank, not comments) of a sample text, at most `max`. */
export function sampleLines(t: Uint8Array, max: number, complete: boolean, skipDelim: number): SampleLine[] {
  const out: SampleLine[] = [];
  let p = 0, line = 1;
  while (p < t.length && out.length < max) {
    let nl = t.indexOf(10, p);
    if (nl < 0) { if (!complete) break; nl = t.length; }
    let end = nl;
    if (end > p && t[end - 1] === 13) end--;
    if (!isSkippedLine(t, p, end, skipDelim)) out.push({ line, start: p, end });
    p = nl + 1; line++;
  }
  return out;
}

/** Fields of a line, how many are numbers, whether the last is empty, whether a quote is malformed. */
export function scanLine(t: Uint8Array, l: SampleLine, delim: number): { fields: number; numeric: number; lastEmpty: boolean; bad: boolean } {
  let p = l.start, fields = 0, numeric = 0, lastEmpty = false, bad = false;
  for (;;) {
    readField(t, p, l.end, delim);
    fields++;
    lastEmpty = field.start === field.end && !field.quoted;
    bad ||= field.bad;
    if (!field.escaped && !field.bad) {
      parseCsvNumber(t, field.start, field.end);
      if (numberStatus.ok) numeric++;
    }
    if (!field.more) break;
    p = field.next;
  }
  return { fields, numeric, lastEmpty, bad };
}

export interface SniffOptions {
  /** Lower-case extension with the dot, e.g. '.tsv'. */
  ext?: string;
  /** Force a delimiter (',' '\t' ';' '|' or ' ' for runs of spaces). */
  delimiter?: string;
  /** Force header detection on/off. */
  header?: boolean;
}

/** Sniff from the sample bytes t. `lines` are its data lines. Returns the dialect or a reason it is not CSV. */
export function sniffCsvDialect(t: Uint8Array, lines: SampleLine[], options: SniffOptions = {}): CsvDialect | { problem: string; line?: number } {
  if (lines.length === 0) return { problem: 'no data: the file is empty (or holds only blank and # comment lines)' };
  const prefer = options.ext === '.tsv' || options.ext === '.tab' ? 9 : options.ext === '.csv' ? 44 : -2;
  let candidates = CANDIDATES;
  if (options.delimiter !== undefined) candidates = [options.delimiter === ' ' ? WHITESPACE : options.delimiter.charCodeAt(0)];

  interface Scored { delim: number; cols: number; numeric: number; consistent: boolean; trailing: boolean; firstMatches: boolean }
  const scored: Scored[] = [];
  for (const delim of candidates) {
    const split = lines.map(l => scanLine(t, l, delim));
    const body = split.length > 1 ? split.slice(1) : split;
    // An empty last field on every body line may be a trailing delimiter or an empty last column: score both
    // readings (trailing first, so it wins a tie). With one body line, the first line often tells them apart.
    const mayTrail = delim !== WHITESPACE && body.every(f => f.fields > 1 && f.lastEmpty);
    for (const trailing of mayTrail ? [true, false] : [false]) {
      const counts = body.map(f => f.fields - (trailing ? 1 : 0));
      const cols = counts[0];
      const consistent = counts.every(c => c === cols);
      let cells = 0, nums = 0;
      for (const f of body) { cells += f.fields - (trailing ? 1 : 0); nums += f.numeric - (trailing ? 1 : 0); }
      // the first line (data or header) splits into as many fields too
      const firstMatches = split[0].fields - (trailing && split[0].lastEmpty ? 1 : 0) === cols;
      scored.push({ delim, cols, numeric: cells ? nums / cells : 0, consistent, trailing, firstMatches });
    }
  }
  const rank = (s: Scored) => (s.consistent ? 8 : 0) + (s.cols > 1 ? 4 : 0) + (s.numeric === 1 ? 2 : 0) + (s.firstMatches ? 1 : 0);
  let best = scored[0];
  for (const s of scored) {
    const better = rank(s) > rank(best) || (rank(s) === rank(best) && (
      s.numeric > best.numeric || (s.numeric === best.numeric && s.delim === prefer && best.delim !== prefer)));
    if (better) best = s;
  }
  let delim = best.delim;
  if (best.cols <= 1 && options.delimiter === undefined) {
    // one column: the delimiter does not matter; record the extension's
    delim = prefer === 9 ? 9 : prefer === 44 ? 44 : best.delim === WHITESPACE ? WHITESPACE : best.delim;
    if (scored.every(s => s.cols <= 1)) delim = prefer === 9 ? 9 : 44;
  }
  const first = scanLine(t, lines[0], delim);
  if (first.bad) return { problem: 'a quoted field is not closed on its line (quoted fields cannot span lines)', line: lines[0].line };
  let header: boolean;
  if (options.header !== undefined) header = options.header;
  else header = first.numeric < first.fields;
  const dataLine = header ? lines[1] : lines[0];
  if (!dataLine) return { problem: 'no data rows: the file holds only a header line', line: lines[0].line };
  const data = scanLine(t, dataLine, delim);
  const trailing = delim !== WHITESPACE && (delim === best.delim ? best.trailing : false);
  const cols = data.fields - (trailing && data.lastEmpty && data.fields > 1 ? 1 : 0);
  return { delim, header, trailingDelimiter: trailing, cols };
}

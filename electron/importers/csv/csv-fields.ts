// Splitting one CSV line into fields, shared by the sniffer and the scanner so both read a line the
// same way. Works on byte ranges of a buffer; results go into one reused object.
//
// Rules: spaces and tabs around a field are ignored (unless the tab is the delimiter); a field may be
// quoted with "..." ("" inside is a quote); an unquoted '#' ends the line's data (comment);
// `WHITESPACE` mode splits on runs of spaces/tabs. Quoted fields cannot span lines.

/** Delimiter code for "runs of spaces/tabs". */
export const WHITESPACE = -1;

export const field = {
  /** Field text [start, end), trimmed, quotes removed. */
  start: 0,
  end: 0,
  quoted: false,
  /** Quoted field containing "" (its text needs unescaping) — never a number. */
  escaped: false,
  /** Malformed: unterminated quote, or text after the closing quote. */
  bad: false,
  /** Where the next field starts (valid when `more`). */
  next: 0,
  /** Another field follows on this line. */
  more: false,
};

const isBlank = (c: number, delim: number) => (c === 32 || c === 9 || c === 13) && c !== delim;

/**
 * True when line t[start, end) holds no data: only spaces/tabs/CR (other than the delimiter), or a
 * '#' comment after them. The row counter applies the same rule to bytes.
 */
export function isSkippedLine(t: Uint8Array, start: number, end: number, delim: number): boolean {
  let p = start;
  while (p < end && isBlank(t[p], delim)) p++;
  return p === end || t[p] === 35 /* # */;
}

/** Read the field starting at `p` on line t[p, end) (end excludes the newline and any CR). */
export function readField(t: Uint8Array, p: number, end: number, delim: number): void {
  let c = 0;
  while (p < end && ((c = t[p]) === 32 || c === 9) && c !== delim) p++;
  field.quoted = false; field.escaped = false; field.bad = false;
  if (p < end && t[p] === 34 /* " */) {
    field.quoted = true;
    let q = p + 1;
    for (;;) {
      const close = t.indexOf(34, q);
      if (close < 0 || close >= end) { field.bad = true; field.start = p; field.end = end; field.more = false; return; }
      if (close + 1 < end && t[close + 1] === 34) { field.escaped = true; q = close + 2; continue; }
      field.start = p + 1; field.end = close;
      p = close + 1;
      break;
    }
    // trim inside the quotes
    while (field.start < field.end && ((c = t[field.start]) === 32 || c === 9)) field.start++;
    while (field.end > field.start && ((c = t[field.end - 1]) === 32 || c === 9)) field.end--;
    while (p < end && ((c = t[p]) === 32 || c === 9) && c !== delim) p++;
    if (p < end && (c = t[p]) !== delim && c !== 35 && !(delim === WHITESPACE)) { field.bad = true; field.end = end; field.more = false; return; }
  } else {
    field.start = p;
    if (delim === WHITESPACE) {
      while (p < end && (c = t[p]) !== 32 && c !== 9 && c !== 35) p++;
      field.end = p;
    } else {
      while (p < end && (c = t[p]) !== delim && c !== 35) p++;
      let e = p;
      while (e > field.start && ((c = t[e - 1]) === 32 || c === 9) && c !== delim) e--;
      field.end = e;
    }
  }
  if (delim === WHITESPACE) {
    while (p < end && ((c = t[p]) === 32 || c === 9)) p++;
    field.more = p < end && t[p] !== 35;
    field.next = p;
    return;
  }
  field.more = p < end && t[p] === delim;
  field.next = p + 1;
}

/** Bytes [start, end) as a latin1 string (one char per byte). */
export function latin1(t: Uint8Array, start: number, end: number): string {
  return Buffer.from(t.buffer, t.byteOffset + start, Math.max(0, end - start)).toString('latin1');
}

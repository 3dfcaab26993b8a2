// The byte-level parsers for the data lines of a Matrix Market file (after the size line).
// They consume runs of whole lines, each ending in '\n' (see text/chunked-reader), never build strings
// or JS arrays per entry, and keep their state between runs.
import { InputError, type EntryChunk, type SparseSink } from '../matrix-source';
import { parseDecimalInto } from '../text/parse-decimal';

// Module binding captured once: compiled ES-module imports go through a getter on every access.
const parseInto = parseDecimalInto;
import type { MtxHeader } from './mtx-header';

/** Entries per emitted chunk. */
export const ENTRY_CHUNK = 65536;

const enum Kind { Real = 0, Integer = 1, Pattern = 2, Complex = 3 }
const enum Sym { General = 0, Symmetric = 1, Skew = 2, Hermitian = 3 }

const kindOf = (h: MtxHeader): Kind =>
  h.field === 'pattern' ? Kind.Pattern : h.field === 'complex' ? Kind.Complex : h.field === 'integer' ? Kind.Integer : Kind.Real;
const symOf = (h: MtxHeader): Sym =>
  h.symmetry === 'symmetric' ? Sym.Symmetric : h.symmetry === 'skew-symmetric' ? Sym.Skew : h.symmetry === 'hermitian' ? Sym.Hermitian : Sym.General;

/** Text of the token starting at p (up to a blank or end of line), for messages. */
function tokenAt(b: Uint8Array, p: number): string {
  let e = p;
  while (e < b.length && b[e] > 32 && e - p < 60) e++;
  let s = '';
  for (let k = p; k < e; k++) s += String.fromCharCode(b[k]);
  return s;
}

const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 13;

/** Checks an integer-field token: [+-]?digits. */
function isIntegerToken(b: Uint8Array, s: number, e: number): boolean {
  let p = s;
  if (b[p] === 43 || b[p] === 45) p++;
  if (p >= e) return false;
  for (; p < e; p++) if (b[p] < 48 || b[p] > 57) return false;
  return true;
}

abstract class BodyParser {
  /** 1-based number of the next line to parse. */
  line: number;
  protected readonly kind: Kind;
  protected readonly sym: Sym;
  constructor(protected readonly path: string, protected readonly h: MtxHeader) {
    this.line = h.dataLine;
    this.kind = kindOf(h);
    this.sym = symOf(h);
  }

  protected fail(detail: string, line: number): never {
    throw new InputError(this.path, detail, line);
  }

  /** Error for a bad value token at p (called after parseDecimal failed or integer syntax failed). */
  protected badValue(b: Uint8Array, p: number, line: number, what: string): never {
    const c = b[p];
    if (c === 10 || isBlank(c) || c === 37) this.fail(`truncated entry: the ${what} is missing`, line);
    const t = tokenAt(b, p);
    if (this.kind === Kind.Integer) this.fail(`${what} ${JSON.stringify(t)} is not an integer`, line);
    this.fail(`${what} ${JSON.stringify(t)} is not a number`, line);
  }

  /**
   * Parses one value token at p into out[at] (integers: syntax checked, -0 → +0). Returns the position
   * after the token.
   */
  protected value(b: Uint8Array, p: number, end: number, out: Float64Array, at: number, line: number, what: string): number {
    const e = parseInto(b, p, end, out, at);
    if (e < 0) this.badValue(b, p, line, what);
    if (this.kind === Kind.Integer) {
      if (!isIntegerToken(b, p, e)) this.badValue(b, p, line, what);
      out[at] += 0; // integers have no -0 (as in SciPy's int64)
    }
    return e;
  }

  /** After the last number of an entry: blanks, optional '%' comment, then '\n'. Returns p after '\n'. */
  protected endOfLine(b: Uint8Array, p: number, line: number, expected: string): number {
    let c = b[p];
    while (isBlank(c)) c = b[++p];
    if (c === 37) { while (b[p] !== 10) p++; c = 10; }
    if (c !== 10) {
      if (c < 32) this.fail(`unexpected control character 0x${c.toString(16).padStart(2, '0')} in the entry`, line);
      this.fail(`unexpected ${JSON.stringify(tokenAt(b, p))} after the entry (${this.h.format === 'array' ? 'an' : 'a'} ${this.h.format} ${this.h.field} line holds ${expected})`, line);
    }
    return p + 1;
  }
}

/** Coordinate files: emits 0-based entries with symmetry expanded, in file order, in chunks. */
export class CoordinateParser extends BodyParser {
  /** Entry lines read so far. */
  count = 0;
  /** Entries emitted (after expansion). */
  emitted = 0;
  private n = 0;
  private readonly chunk: EntryChunk;

  /** `into`: the arrays to parse into (chunkSize elements each; `im` for complex files), default fresh ones. */
  constructor(path: string, h: MtxHeader, private readonly sink: SparseSink, chunkSize = ENTRY_CHUNK,
    into?: { rows: Uint32Array; cols: Uint32Array; re: Float64Array; im?: Float64Array }) {
    super(path, h);
    const cap = Math.max(2, chunkSize);
    this.chunk = into ? { length: 0, rows: into.rows, cols: into.cols, re: into.re, im: into.im } : {
      length: 0,
      rows: new Uint32Array(cap),
      cols: new Uint32Array(cap),
      re: new Float64Array(cap),
      im: this.kind === Kind.Complex ? new Float64Array(cap) : undefined,
    };
  }

  private expectedText(): string {
    return this.kind === Kind.Pattern ? '"row col"' : this.kind === Kind.Complex ? '"row col real imag"' : '"row col value"';
  }

  private badIndex(b: Uint8Array, s: number, line: number, which: 'row' | 'column'): never {
    const c = b[s];
    if (c === 10 || c === 13 || c === 37) this.fail(`truncated entry: the ${which} index is missing (expected ${this.expectedText()})`, line);
    const t = tokenAt(b, s);
    const bound = which === 'row' ? this.h.rows : this.h.cols;
    if (/^[+-]?\d+$/.test(t)) this.fail(`${which} index ${t} is out of range 1..${bound}`, line);
    this.fail(`${which} index ${JSON.stringify(t)} is not a whole number`, line);
  }

  /** Parses b[p..end) — whole lines, the last ending in '\n'. */
  parse(b: Uint8Array, p: number, end: number): void {
    const R = this.h.rows, C = this.h.cols, declared = this.h.declared;
    const kind = this.kind, sym = this.sym;
    const ch = this.chunk;
    // (reloaded after each sink call: a sink may swap in fresh arrays, see mtx-parse-worker)
    let rows = ch.rows, cols = ch.cols, re = ch.re, im = ch.im;
    const cap = rows.length - 1;
    let line = this.line, count = this.count, n = this.n;
    while (p < end) {
      let c = b[p];
      while (c === 32 || c === 9 || c === 13) c = b[++p];
      if (c === 10) { p++; line++; continue; }
      if (c === 37) { while (b[p] !== 10) p++; p++; line++; continue; }
      if (count === declared) {
        this.fail(`more entries than the ${declared} declared on the size line`, line);
      }
      // row index
      let s = p;
      if (c === 43) c = b[++p];
      let ds = p;
      let i = 0;
      while (c >= 48 && c <= 57) { i = i * 10 + (c - 48); c = b[++p]; }
      if (p === ds || !(c === 32 || c === 9) || i < 1 || i > R) {
        if (p !== ds && i >= 1 && i <= R && (c === 10 || c === 13)) this.badIndex(b, p, line, 'column');
        this.badIndex(b, s, line, 'row');
      }
      while (c === 32 || c === 9) c = b[++p];
      // column index
      s = p;
      if (c === 43) c = b[++p];
      ds = p;
      let j = 0;
      while (c >= 48 && c <= 57) { j = j * 10 + (c - 48); c = b[++p]; }
      if (p === ds || c > 32 || j < 1 || j > C) this.badIndex(b, s, line, 'column');
      if (kind === Kind.Real) {
        while (c === 32 || c === 9) c = b[++p];
        const e = parseInto(b, p, end, re, n);
        if (e < 0) this.badValue(b, p, line, 'value');
        p = e;
      } else if (kind === Kind.Pattern) {
        re[n] = 1;
      } else {
        while (c === 32 || c === 9) c = b[++p];
        p = this.value(b, p, end, re, n, line, kind === Kind.Complex ? 'real part' : 'value');
        if (im !== undefined) {
          c = b[p];
          while (c === 32 || c === 9) c = b[++p];
          p = this.value(b, p, end, im, n, line, 'imaginary part');
        }
      }
      c = b[p];
      if (c === 10) p++;
      else p = this.endOfLine(b, p, line, this.expectedText());
      line++;
      count++;
      rows[n] = i - 1; cols[n] = j - 1;
      n++;
      if (sym !== Sym.General && i !== j) {
        rows[n] = j - 1; cols[n] = i - 1;
        const v = re[n - 1];
        if (sym === Sym.Skew) re[n] = kind === Kind.Integer ? 0 - v : -v;
        else re[n] = v;
        if (im !== undefined) {
          const w = im[n - 1];
          im[n] = sym === Sym.Skew || sym === Sym.Hermitian ? -w : w;
        }
        n++;
      }
      if (n >= cap) {
        this.emitted += n;
        ch.length = n;
        this.sink.entries(ch);
        n = 0;
        rows = ch.rows; cols = ch.cols; re = ch.re; im = ch.im;
      }
    }
    this.line = line; this.count = count; this.n = n;
  }

  /** Emits the entries collected so far. */
  flush(): void {
    if (this.n > 0) {
      this.emitted += this.n;
      this.chunk.length = this.n;
      this.sink.entries(this.chunk);
      this.n = 0;
    }
  }

  /** End of file: flush and check the entry count. */
  finish(): void {
    this.flush();
    if (this.count < this.h.declared) {
      this.fail(`file ends after ${this.count} of the ${this.h.declared} entries declared on the size line (truncated?)`, Math.max(1, this.line - 1));
    }
  }
}

/**
 * Array files: values in column-major order, one per line (two for complex). For symmetric /
 * hermitian files the lower triangle by columns (skew-symmetric: strictly lower). `parse` stops as
 * soon as a column run is ready (`ready`), so the caller can await the sink before continuing.
 */
export class ArrayParser extends BodyParser {
  count = 0;
  ready = false;
  /** Column and first row of the ready run; values in re/im [0, runLength). */
  runCol = 0;
  runRow = 0;
  runLength = 0;
  readonly re: Float64Array;
  readonly im?: Float64Array;
  private col = 0;
  private row = 0;

  constructor(path: string, h: MtxHeader, runSize = 65536) {
    super(path, h);
    const cap = Math.max(1, Math.min(runSize, h.rows));
    this.re = new Float64Array(cap);
    if (this.kind === Kind.Complex) this.im = new Float64Array(cap);
    this.row = this.firstRow(0);
    this.runRow = this.row;
  }

  private firstRow(col: number): number {
    return this.sym === Sym.General ? 0 : this.sym === Sym.Skew ? col + 1 : col;
  }

  /** Call after the caller has consumed a ready run. */
  consumed(): void {
    this.ready = false;
    this.runLength = 0;
    this.runCol = this.col;
    this.runRow = this.row;
  }

  parse(b: Uint8Array, p: number, end: number): number {
    const declared = this.h.declared, R = this.h.rows;
    const complex = this.kind === Kind.Complex;
    const re = this.re, im = this.im;
    const cap = re.length;
    let line = this.line;
    while (p < end) {
      let c = b[p];
      while (c === 32 || c === 9 || c === 13) c = b[++p];
      if (c === 10) { p++; line++; continue; }
      if (c === 37) { while (b[p] !== 10) p++; p++; line++; continue; }
      if (this.count === declared) {
        this.fail(`more values than the ${declared} a ${R} x ${this.h.cols} ${this.h.symmetry} array holds`, line);
      }
      p = this.value(b, p, end, re, this.runLength, line, complex ? 'real part' : 'value');
      if (im !== undefined) {
        c = b[p];
        while (c === 32 || c === 9) c = b[++p];
        p = this.value(b, p, end, im, this.runLength, line, 'imaginary part');
      }
      if (b[p] === 10) p++;
      else p = this.endOfLine(b, p, line, complex ? '"real imag"' : 'one value');
      line++;
      this.count++;
      this.runLength++;
      this.row++;
      if (this.row >= R) {
        this.col++;
        while (this.col < this.h.cols && this.firstRow(this.col) >= R) this.col++;
        this.row = this.firstRow(this.col);
        this.ready = true;
      } else if (this.runLength === cap) {
        this.ready = true;
      }
      if (this.ready) break;
    }
    this.line = line;
    return p;
  }

  finish(): void {
    if (this.count < this.h.declared) {
      this.fail(`file ends after ${this.count} of the ${this.h.declared} values a ${this.h.rows} x ${this.h.cols} ${this.h.symmetry} array holds (truncated?)`, Math.max(1, this.line - 1));
    }
  }
}

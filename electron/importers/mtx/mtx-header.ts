// Reads and validates the Matrix Market banner and size line.
// Tolerates: a UTF-8 BOM, leading blanks, `%MatrixMarket` with one '%', any letter case, extra words after the
// symmetry, comment lines ('%' after optional blanks) and blank lines before the size line, CRLF, tabs.
import { InputError } from '../matrix-source';
import { readLineRuns } from '../text/chunked-reader';

export type MtxFormat = 'coordinate' | 'array';
export type MtxField = 'real' | 'double' | 'integer' | 'pattern' | 'complex';
export type MtxSymmetry = 'general' | 'symmetric' | 'skew-symmetric' | 'hermitian';

export interface MtxHeader {
  format: MtxFormat;
  field: MtxField;
  symmetry: MtxSymmetry;
  rows: number;
  cols: number;
  /** Coordinate: entry lines declared on the size line. Array: values the file must hold. */
  declared: number;
  /** Byte offset of the first byte after the size line. */
  dataOffset: number;
  /** 1-based number of the line after the size line. */
  dataLine: number;
}

const FORMATS = ['coordinate', 'array'];
const FIELDS = ['real', 'double', 'integer', 'pattern', 'complex'];
const SYMMETRIES = ['general', 'symmetric', 'skew-symmetric', 'hermitian'];
/** Indices are stored as uint32 (0-based). */
export const MAX_DIM = 4294967296;

const show = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

export async function readMtxHeader(path: string, readSize?: number): Promise<MtxHeader> {
  let line = 0;
  let banner: string[] | undefined;
  for await (const run of readLineRuns(path, 0, { readSize: readSize ?? 64 * 1024, maxLine: 1024 * 1024 },
    (off) => new InputError(path, `line ${line + 1} is longer than 1 MiB; not a Matrix Market header`, line + 1, off))) {
    const { buf } = run;
    let p = run.start;
    while (p < run.end) {
      let e = buf.indexOf(10, p);
      if (e < 0 || e >= run.end) e = run.end;
      const text = buf.toString('latin1', p, e).replace(/\r$/, '');
      const next = run.offset + (Math.min(e + 1, run.end) - run.start);
      p = e + 1;
      line++;
      if (!banner) {
        banner = parseBanner(path, text);
        continue;
      }
      const t = text.trim();
      if (t === '' || t.startsWith('%')) continue;
      const size = parseSizeLine(path, line, t, banner);
      return { ...size, dataOffset: next, dataLine: line + 1 };
    }
    if (run.last) break;
  }
  if (!banner) throw new InputError(path, 'empty file: not a Matrix Market file (expected a %%MatrixMarket banner)', 1);
  throw new InputError(path, `file ends before the size line (expected ${banner[1] === 'array' ? '"rows cols"' : '"rows cols entries"'} after the banner and comments)`, line);
}

/** Returns [object, format, field, symmetry] lowercased, validated. */
function parseBanner(path: string, text: string): string[] {
  const t = text.replace(/^\xef\xbb\xbf/, '').trim(); // a UTF-8 byte-order mark (read as latin1) is tolerated
  const m = /^%%?matrixmarket(?=\s|$)/i.exec(t);
  if (!m) throw new InputError(path, `not a Matrix Market file: line 1 must start with "%%MatrixMarket" (found ${show(t)})`, 1);
  const words = t.slice(m[0].length).trim().split(/\s+/).filter((w) => w !== '').map((w) => w.toLowerCase());
  const [object, format, field, symmetry] = words;
  if (object === undefined) throw new InputError(path, 'banner ends after "%%MatrixMarket": expected "matrix coordinate|array <field> <symmetry>"', 1);
  if (object === 'vector') throw new InputError(path, 'Matrix Market "vector" objects are not supported (only "matrix")', 1);
  if (object !== 'matrix') throw new InputError(path, `banner: unknown object ${show(object)} (expected "matrix")`, 1);
  if (format === undefined) throw new InputError(path, 'banner ends after "matrix": expected the format "coordinate" or "array"', 1);
  if (!FORMATS.includes(format)) throw new InputError(path, `banner: unknown format ${show(format)} (expected "coordinate" or "array")`, 1);
  if (field === undefined) throw new InputError(path, `banner ends after "${format}": expected the field (${FIELDS.join(', ')})`, 1);
  if (!FIELDS.includes(field)) throw new InputError(path, `banner: unknown field ${show(field)} (expected one of ${FIELDS.join(', ')})`, 1);
  if (symmetry === undefined) throw new InputError(path, `banner ends after "${field}": expected the symmetry (${SYMMETRIES.join(', ')})`, 1);
  if (!SYMMETRIES.includes(symmetry)) throw new InputError(path, `banner: unknown symmetry ${show(symmetry)} (expected one of ${SYMMETRIES.join(', ')})`, 1);
  if (format === 'array' && field === 'pattern') throw new InputError(path, 'banner: "array pattern" is not a valid combination (a pattern matrix must be "coordinate")', 1);
  return [object, format, field, symmetry];
}

function parseSizeLine(path: string, line: number, t: string, banner: string[]) {
  const format = banner[1] as MtxFormat;
  const field = banner[2] as MtxField;
  const symmetry = banner[3] as MtxSymmetry;
  const want = format === 'coordinate' ? 3 : 2;
  const what = format === 'coordinate' ? '"rows cols entries"' : '"rows cols"';
  const toks = t.split(/\s+/);
  const trailing = toks.findIndex((x) => x.startsWith('%'));
  if (trailing >= 0) toks.length = trailing;
  if (toks.length !== want) {
    throw new InputError(path, `size line ${show(t)} has ${toks.length} number${toks.length === 1 ? '' : 's'}; a ${format} file needs ${what}`, line);
  }
  const names = ['number of rows', 'number of columns', 'number of entries'];
  const nums = toks.map((s, k) => {
    if (/^-\d+$/.test(s)) throw new InputError(path, `size line: ${names[k]} can't be negative (${s})`, line);
    if (!/^\+?\d+$/.test(s)) throw new InputError(path, `size line: ${names[k]} ${show(s)} is not a whole number`, line);
    const v = Number(s);
    if (!Number.isSafeInteger(v)) throw new InputError(path, `size line: ${names[k]} ${s} is too large`, line);
    return v;
  });
  const [rows, cols] = nums;
  if (rows > MAX_DIM || cols > MAX_DIM) throw new InputError(path, `size line: ${rows} x ${cols} is too large (at most ${MAX_DIM} rows and columns)`, line);
  if (symmetry !== 'general' && rows !== cols) {
    throw new InputError(path, `a ${symmetry} matrix must be square, but the size line says ${rows} x ${cols}`, line);
  }
  let declared: number;
  if (format === 'coordinate') {
    declared = nums[2];
    const cells = rows * cols;
    if (declared > 0 && cells === 0) throw new InputError(path, `size line declares ${declared} entries for an empty ${rows} x ${cols} matrix`, line);
  } else {
    const n = rows;
    declared = symmetry === 'general' ? rows * cols : symmetry === 'skew-symmetric' ? (n * (n - 1)) / 2 : (n * (n + 1)) / 2;
    if (!Number.isSafeInteger(declared)) throw new InputError(path, `size line: ${rows} x ${cols} array is too large`, line);
  }
  return { format, field, symmetry, rows, cols, declared };
}

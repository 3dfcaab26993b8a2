// Test helpers: collect what an MTX source emits, compare doubles by bit pattern.
import type { MatrixSource, SourceHeader } from '../matrix-source';

export interface Collected {
  header: SourceHeader;
  rows: number[];
  cols: number[];
  re: number[];
  im: number[];
  /** Dense only: column-major rows×cols (mirrored for symmetric kinds). */
  dense?: { re: Float64Array; im: Float64Array };
  /** Dense only: the column runs emitted, as "col,row,length". */
  runs?: string[];
}

export async function collect(src: MatrixSource): Promise<Collected> {
  const header = await src.header();
  const out: Collected = { header, rows: [], cols: [], re: [], im: [] };
  if (header.kind === 'sparse') {
    await src.scanSparse!({
      entries(c) {
        for (let k = 0; k < c.length; k++) {
          out.rows.push(c.rows[k]); out.cols.push(c.cols[k]); out.re.push(c.re[k]); out.im.push(c.im ? c.im[k] : 0);
        }
      },
    });
  } else {
    const R = header.rows, C = header.cols;
    const re = new Float64Array(R * C), im = new Float64Array(R * C);
    const seen = new Uint8Array(R * C);
    const runs: string[] = [];
    await src.scanDense!({
      rowRun() { throw new Error('mtx emits column runs'); },
      colRun(col, row, r, i) {
        runs.push(`${col},${row},${r.length}`);
        for (let k = 0; k < r.length; k++) {
          const at = col * R + row + k;
          if (seen[at]) throw new Error(`cell ${row + k},${col} emitted twice`);
          seen[at] = 1; re[at] = r[k]; im[at] = i ? i[k] : 0;
        }
      },
    });
    if (header.symmetry !== 'general') {
      for (let j = 0; j < C; j++) {
        for (let i = j + 1; i < R; i++) {
          const lo = j * R + i, up = i * R + j;
          const complex = header.dtype === 'c16';
          if (header.symmetry === 'skew-symmetric') { re[up] = -re[lo]; if (complex) im[up] = -im[lo]; }
          else { re[up] = re[lo]; if (complex) im[up] = header.symmetry === 'hermitian' ? -im[lo] : im[lo]; }
        }
      }
    }
    out.dense = { re, im };
    out.runs = runs;
  }
  return out;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
/** Bit pattern of a double; every NaN maps to one value. */
export function bits(x: number): bigint {
  if (Number.isNaN(x)) return 0x7ff8000000000000n;
  f64[0] = x;
  return u64[0];
}

export const sameDouble = (a: number, b: number): boolean => bits(a) === bits(b);

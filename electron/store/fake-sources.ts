// Test support: in-memory MatrixSources that push entries or runs like the real importers do.
import type { StoreDtype } from '../../shared/store-manifest';
import { CancelledError, type MatrixSource, type SourceHeader } from '../importers/matrix-source';

export interface FakeSparse {
  rows: number; cols: number; dtype: StoreDtype;
  r: number[]; c: number[]; re: number[]; im?: number[];
  /** Entries per chunk. */
  chunk?: number;
  /** Milliseconds to wait between chunks (slow sources for cancellation tests). */
  delayMs?: number;
  /** Leave `entries` out of the header (the builder then scans twice). */
  unannounced?: boolean;
}

const sleep = (ms: number) => new Promise(res => setTimeout(res, ms));

export function fakeSparseSource(path: string, m: FakeSparse): MatrixSource {
  const header: SourceHeader = {
    rows: m.rows, cols: m.cols, kind: 'sparse', dtype: m.dtype, entries: m.unannounced ? undefined : m.r.length, symmetry: 'general',
    info: { format: 'mtx', mtx: { format: 'coordinate', field: m.im ? 'complex' : 'real', symmetry: 'general' } },
  };
  return {
    path,
    async header() { return header; },
    async scanSparse(sink, opts) {
      const n = m.r.length, chunk = m.chunk ?? 7;
      for (let s = 0; s < n; s += chunk) {
        if (opts?.signal?.aborted) throw new CancelledError();
        const len = Math.min(chunk, n - s);
        sink.entries({
          length: len,
          rows: Uint32Array.from(m.r.slice(s, s + len)), cols: Uint32Array.from(m.c.slice(s, s + len)),
          re: Float64Array.from(m.re.slice(s, s + len)), im: m.im ? Float64Array.from(m.im.slice(s, s + len)) : undefined,
        });
        opts?.onBytes?.(s + len, n);
        if (m.delayMs) await sleep(m.delayMs);
      }
    },
  };
}

export interface FakeDense {
  rows: number; cols: number; dtype: StoreDtype;
  /** Row-major values (full matrix; for symmetric kinds only the lower triangle is emitted). */
  re: number[]; im?: number[];
  order: 'C' | 'F';
  symmetry?: SourceHeader['symmetry'];
  /** Run length. */
  run?: number;
}

export function fakeDenseSource(path: string, m: FakeDense): MatrixSource {
  const symmetry = m.symmetry ?? 'general';
  const header: SourceHeader = {
    rows: m.rows, cols: m.cols, kind: 'dense', dtype: m.dtype, symmetry,
    info: { format: 'npy', npy: { descr: '<f8', fortranOrder: m.order === 'F', shape: [m.rows, m.cols], version: '1.0' } },
  };
  const keep = (i: number, j: number) => symmetry === 'general' || (symmetry === 'skew-symmetric' ? i > j : i >= j);
  return {
    path,
    async header() { return header; },
    async scanDense(sink) {
      const run = m.run ?? 3;
      const outer = m.order === 'C' ? m.rows : m.cols, inner = m.order === 'C' ? m.cols : m.rows;
      for (let a = 0; a < outer; a++) {
        for (let b0 = 0; b0 < inner; ) {
          // a run of kept cells starting at b0
          const at = (b: number) => (m.order === 'C' ? [a, b] : [b, a]);
          if (!keep(at(b0)[0], at(b0)[1])) { b0++; continue; }
          let b1 = b0;
          while (b1 < inner && b1 - b0 < run && keep(at(b1)[0], at(b1)[1])) b1++;
          const re = new Float64Array(b1 - b0), im = m.im ? new Float64Array(b1 - b0) : undefined;
          for (let b = b0; b < b1; b++) {
            const [i, j] = at(b);
            re[b - b0] = m.re[i * m.cols + j];
            if (im) im[b - b0] = m.im![i * m.cols + j];
          }
          if (m.order === 'C') await sink.rowRun(a, b0, re, im); else await sink.colRun(a, b0, re, im);
          b0 = b1;
        }
      }
    },
  };
}

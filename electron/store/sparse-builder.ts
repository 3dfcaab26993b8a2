// Builds a sparse store (CSR + CSC + pyramid + stats) from a source scanned twice, in memory bounded
// by the budget whatever nnz is. Pass 1 counts entries per row and column; pass 2 scatters them —
// straight into memory when they fit, else into per-row-band temp files that are then sorted and
// written one band at a time. Within a row entries are sorted by column with a stable counting sort
// (duplicates kept, adjacent, in file order). The CSC arrays are built from the written CSR.
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DTYPE_BYTES, NPY_DESCR, isComplex } from '../../shared/store-manifest';
import { InputError, type MatrixSource, type SourceHeader } from '../importers/matrix-source';
import { BandSpill, splitBands, type FieldSpec } from './band-spill';
import { checkCancelled, type BuildContext, type BuiltData } from './build-context';
import { decodeMagnitudes, encodeValues, wordLayout, wordsOver } from './dtype-codec';
import { NpyFile, int64Bytes, int64Values } from './npy-file';
import { indexDescr } from './open-store';
import { bytesOf } from './positional-io';
import { PyramidBuilder, planPyramid } from './pyramid';
import { RunningStats } from './running-stats';

const FILES = {
  indptr: 'indptr.npy', indices: 'indices.npy', data: 'data.npy',
  cscIndptr: 'csc_indptr.npy', cscIndices: 'csc_indices.npy', cscData: 'csc_data.npy',
};

/** Writes index values as int32 or int64 at element position `at`. */
function writeIndex(f: NpyFile, v: Float64Array | Int32Array, wide: boolean, at: number): void {
  if (wide) f.writeAt(int64Bytes(v), at * 8);
  else f.writeAt(bytesOf(v instanceof Int32Array ? v : Int32Array.from(v)), at * 4);
}

export async function buildSparse(source: MatrixSource, h: SourceHeader, ctx: BuildContext): Promise<BuiltData> {
  const { rows, cols, dtype } = h;
  const cplx = isComplex(dtype);
  const eb = DTYPE_BYTES[dtype];
  const colWide = indexDescr(cols) === '<i8';
  const rowWide = indexDescr(rows) === '<i8';
  const scan = source.scanSparse?.bind(source);
  if (!scan) throw new Error(`${source.path}: the importer cannot scan sparse entries`);

  const vb = cplx ? 16 : 8;
  const perEntry = 2 * (8 + vb) + (colWide ? 8 : 4) + vb + eb;
  const perBand = Math.max(1, Math.floor(ctx.budget / perEntry));

  // Pass 1: count entries per row and per column, check indices. When the announced entries fit
  // the budget, keep a copy of them too, so that pass 2 needs no second parse of the file.
  const rowCounts = new Float64Array(rows);
  const colCounts = new Float64Array(cols);
  let nnz = 0;
  let kept: { r: Uint32Array; c: Uint32Array; re: Float64Array; im?: Float64Array } | undefined =
    h.entries !== undefined && h.entries <= perBand
      ? { r: new Uint32Array(h.entries), c: new Uint32Array(h.entries), re: new Float64Array(h.entries), im: cplx ? new Float64Array(h.entries) : undefined }
      : undefined;
  await scan({
    entries(ch) {
      const R = ch.rows, C = ch.cols;
      for (let i = 0; i < ch.length; i++) {
        const r = R[i], c = C[i];
        if (!(r < rows && c < cols)) {
          throw new InputError(source.path, `entry ${nnz + i + 1} is at row ${r + 1}, column ${c + 1}, outside the ${rows}×${cols} matrix`);
        }
        rowCounts[r]++; colCounts[c]++;
      }
      if (kept) {
        if (nnz + ch.length > kept.r.length) kept = undefined;
        else {
          kept.r.set(ch.length === R.length ? R : R.subarray(0, ch.length), nnz);
          kept.c.set(ch.length === C.length ? C : C.subarray(0, ch.length), nnz);
          kept.re.set(ch.re.subarray(0, ch.length), nnz);
          if (kept.im && ch.im) kept.im.set(ch.im.subarray(0, ch.length), nnz);
        }
      }
      nnz += ch.length;
    },
  }, { signal: ctx.signal, onBytes: (d, t) => ctx.progress('counting', d, t) });
  checkCancelled(ctx.signal);
  if (h.entries !== undefined && h.entries !== nnz) {
    throw new InputError(source.path, `the header announces ${h.entries} entries, the file holds ${nnz}`);
  }

  const indptr = new Float64Array(rows + 1);
  for (let r = 0; r < rows; r++) indptr[r + 1] = indptr[r] + rowCounts[r];
  const cindptr = new Float64Array(cols + 1);
  for (let c = 0; c < cols; c++) cindptr[c + 1] = cindptr[c] + colCounts[c];

  const dir = ctx.dir;
  const open: NpyFile[] = [];
  const mk = (name: string, descr: string, n: number, bytes: number) => { const f = new NpyFile(path.join(dir, name), descr, [n], bytes); open.push(f); return f; };
  try {
    const fIndptr = mk(FILES.indptr, '<i8', rows + 1, 8);
    const fIndices = mk(FILES.indices, indexDescr(cols), nnz, colWide ? 8 : 4);
    const fData = mk(FILES.data, NPY_DESCR[dtype], nnz, eb);
    fIndptr.writeAt(int64Bytes(indptr), 0);

    // Pass 2: scatter. A band's entries, in column order, become CSR rows by a stable scatter on row.

    const emitBand = (r0: number, r1: number, m: number, rowS: Uint32Array, colS: Uint32Array, reS: Float64Array, imS?: Float64Array) => {
      const base = indptr[r0];
      const rpos = new Float64Array(r1 - r0);
      for (let r = r0; r < r1; r++) rpos[r - r0] = indptr[r] - base;
      const outIdx = colWide ? new Float64Array(m) : new Int32Array(m);
      const outRe = new Float64Array(m);
      const outIm = imS ? new Float64Array(m) : undefined;
      for (let k = 0; k < m; k++) {
        const p = rpos[rowS[k] - r0]++;
        outIdx[p] = colS[k];
        outRe[p] = reS[k];
        if (outIm) outIm[p] = imS![k];
      }
      writeIndex(fIndices, outIdx, colWide, base);
      fData.writeAt(encodeValues(dtype, outRe, outIm), base * eb);
    };

    if (nnz <= perBand) {
      const rowS = new Uint32Array(nnz), colS = new Uint32Array(nnz);
      const reS = new Float64Array(nnz), imS = cplx ? new Float64Array(nnz) : undefined;
      const cpos = cindptr.slice(0, cols);
      const byColumn = (length: number, R: Uint32Array, C: Uint32Array, re: Float64Array, im?: Float64Array) => {
        for (let i = 0; i < length; i++) {
          const c = C[i];
          const p = cpos[c]++;
          rowS[p] = R[i]; colS[p] = c; reS[p] = re[i];
          if (imS) imS[p] = im ? im[i] : 0;
        }
      };
      if (kept && nnz === kept.r.length) {
        ctx.progress('scattering', 0, 1);
        byColumn(nnz, kept.r, kept.c, kept.re, kept.im);
        kept = undefined;
        ctx.progress('scattering', 1, 1);
      } else {
        kept = undefined;
        await scan({ entries: ch => byColumn(ch.length, ch.rows, ch.cols, ch.re, ch.im) },
          { signal: ctx.signal, onBytes: (d, t) => ctx.progress('scattering', d, t) });
      }
      checkCancelled(ctx.signal);
      emitBand(0, rows, nnz, rowS, colS, reS, imS);
    } else {
      kept = undefined;
      const starts = splitBands(rowCounts, perBand);
      const nb = starts.length - 1;
      const bandOf = new Uint32Array(rows);
      for (let b = 0; b < nb; b++) bandOf.fill(b, starts[b], starts[b + 1]);
      const fields: FieldSpec[] = [{ ctor: Uint32Array, width: 1 }, { ctor: Uint32Array, width: 1 }, { ctor: Float64Array, width: 1 }];
      if (cplx) fields.push({ ctor: Float64Array, width: 1 });
      const cap = Math.max(256, Math.min(1 << 16, Math.floor(ctx.budget / 4 / (nb * BandSpill.entryBytes(fields)))));
      const spill = new BandSpill(path.join(dir, 'tmp'), 'csr', nb, fields, cap);
      try {
        await scan({
          entries(ch) {
            const R = ch.rows, C = ch.cols, re = ch.re, im = ch.im;
            for (let i = 0; i < ch.length; i++) {
              const r = R[i];
              const b = bandOf[r];
              const s = spill.slot(b);
              const f = spill.bufs[b]!;
              f[0][s] = r; f[1][s] = C[i]; f[2][s] = re[i];
              if (cplx) f[3][s] = im ? im[i] : 0;
            }
          },
        }, { signal: ctx.signal, onBytes: (d, t) => ctx.progress('scattering', d, t) });
        checkCancelled(ctx.signal);
        spill.finishWriting();
        const bandCol = new Float64Array(cols + 1);
        for (let b = 0; b < nb; b++) {
          checkCancelled(ctx.signal);
          ctx.progress('sorting', b, nb);
          const m = spill.counts[b];
          const [R, C, RE, IM] = spill.load(b) as [Uint32Array, Uint32Array, Float64Array, Float64Array?];
          // stable counting sort of the band by column
          bandCol.fill(0);
          for (let k = 0; k < m; k++) bandCol[C[k] + 1]++;
          for (let c = 0; c < cols; c++) bandCol[c + 1] += bandCol[c];
          const rowS = new Uint32Array(m), colS = new Uint32Array(m), reS = new Float64Array(m), imS = IM ? new Float64Array(m) : undefined;
          for (let k = 0; k < m; k++) {
            const p = bandCol[C[k]]++;
            rowS[p] = R[k]; colS[p] = C[k]; reS[p] = RE[k];
            if (imS) imS[p] = IM![k];
          }
          emitBand(starts[b], starts[b + 1], m, rowS, colS, reS, imS);
        }
        ctx.progress('sorting', nb, nb);
      } finally {
        spill.dispose();
      }
    }

    // CSC from the written CSR: stream it in row order, scatter by column (rows stay ascending).
    const fCIndptr = mk(FILES.cscIndptr, '<i8', cols + 1, 8);
    const fCIndices = mk(FILES.cscIndices, indexDescr(rows), nnz, rowWide ? 8 : 4);
    const fCData = mk(FILES.cscData, NPY_DESCR[dtype], nnz, eb);
    fCIndptr.writeAt(int64Bytes(cindptr), 0);
    const words = wordLayout(dtype);
    const w = words.width;
    const chunk = Math.max(1, Math.min(nnz, Math.max(1024, Math.min(1 << 20, Math.floor(ctx.budget / 8 / ((colWide ? 16 : 8) + eb + 8))))));
    const cscPerEntry = 2 * (8 + eb) + 8;
    const cscPerBand = Math.max(1, Math.floor((ctx.budget - chunk * 40) / cscPerEntry));

    const writeCscBand = (c0: number, m: number, rowS: Float64Array | Int32Array, valS: Uint8Array | Uint16Array | Uint32Array) => {
      const base = cindptr[c0];
      writeIndex(fCIndices, rowS, rowWide, base);
      fCData.writeAt(bytesOf(valS), base * eb);
      void m;
    };

    if (nnz <= cscPerBand) {
      const rowS = rowWide ? new Float64Array(nnz) : new Int32Array(nnz);
      const valS = new words.ctor(nnz * w);
      const cpos = cindptr.slice(0, cols);
      forEachCsrChunk(fIndices, fData, colWide, eb, indptr, chunk, ctx, 'csc', (n, R, C, bytes) => {
        const vw = wordsOver(words.ctor, bytes, n * w);
        for (let i = 0; i < n; i++) {
          const p = cpos[C[i]]++;
          rowS[p] = R[i];
          for (let t = 0; t < w; t++) valS[p * w + t] = vw[i * w + t];
        }
      });
      writeCscBand(0, nnz, rowS, valS);
    } else {
      const starts = splitBands(colCounts, cscPerBand);
      const nb = starts.length - 1;
      const bandOf = new Uint32Array(cols);
      for (let b = 0; b < nb; b++) bandOf.fill(b, starts[b], starts[b + 1]);
      const fields: FieldSpec[] = [{ ctor: Uint32Array, width: 1 }, { ctor: Uint32Array, width: 1 }, { ctor: words.ctor, width: w }];
      const cap = Math.max(256, Math.min(1 << 16, Math.floor(ctx.budget / 4 / (nb * BandSpill.entryBytes(fields)))));
      const spill = new BandSpill(path.join(dir, 'tmp'), 'csc', nb, fields, cap);
      try {
        forEachCsrChunk(fIndices, fData, colWide, eb, indptr, chunk, ctx, 'csc', (n, R, C, bytes) => {
          const vw = wordsOver(words.ctor, bytes, n * w);
          for (let i = 0; i < n; i++) {
            const c = C[i];
            const b = bandOf[c];
            const s = spill.slot(b);
            const f = spill.bufs[b]!;
            f[0][s] = R[i]; f[1][s] = c;
            for (let t = 0; t < w; t++) f[2][s * w + t] = vw[i * w + t];
          }
        });
        spill.finishWriting();
        for (let b = 0; b < nb; b++) {
          checkCancelled(ctx.signal);
          const c0 = starts[b], c1 = starts[b + 1];
          const m = spill.counts[b];
          const [R, C, V] = spill.load(b) as [Uint32Array, Uint32Array, Uint32Array];
          const base = cindptr[c0];
          const cpos = new Float64Array(c1 - c0);
          for (let c = c0; c < c1; c++) cpos[c - c0] = cindptr[c] - base;
          const rowS = rowWide ? new Float64Array(m) : new Int32Array(m);
          const valS = new words.ctor(m * w);
          for (let k = 0; k < m; k++) {
            const p = cpos[C[k] - c0]++;
            rowS[p] = R[k];
            for (let t = 0; t < w; t++) valS[p * w + t] = V[k * w + t];
          }
          writeCscBand(c0, m, rowS, valS);
        }
      } finally {
        spill.dispose();
      }
    }

    // Pyramid and stats: one more stream over the CSR.
    const stats = new RunningStats();
    const pyramid = new PyramidBuilder(dir, rows, cols, planPyramid(rows, cols, 'sparse', nnz));
    let pyrSeconds = 0;
    let levels;
    try {
      const mags = new Float64Array(chunk);
      forEachCsrChunk(fIndices, fData, colWide, eb, indptr, chunk, ctx, 'pyramid', (n, R, C, bytes) => {
        const t0 = performance.now();
        const v = decodeMagnitudes(dtype, bytes, n, mags);
        stats.add(v, n);
        pyramid.sparseEntries(n, R, C, v);
        pyrSeconds += (performance.now() - t0) / 1000;
      });
      const t0 = performance.now();
      levels = pyramid.finish();
      pyrSeconds += (performance.now() - t0) / 1000;
    } catch (e) { pyramid.abandon(); throw e; }
    ctx.progress('stats', 0, 1);
    stats.addZeros(rows * cols - nnz);
    ctx.progress('stats', 1, 1);

    const sizes: Record<string, number> = { ...levels.sizes };
    for (const f of open.splice(0)) sizes[path.basename(f.path)] = f.close();
    return {
      files: { ...FILES }, sizes, nnz, stats: stats.result(), pyramid: levels.levels,
      pyramidElements: pyramid.fed, pyramidSeconds: pyrSeconds,
    };
  } finally {
    for (const f of open) f.abandon();
  }
}

/**
 * Streams the written CSR in chunks of entries, in row order: calls `fn(n, rows, cols, dataBytes)`
 * for each chunk.
 */
function forEachCsrChunk(
  fIndices: NpyFile, fData: NpyFile, colWide: boolean, eb: number, indptr: Float64Array, chunk: number,
  ctx: BuildContext, phase: string,
  fn: (n: number, rows: Uint32Array, cols: Float64Array | Int32Array, data: Uint8Array) => void,
): void {
  const nnz = indptr[indptr.length - 1] ?? 0;
  const ib = colWide ? 8 : 4;
  const idxBuf = new Uint8Array(chunk * ib);
  const dataBuf = new Uint8Array(chunk * eb);
  const rowBuf = new Uint32Array(chunk);
  let r = 0;
  for (let k0 = 0; k0 < nnz; k0 += chunk) {
    checkCancelled(ctx.signal);
    ctx.progress(phase, k0, nnz);
    const n = Math.min(chunk, nnz - k0);
    const ib8 = idxBuf.subarray(0, n * ib), db = dataBuf.subarray(0, n * eb);
    fIndices.readAt(ib8, k0 * ib);
    fData.readAt(db, k0 * eb);
    const C = colWide ? int64Values(ib8, n) : new Int32Array(idxBuf.buffer, 0, n);
    for (let i = 0; i < n; i++) {
      const k = k0 + i;
      while (indptr[r + 1] <= k) r++;
      rowBuf[i] = r;
    }
    fn(n, rowBuf, C, db);
  }
  ctx.progress(phase, nnz, nnz);
}

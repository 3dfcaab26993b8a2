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
import type { CscJob } from './csc-scatter';
import { checkCancelled, type BuildContext, type BuiltData } from './build-context';
import { decodeValues, encodeValues, wordLayout, wordsOver } from './dtype-codec';
import { NpyFile, int64Bytes, int64Values } from './npy-file';
import { indexDescr } from './open-store';
import { bytesOf } from './positional-io';
import { prefaultInBackground, sharedArray } from './prefault';
import { PyramidBuilder, planPyramid } from './pyramid';
import { RowScatter, scatterRows } from './row-scatter';
import { ScatterWorker, runScatterJob } from './scatter-worker';
import { RunningStats } from './running-stats';
import { SumDuplicates } from './sum-duplicates';

const FILES = {
  indptr: 'indptr.npy', indices: 'indices.npy', data: 'data.npy',
  cscIndptr: 'csc_indptr.npy', cscIndices: 'csc_indices.npy', cscData: 'csc_data.npy',
};

/** Index values as int32 or int64 bytes. */
function indexBytes(v: Float64Array | Int32Array | Uint32Array, wide: boolean): Uint8Array {
  if (wide) return int64Bytes(v);
  if (v instanceof Uint32Array) return bytesOf(v); // values < 2^31: same bytes as int32
  return bytesOf(v instanceof Int32Array ? v : Int32Array.from(v));
}

/** Entries from which the in-memory path's big arrays are pre-faulted on a worker thread. */
const PREFAULT_MIN_ENTRIES = 1 << 20;

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

  // Pass 1: count entries per row and per column and check indices — or let a source that can (on its
  // parse workers) do both. When the announced entries fit the budget, keep a copy of them too, so that
  // pass 2 needs no second parse of the file. (One contiguous copy, later reused for the CSC, while the
  // source's chunks are recycled by its allocator: keeping the chunks themselves would cost more fresh
  // memory, whose page faults cost far more than the copy.)
  // 32-bit counters when no count can exceed 2^32 - 1 (a file holding more entries than announced
  // is refused below anyway): half the memory traffic of the random increments.
  const narrow = h.entries !== undefined && h.entries < 2 ** 32;
  const rowCounts = narrow ? new Uint32Array(rows) : new Float64Array(rows);
  const colCounts = narrow ? new Uint32Array(cols) : new Float64Array(cols);
  const sourceCounts = narrow && source.countsEntries === true;
  let nnz = 0;
  let kept: { r: Uint32Array; c: Uint32Array; re: Float64Array; im?: Float64Array } | undefined;
  /** The CSR arrays of the in-memory path, allocated (and pre-faulted) up front for big matrices. */
  let csrInto: { col: Uint32Array; re: Float64Array; im?: Float64Array } | undefined;
  if (h.entries !== undefined && h.entries <= perBand) {
    const n = h.entries;
    if (n >= PREFAULT_MIN_ENTRIES) {
      // Their page faults (a second of this thread's time for 10 M entries) are taken on a worker
      // thread while this one waits for the parse.
      kept = { r: sharedArray(Uint32Array, n), c: sharedArray(Uint32Array, n), re: sharedArray(Float64Array, n), im: cplx ? sharedArray(Float64Array, n) : undefined };
      csrInto = { col: sharedArray(Uint32Array, n), re: sharedArray(Float64Array, n), im: cplx ? sharedArray(Float64Array, n) : undefined };
      prefaultInBackground([kept.r, kept.c, kept.re, kept.im, csrInto.col, csrInto.re, csrInto.im]);
    } else {
      kept = { r: new Uint32Array(n), c: new Uint32Array(n), re: new Float64Array(n), im: cplx ? new Float64Array(n) : undefined };
    }
  }
  await scan({
    entries(ch) {
      const R = ch.rows, C = ch.cols;
      if (!sourceCounts) {
        for (let i = 0; i < ch.length; i++) {
          const r = R[i], c = C[i];
          if (!(r < rows && c < cols)) {
            throw new InputError(source.path, `entry ${nnz + i + 1} is at row ${r + 1}, column ${c + 1}, outside the ${rows}×${cols} matrix`);
          }
          rowCounts[r]++; colCounts[c]++;
        }
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
  }, {
    signal: ctx.signal, onBytes: (d, t) => ctx.progress('counting', d, t),
    counts: sourceCounts ? { rows: rowCounts as Uint32Array, cols: colCounts as Uint32Array } : undefined,
  });
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
  // When everything is in memory (one band), the big writes run on libuv's thread pool while this
  // thread goes on (the buffers are not changed afterwards); band by band they are synchronous, so
  // that only one band's buffers are alive at a time.
  const inMemory = nnz <= perBand;
  const pending: Promise<void>[] = [];
  /** Writes now (band by band) or later (in memory: the returned write, also in `pending`). */
  const put = (f: NpyFile, bytes: Uint8Array, pos: number): Promise<void> => {
    if (!inMemory) { f.writeAt(bytes, pos); return Promise.resolve(); }
    const p = f.writeAtLater(bytes, pos);
    p.catch(() => {}); // awaited below
    pending.push(p);
    return p;
  };
  const mk = (name: string, descr: string, n: number, bytes: number) => { const f = new NpyFile(path.join(dir, name), descr, [n], bytes); open.push(f); return f; };
  /** Half the CSR and then the CSC of a big real matrix in memory are built on a worker thread, started now. */
  const scatterWorker = inMemory && csrInto && kept && dtype === 'f8' && !rowWide ? new ScatterWorker() : undefined;
  let cscDone: Promise<void> | undefined;
  let csrSynced: Promise<void> | undefined;
  let pyramidSynced: Promise<void> | undefined;
  try {
    const fIndptr = mk(FILES.indptr, '<i8', rows + 1, 8);
    const fIndices = mk(FILES.indices, indexDescr(cols), nnz, colWide ? 8 : 4);
    const fData = mk(FILES.data, NPY_DESCR[dtype], nnz, eb);
    fIndptr.writeAt(int64Bytes(indptr), 0);

    // Pass 2: scatter entries to their rows (stable), then sort each row by column (stable).
    const rowsOf = (r0: number, r1: number, m: number) => new RowScatter(indptr, r0, r1, m, cplx, r0 === 0 && r1 === rows && m === nnz ? csrInto : undefined);
    /** Writes a segment of the CSR whose rows are sorted; returns its encoded values. */
    const writeRows = (seg: { base: number; col: Uint32Array; re: Float64Array; im?: Float64Array }): Uint8Array => {
      const enc = dtype === 'f8' ? bytesOf(seg.re) : encodeValues(dtype, seg.re, seg.im);
      put(fIndices, indexBytes(seg.col, colWide), seg.base * (colWide ? 8 : 4));
      put(fData, enc, seg.base * eb);
      return enc;
    };
    /**
     * The entries kept from pass 1, once scattered: their (already touched) memory is reused for the
     * CSC arrays — fresh big arrays cost page faults that take longer than the scatter itself.
     */
    let spare: typeof kept;
    /** The whole CSR, when it was built in memory: column indices and encoded values. */
    let mem: { col: Uint32Array; data: Uint8Array } | undefined;

    if (inMemory) {
      /** The whole CSR, rows sorted. */
      let csr: { base: number; col: Uint32Array; re: Float64Array; im?: Float64Array };
      if (kept && nnz === kept.r.length) {
        ctx.progress('scattering', 0, 1);
        if (scatterWorker && csrInto) {
          // Two halves of the rows at once (each scattered and sorted by scatterRows): the worker's from
          // the middle entry on, then this thread's.
          const mid = rowOfEntry(indptr, Math.floor(nnz / 2));
          const at = indptr[mid];
          const job = { indptr, n: nnz, R: kept.r, C: kept.c, RE: kept.re };
          const other = scatterWorker.run({ kind: 'rows', ...job, r0: mid, r1: rows, col: csrInto.col.subarray(at), re: csrInto.re.subarray(at) });
          other.catch(() => {}); // awaited below
          scatterRows({ ...job, r0: 0, r1: mid, col: csrInto.col.subarray(0, at), re: csrInto.re.subarray(0, at) });
          await other;
          csr = { base: 0, col: csrInto.col, re: csrInto.re };
        } else {
          const rs = rowsOf(0, rows, nnz);
          rs.addAll(nnz, kept.r, kept.c, kept.re, kept.im);
          rs.sortRows();
          csr = rs;
        }
        spare = kept;
        kept = undefined;
        ctx.progress('scattering', 1, 1);
      } else {
        kept = undefined;
        const rs = rowsOf(0, rows, nnz);
        await scan({ entries: ch => rs.add(ch.length, ch.rows, ch.cols, ch.re, ch.im) },
          { signal: ctx.signal, onBytes: (d, t) => ctx.progress('scattering', d, t) });
        rs.sortRows();
        csr = rs;
      }
      checkCancelled(ctx.signal);
      mem = { col: csr.col, data: writeRows(csr) };
      // The CSR is complete once these writes land: the disk flushes it while the rest is computed.
      csrSynced = flushWhenWritten([...pending], [fIndptr, fIndices, fData]);
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
        for (let b = 0; b < nb; b++) {
          checkCancelled(ctx.signal);
          ctx.progress('sorting', b, nb);
          const m = spill.counts[b];
          const [R, C, RE, IM] = spill.load(b) as [Uint32Array, Uint32Array, Float64Array, Float64Array?];
          const rs = rowsOf(starts[b], starts[b + 1], m);
          rs.add(m, R, C, RE, IM);
          rs.sortRows();
          writeRows(rs);
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
      put(fCIndices, indexBytes(rowS, rowWide), base * (rowWide ? 8 : 4));
      put(fCData, bytesOf(valS), base * eb);
      void m;
    };

    const fullIndptr = indptr;
    if (mem && spare && dtype === 'f8' && !rowWide && nnz >= 1 << 18 && mem.data.byteOffset % 8 === 0) {
      // Real values, in memory: scatterCsc into the kept entries' memory (free now; their columns hold
      // each CSR entry's row) — on the worker thread when that memory is shared, while this thread
      // computes the pyramid and stats below from the same (unchanged) CSR.
      ctx.progress('csc', 0, 1);
      const job: CscJob = {
        rows, cols, nnz, indptr, cindptr, col: mem.col, data: new Float64Array(mem.data.buffer, mem.data.byteOffset, nnz),
        entryRows: spare.c, outRows: spare.r, outData: spare.re,
      };
      spare = undefined;
      cscDone = (scatterWorker ? scatterWorker.run({ kind: 'csc', ...job }) : Promise.resolve(runScatterJob({ kind: 'csc', ...job }))).then(() => {
        const writes = [put(fCIndices, indexBytes(job.outRows, false), 0), put(fCData, bytesOf(job.outData), 0)];
        return flushWhenWritten(writes, [fCIndptr, fCIndices, fCData]);
      });
      cscDone.catch(() => {}); // awaited below
    } else if (mem) {
      // The CSR is in memory: scatter it by column straight from there, row by row (no re-read).
      const rowS = rowWide ? new Float64Array(nnz) : spare ? new Int32Array(spare.r.buffer, 0, nnz) : new Int32Array(nnz);
      const valS = spare && nnz * eb <= spare.re.byteLength ? new words.ctor(spare.re.buffer as ArrayBuffer, 0, nnz * w) : new words.ctor(nnz * w);
      spare = undefined;
      const cpos = nnz < 2 ** 32 ? Uint32Array.from(cindptr.subarray(0, cols)) : cindptr.slice(0, cols);
      const C = mem.col, vw = wordsOver(words.ctor, mem.data, nnz * w);
      const indptr = nnz < 2 ** 32 ? Uint32Array.from(fullIndptr) : fullIndptr; // integer loop bounds
      const step = Math.max(1, Math.floor(rows / 64));
      for (let r0 = 0; r0 < rows; r0 += step) {
        checkCancelled(ctx.signal);
        ctx.progress('csc', indptr[r0], nnz);
        const r1 = Math.min(rows, r0 + step);
        if (w === 1) {
          for (let r = r0; r < r1; r++) {
            for (let k = indptr[r], e = indptr[r + 1]; k < e; k++) { const p = cpos[C[k]]++; rowS[p] = r; valS[p] = vw[k]; }
          }
        } else if (w === 2) {
          for (let r = r0; r < r1; r++) {
            for (let k = indptr[r], e = indptr[r + 1]; k < e; k++) {
              const p = cpos[C[k]]++;
              rowS[p] = r; valS[2 * p] = vw[2 * k]; valS[2 * p + 1] = vw[2 * k + 1];
            }
          }
        } else {
          for (let r = r0; r < r1; r++) {
            for (let k = indptr[r], e = indptr[r + 1]; k < e; k++) {
              const p = cpos[C[k]]++;
              rowS[p] = r;
              for (let t = 0; t < w; t++) valS[p * w + t] = vw[k * w + t];
            }
          }
        }
      }
      ctx.progress('csc', nnz, nnz);
      writeCscBand(0, nnz, rowS, valS);
    } else if (nnz <= cscPerBand) {
      const rowS = rowWide ? new Float64Array(nnz) : new Int32Array(nnz);
      const valS = new words.ctor(nnz * w);
      const cpos = cindptr.slice(0, cols);
      forEachCsrChunk(fIndices, fData, colWide, eb, indptr, chunk, ctx, 'csc', undefined, (n, R, C, bytes) => {
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
        forEachCsrChunk(fIndices, fData, colWide, eb, indptr, chunk, ctx, 'csc', undefined, (n, R, C, bytes) => {
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
    let distinct = 0;
    try {
      // Duplicates are summed first: stats and pyramid describe the matrix's elements (as scipy's
      // toarray() does), while nnz counts stored entries (as scipy's nnz does).
      const sum = new SumDuplicates(chunk, (n, R, C, v) => { stats.add(v, n); pyramid.sparseEntries(n, R, C, v); });
      forEachCsrChunk(fIndices, fData, colWide, eb, indptr, chunk, ctx, 'pyramid', mem, (n, R, C, bytes) => {
        const t0 = performance.now();
        const v = dtype === 'f8' && bytes.byteOffset % 8 === 0 ? { re: new Float64Array(bytes.buffer, bytes.byteOffset, n), im: undefined } : decodeValues(dtype, bytes, n);
        sum.add(n, R, C, v.re, v.im);
        pyrSeconds += (performance.now() - t0) / 1000;
      });
      const t0 = performance.now();
      sum.finish(cplx);
      levels = pyramid.finish();
      pyramidSynced = levels.synced; // the level files' fsync runs on while the CSR and CSC are awaited
      pyrSeconds += (performance.now() - t0) / 1000;
      distinct = sum.distinct;
    } catch (e) { pyramid.abandon(); throw e; }
    ctx.progress('stats', 0, 1);
    stats.addZeros(rows * cols - distinct);
    ctx.progress('stats', 1, 1);

    // What is left is the CSC (its scatter runs longest) and the disk: say so rather than "stats".
    ctx.progress('writing', 0, 1);
    await cscDone;
    await csrSynced;
    await pyramidSynced;
    await Promise.all(pending);
    ctx.progress('writing', 1, 1);
    const sizes: Record<string, number> = { ...levels.sizes };
    for (const f of open.splice(0)) sizes[path.basename(f.path)] = f.close();
    return {
      files: { ...FILES }, sizes, nnz, stats: stats.result(), pyramid: levels.levels,
      pyramidElements: pyramid.fed, pyramidSeconds: pyrSeconds,
    };
  } finally {
    scatterWorker?.dispose();
    await cscDone?.catch(() => {});
    await csrSynced?.catch(() => {});
    await pyramidSynced?.catch(() => {});
    await Promise.allSettled(pending);
    for (const f of open) f.abandon();
  }
}

/**
 * Streams the written CSR in chunks of entries, in row order: calls `fn(n, rows, cols, dataBytes)`
 * for each chunk.
 */
function forEachCsrChunk(
  fIndices: NpyFile, fData: NpyFile, colWide: boolean, eb: number, indptr: Float64Array, chunk: number,
  ctx: BuildContext, phase: string, mem: { col: Uint32Array; data: Uint8Array } | undefined,
  fn: (n: number, rows: Uint32Array, cols: Float64Array | Int32Array | Uint32Array, data: Uint8Array) => void,
): void {
  const nnz = indptr[indptr.length - 1] ?? 0;
  const ib = colWide ? 8 : 4;
  const idxBuf = new Uint8Array(mem ? 0 : chunk * ib);
  const dataBuf = new Uint8Array(mem ? 0 : chunk * eb);
  const rowBuf = new Uint32Array(chunk);
  let r = 0;
  for (let k0 = 0; k0 < nnz; k0 += chunk) {
    checkCancelled(ctx.signal);
    ctx.progress(phase, k0, nnz);
    const n = Math.min(chunk, nnz - k0);
    let C: Float64Array | Int32Array | Uint32Array, db: Uint8Array;
    if (mem) {
      C = mem.col.subarray(k0, k0 + n);
      db = mem.data.subarray(k0 * eb, (k0 + n) * eb);
    } else {
      const ib8 = idxBuf.subarray(0, n * ib);
      db = dataBuf.subarray(0, n * eb);
      fIndices.readAt(ib8, k0 * ib);
      fData.readAt(db, k0 * eb);
      C = colWide ? int64Values(ib8, n) : new Int32Array(idxBuf.buffer, 0, n);
    }
    for (let i = 0, k = k0; i < n; i++, k++) {
      while (indptr[r + 1] <= k) r++;
      rowBuf[i] = r;
    }
    fn(n, rowBuf, C, db);
  }
  ctx.progress(phase, nnz, nnz);
}

/** Starts flushing `files` once `writes` have landed (the promise fails as the first of them does). */
function flushWhenWritten(writes: Promise<void>[], files: NpyFile[]): Promise<void> {
  const p = Promise.all(writes).then(() => Promise.all(files.map((f) => f.syncLater()))).then(() => {});
  p.catch(() => {}); // awaited by the caller
  return p;
}

/** The row holding entry k of a CSR (the first row r with indptr[r + 1] > k). */
function rowOfEntry(indptr: Float64Array, k: number): number {
  let lo = 0, hi = indptr.length - 2;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (indptr[m + 1] > k) hi = m; else lo = m + 1;
  }
  return lo;
}

// Builds a dense store: `values.npy` (C order) filled from the source's row runs (written at their
// positions, write-combined) and column runs (buffered into blocks of K columns, flushed as row
// segments); then, for symmetric kinds, the lower triangle mirrored into the upper one tile by tile;
// then one streaming pass for the pyramid and the stats.
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DTYPE_BYTES, NPY_DESCR, type StoreDtype } from '../../shared/store-manifest';
import { InputError, type MatrixSource, type SourceHeader } from '../importers/matrix-source';
import { checkCancelled, type BuildContext, type BuiltData } from './build-context';
import { decodeMagnitudes, decodeValues, encodeValues, wordLayout, wordsOver } from './dtype-codec';
import { NpyFile } from './npy-file';
import { PyramidBuilder, planPyramid } from './pyramid';
import { RunningStats } from './running-stats';
import { StatsKernel } from './stats-kernel';
import { ColumnCopyTask } from './column-copy-task';

const VALUES = 'values.npy';

export async function buildDense(source: MatrixSource, h: SourceHeader, ctx: BuildContext): Promise<BuiltData> {
  const { rows, cols, dtype } = h;
  const eb = DTYPE_BYTES[dtype];
  if (h.symmetry !== 'general' && rows !== cols) {
    throw new InputError(source.path, `a ${h.symmetry} matrix must be square, this one is ${rows}×${cols}`);
  }
  const scan = source.scanDense?.bind(source);
  if (!scan) throw new Error(`${source.path}: the importer cannot scan dense values`);
  const f = new NpyFile(path.join(ctx.dir, VALUES), NPY_DESCR[dtype], [rows, cols], eb);
  let copy: ColumnCopyTask | undefined;
  let pyramidSynced: Promise<void> | undefined;
  try {
    await fill(f, scan, h, ctx);
    checkCancelled(ctx.signal);
    if (h.symmetry !== 'general') mirror(f, rows, dtype, h.symmetry, ctx);
    // The column-major copy on a worker thread, while this one makes the pyramid and the stats in one pass over the rows.
    copy = ctx.columnCopy === false ? undefined
      : new ColumnCopyTask({ dir: ctx.dir, valuesPath: f.path, valuesDataOffset: f.dataOffset, rows, cols, dtype, bytes: ctx.budget / 4 });
    const stats = new RunningStats();
    const pyramid = new PyramidBuilder(ctx.dir, rows, cols, planPyramid(rows, cols, 'dense', 0));
    let levels;
    let pyrSeconds = 0;
    try {
      // Chunks of about 2 MB of magnitudes: read, decoded, counted and aggregated while in the cache.
      const maxElems = Math.max(cols, Math.min(1 << 18, Math.floor(ctx.budget / 4 / (8 + eb))));
      const perChunk = Math.max(1, Math.min(rows, Math.floor(maxElems / Math.max(1, cols))));
      const raw = new Uint8Array(perChunk * cols * eb);
      const mags = pyramid.rowsBuffer(perChunk * cols); // in the pyramid kernel's memory: no copy
      const statsKernel = StatsKernel.over(pyramid.rowsMemory()); // reads them there too
      for (let r0 = 0; r0 < rows; r0 += perChunk) {
        checkCancelled(ctx.signal);
        ctx.progress('pyramid', r0, rows);
        const n = Math.min(perChunk, rows - r0);
        const bytes = raw.subarray(0, n * cols * eb);
        f.readAt(bytes, r0 * cols * eb);
        // Timed as the pyramid build: from the rows' bytes in memory to the levels written.
        const t0 = performance.now();
        const v = decodeMagnitudes(dtype, bytes, n * cols, mags);
        pyramid.denseRows(r0, n, v);
        pyrSeconds += (performance.now() - t0) / 1000;
        stats.add(v, n * cols, statsKernel);
      }
      ctx.progress('pyramid', rows, rows);
      const t0 = performance.now();
      levels = pyramid.finish();
      pyramidSynced = levels.synced; // the level files' fsync runs on while the column copy is awaited
      pyrSeconds += (performance.now() - t0) / 1000;
    } catch (e) { pyramid.abandon(); throw e; }
    ctx.progress('stats', 1, 1);
    const st = stats.result();
    const byColumn = await copy?.finish(ctx);
    await pyramidSynced;
    const size = f.close();
    return {
      files: { values: VALUES, ...(byColumn && { valuesByColumn: byColumn.file }) },
      sizes: { [VALUES]: size, ...(byColumn && { [byColumn.file]: byColumn.size }), ...levels.sizes },
      nnz: rows * cols - st.zeros, stats: st, pyramid: levels.levels,
      pyramidElements: pyramid.fed, pyramidSeconds: pyrSeconds,
    };
  } catch (e) {
    await copy?.abandon();
    await pyramidSynced?.catch(() => {});
    f.abandon();
    throw e;
  }
}

async function fill(f: NpyFile, scan: NonNullable<MatrixSource['scanDense']>, h: SourceHeader, ctx: BuildContext): Promise<void> {
  const { rows, cols, dtype } = h;
  const eb = DTYPE_BYTES[dtype];
  const { ctor: Words, width: w } = wordLayout(dtype);

  // Row runs: write-combined while contiguous.
  const wbuf = new Uint8Array(Math.min(rows * cols * eb, Math.max(1 << 16, Math.min(8 << 20, Math.floor(ctx.budget / 8)))));
  let wStart = 0, wLen = 0, rowsWritten = false;
  const flushRows = () => { if (wLen > 0) f.writeAt(wbuf.subarray(0, wLen), wStart); wLen = 0; };

  // Column runs: a block of K columns, rows × Kb row-major, flushed as row segments.
  const K = Math.max(1, Math.min(cols, Math.floor(ctx.budget / 2 / Math.max(1, rows * eb))));
  let block: InstanceType<typeof Words> | undefined;
  let cur = -1, c0 = 0, Kb = 0;
  const visited = new Set<number>();
  const flushBlock = () => {
    if (cur < 0 || !block) return;
    flushRows();
    const bytes = new Uint8Array(block.buffer, 0, rows * Kb * eb);
    if (Kb === cols) f.writeAt(bytes, 0);
    else for (let r = 0; r < rows; r++) f.writeAt(bytes.subarray(r * Kb * eb, (r + 1) * Kb * eb), (r * cols + c0) * eb);
    visited.add(cur);
    cur = -1;
  };
  const loadBlock = (b: number) => {
    cur = b; c0 = b * K; Kb = Math.min(K, cols - c0);
    if (!block) block = new Words(rows * K * w);
    const bytes = new Uint8Array(block.buffer, 0, rows * Kb * eb);
    if (visited.has(b) || rowsWritten) {
      flushRows();
      if (Kb === cols) f.readAt(bytes, 0);
      else for (let r = 0; r < rows; r++) f.readAt(bytes.subarray(r * Kb * eb, (r + 1) * Kb * eb), (r * cols + c0) * eb);
    } else bytes.fill(0);
  };

  const outside = (what: string) => new InputError(f.path, what);
  let runs = 0;
  await scan({
    rowRun(row, col, re, im) {
      if (row >= rows || col + re.length > cols) throw outside(`values for row ${row + 1}, columns ${col + 1}..${col + re.length} fall outside the ${rows}×${cols} matrix`);
      if ((++runs & 1023) === 0) checkCancelled(ctx.signal);
      if (cur >= 0) flushBlock();
      rowsWritten = true;
      const bytes = encodeValues(dtype, re, im);
      const pos = (row * cols + col) * eb;
      if (wLen > 0 && pos === wStart + wLen && wLen + bytes.length <= wbuf.length) {
        wbuf.set(bytes, wLen); wLen += bytes.length;
      } else {
        flushRows();
        if (bytes.length >= wbuf.length) f.writeAt(bytes, pos);
        else { wStart = pos; wbuf.set(bytes, 0); wLen = bytes.length; }
      }
    },
    colRun(col, row, re, im) {
      if (col >= cols || row + re.length > rows) throw outside(`values for column ${col + 1}, rows ${row + 1}..${row + re.length} fall outside the ${rows}×${cols} matrix`);
      if ((++runs & 1023) === 0) checkCancelled(ctx.signal);
      const b = Math.floor(col / K);
      if (b !== cur) { flushBlock(); loadBlock(b); }
      const enc = encodeValues(dtype, re, im);
      const vw = wordsOver(Words, enc, re.length * w);
      const blk = block!;
      const cc = col - c0;
      for (let i = 0; i < re.length; i++) {
        const d = ((row + i) * Kb + cc) * w;
        for (let t = 0; t < w; t++) blk[d + t] = vw[i * w + t];
      }
    },
  }, { signal: ctx.signal, onBytes: (d, t) => ctx.progress('reading', d, t) });
  flushBlock();
  flushRows();
}

/** Mirrors the lower triangle into the upper one, tile by tile: symmetric v, skew-symmetric −v (diagonal 0), hermitian conj(v). */
function mirror(f: NpyFile, n: number, dtype: StoreDtype, symmetry: SourceHeader['symmetry'], ctx: BuildContext): void {
  const eb = DTYPE_BYTES[dtype];
  const T = Math.max(16, Math.min(n, Math.floor(Math.sqrt(ctx.budget / 4 / (2 * eb + 32)))));
  const negRe = symmetry === 'skew-symmetric' ? -1 : 1;
  const negIm = symmetry === 'skew-symmetric' || symmetry === 'hermitian' ? -1 : 1;
  const readTile = (r0: number, nr: number, c0: number, nc: number) => {
    const bytes = new Uint8Array(nr * nc * eb);
    for (let i = 0; i < nr; i++) f.readAt(bytes.subarray(i * nc * eb, (i + 1) * nc * eb), ((r0 + i) * n + c0) * eb);
    return decodeValues(dtype, bytes, nr * nc);
  };
  const writeTile = (r0: number, nr: number, c0: number, nc: number, re: Float64Array, im?: Float64Array) => {
    const bytes = encodeValues(dtype, re, im);
    for (let i = 0; i < nr; i++) f.writeAt(bytes.subarray(i * nc * eb, (i + 1) * nc * eb), ((r0 + i) * n + c0) * eb);
  };
  const nt = Math.ceil(n / T);
  const totalTiles = (nt * (nt + 1)) / 2;
  let done = 0;
  for (let ti = 0; ti < nt; ti++) {
    for (let tj = 0; tj <= ti; tj++) {
      checkCancelled(ctx.signal);
      ctx.progress('mirroring', done++, totalTiles);
      const r0 = ti * T, nr = Math.min(T, n - r0);
      const c0 = tj * T, nc = Math.min(T, n - c0);
      const a = readTile(r0, nr, c0, nc);
      if (ti === tj) {
        for (let i = 0; i < nr; i++) {
          for (let j = 0; j < i; j++) {
            a.re[j * nc + i] = negRe * a.re[i * nc + j];
            if (a.im) a.im[j * nc + i] = negIm * a.im[i * nc + j];
          }
          if (symmetry === 'skew-symmetric') { a.re[i * nc + i] = 0; if (a.im) a.im[i * nc + i] = 0; }
        }
        writeTile(r0, nr, c0, nc, a.re, a.im);
      } else {
        const re = new Float64Array(nc * nr), im = a.im ? new Float64Array(nc * nr) : undefined;
        for (let i = 0; i < nr; i++) {
          for (let j = 0; j < nc; j++) {
            re[j * nr + i] = negRe * a.re[i * nc + j];
            if (im) im[j * nr + i] = negIm * a.im![i * nc + j];
          }
        }
        writeTile(c0, nc, r0, nr, re, im);
      }
    }
  }
  ctx.progress('mirroring', totalTiles, totalTiles);
}

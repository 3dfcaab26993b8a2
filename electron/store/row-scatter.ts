// Counting-sort scatter of sparse entries into the rows of a CSR segment, then a stable sort of each row
// by column (the sparse builder's pass 2). Entries of rows outside the segment are skipped, so two
// threads can build the two halves of one CSR from the same entries (scatterRows).

/**
 * The CSR segment of rows [r0, r1): entries are scattered to their row's slot in arrival order
 * (stable), then each row is sorted by column, stably (duplicates stay adjacent, in file order).
 */
export class RowScatter {
  readonly base: number;
  readonly col: Uint32Array;
  readonly re: Float64Array;
  readonly im?: Float64Array;
  private readonly pos: Uint32Array | Float64Array;

  /** `into`: arrays of m elements to fill (default: fresh ones). */
  constructor(private readonly indptr: Float64Array, readonly r0: number, readonly r1: number, m: number, cplx: boolean,
    into?: { col: Uint32Array; re: Float64Array; im?: Float64Array }) {
    this.base = indptr[r0];
    this.pos = m < 2 ** 32 ? new Uint32Array(r1 - r0) : new Float64Array(r1 - r0); // offsets within the segment
    for (let r = r0; r < r1; r++) this.pos[r - r0] = indptr[r] - this.base;
    this.col = into?.col ?? new Uint32Array(m);
    this.re = into?.re ?? new Float64Array(m);
    if (cplx) this.im = into?.im ?? new Float64Array(m);
  }

  add(n: number, R: Uint32Array, C: Uint32Array, RE: Float64Array, IM?: Float64Array): void {
    const { pos, col, re, im, r0 } = this;
    const span = this.r1 - r0;
    for (let k = 0; k < n; k++) {
      const r = R[k] - r0;
      if (!(r >= 0 && r < span)) continue; // another segment's
      const p = pos[r]++;
      col[p] = C[k]; re[p] = RE[k];
      if (im) im[p] = IM ? IM[k] : 0;
    }
  }

  /**
   * Like `add` for all the segment's entries at once (the segment's rows must be empty), in two
   * cache-friendly passes instead of one of random writes over the whole arrays: entries go first to
   * their band of 2^k rows (each band's part of the arrays is filled sequentially, with the row within
   * the band on the side), then each band is scattered to its rows, in cache. Both passes are stable,
   * so the result is the same as `add`'s.
   */
  addAll(n: number, R: Uint32Array, C: Uint32Array, RE: Float64Array, IM?: Float64Array): void {
    const { col, re, im, r0, r1, indptr, base } = this;
    const span = r1 - r0;
    let k = 0;
    while ((span >>> k) > 256 && k < 16) k++;
    if (k < 6 || n < (1 << 18) || n >= 2 ** 32) { this.add(n, R, C, RE, IM); return; }
    const bands = Math.ceil(span / (1 << k));
    const bpos = new Float64Array(bands + 1);
    for (let b = 0; b <= bands; b++) bpos[b] = indptr[Math.min(r1, r0 + b * (1 << k))] - base;
    const mask = (1 << k) - 1;
    const lr = new Uint16Array(bpos[bands]);
    const bp = Uint32Array.from(bpos.subarray(0, bands));
    for (let i = 0; i < n; i++) {
      const r = R[i] - r0;
      if (!(r >= 0 && r < span)) continue; // another segment's
      const p = bp[r >>> k]++;
      col[p] = C[i]; re[p] = RE[i]; lr[p] = r & mask;
      if (im) im[p] = IM ? IM[i] : 0;
    }
    let most = 0;
    for (let b = 0; b < bands; b++) most = Math.max(most, bpos[b + 1] - bpos[b]);
    const tc = new Uint32Array(most), tr = new Float64Array(most), tl = new Uint16Array(most), ti = im ? new Float64Array(most) : undefined;
    const rp = new Uint32Array(1 << k);
    for (let b = 0; b < bands; b++) {
      const s = bpos[b], e = bpos[b + 1], m = e - s;
      if (m === 0) continue;
      tc.set(col.subarray(s, e)); tr.set(re.subarray(s, e)); tl.set(lr.subarray(s, e));
      if (im && ti) ti.set(im.subarray(s, e));
      const rb = r0 + b * (1 << k), re1 = Math.min(r1, rb + (1 << k));
      for (let r = rb; r < re1; r++) rp[r - rb] = indptr[r] - base;
      for (let i = 0; i < m; i++) {
        const p = rp[tl[i]]++;
        col[p] = tc[i]; re[p] = tr[i];
        if (im && ti) im[p] = ti[i];
      }
    }
  }

  sortRows(): void {
    const { col, re, im, indptr, base } = this;
    for (let r = this.r0; r < this.r1; r++) {
      const s = indptr[r] - base, e = indptr[r + 1] - base;
      let q = s + 1;
      while (q < e && col[q] >= col[q - 1]) q++;
      if (q >= e) continue; // already sorted
      if (e - s <= 48) {
        for (let i = s + 1; i < e; i++) {
          const c = col[i], v = re[i], w = im ? im[i] : 0;
          let j = i;
          while (j > s && col[j - 1] > c) { col[j] = col[j - 1]; re[j] = re[j - 1]; if (im) im[j] = im[j - 1]; j--; }
          col[j] = c; re[j] = v; if (im) im[j] = w;
        }
      } else {
        const idx = Array.from({ length: e - s }, (_, i) => s + i);
        idx.sort((a, b) => col[a] - col[b] || a - b);
        const c2 = idx.map(i => col[i]), r2 = idx.map(i => re[i]), i2 = im ? idx.map(i => im[i]) : undefined;
        col.set(c2, s); re.set(r2, s); if (im && i2) im.set(i2, s);
      }
    }
  }
}

/** Rows [r0, r1) of a real CSR, scattered from entries of any rows (the others are skipped). */
export interface RowsJob {
  indptr: Float64Array; r0: number; r1: number;
  /** The entries: n rows, columns and values. */
  n: number; R: Uint32Array; C: Uint32Array; RE: Float64Array;
  /** The segment's column indices and values (indptr[r1] - indptr[r0] elements each), filled here. */
  col: Uint32Array; re: Float64Array;
}

/** Fills a RowsJob's segment: entries scattered to their rows, then each row sorted by column. */
export function scatterRows(j: RowsJob): void {
  const rs = new RowScatter(j.indptr, j.r0, j.r1, j.indptr[j.r1] - j.indptr[j.r0], false, { col: j.col, re: j.re });
  rs.addAll(j.n, j.R, j.C, j.RE);
  rs.sortRows();
}

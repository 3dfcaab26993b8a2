// An array file's values, in file order, cut into the column runs ArrayParser emits (mtx-body-parser):
// column-major; for symmetric / hermitian files column j holds rows j..n-1 (skew-symmetric: j+1..n-1);
// a run ends with its column or after `runSize` values (fewer when the column is shorter). The parallel
// path (mtx-array-parallel-scan) emits through it, so both paths hand the sink the very same runs.
import type { MtxHeader } from './mtx-header';

export type ColumnRunSink = (col: number, row: number, re: Float64Array, im: Float64Array | undefined) => void | Promise<void>;

export class ColumnRuns {
  private col = 0;
  private row: number;
  private runCol = 0;
  private runRow: number;
  private n = 0;
  private readonly re: Float64Array;
  private readonly im?: Float64Array;

  constructor(private readonly h: MtxHeader, private readonly emit: ColumnRunSink, runSize = 65536) {
    const cap = Math.max(1, Math.min(runSize, h.rows));
    this.re = new Float64Array(cap);
    if (h.field === 'complex') this.im = new Float64Array(cap);
    this.row = this.runRow = this.firstRow(0);
  }

  private firstRow(col: number): number {
    const s = this.h.symmetry;
    return s === 'general' ? 0 : s === 'skew-symmetric' ? col + 1 : col;
  }

  /**
   * Adds the first `n` values of re (and im), emitting each run as it completes: a run that lies within
   * them goes out as a view of them (no copy), one that spans two calls is gathered in a buffer.
   */
  async add(n: number, re: Float64Array, im: Float64Array | undefined): Promise<void> {
    const R = this.h.rows, cap = this.re.length;
    for (let at = 0; at < n;) {
      const take = Math.min(n - at, cap - this.n, R - this.row);
      if (!(take > 0)) throw new Error('more values than the array holds'); // the caller checks the count first
      const whole = this.n === 0 && (take === cap || take === R - this.row);
      if (!whole) {
        this.re.set(re.subarray(at, at + take), this.n);
        if (this.im) this.im.set(im!.subarray(at, at + take), this.n);
      }
      this.n += take;
      this.row += take;
      at += take;
      if (this.row >= R) {
        this.col++;
        while (this.col < this.h.cols && this.firstRow(this.col) >= R) this.col++;
        this.row = this.firstRow(this.col);
      } else if (this.n < cap) continue;
      const from = whole ? re.subarray(at - take, at) : this.re.subarray(0, this.n);
      await this.emit(this.runCol, this.runRow, from, whole ? im?.subarray(at - take, at) : this.im?.subarray(0, this.n));
      this.n = 0;
      this.runCol = this.col;
      this.runRow = this.row;
    }
  }
}

// Sums duplicate entries of a sparse matrix streamed in CSR order (duplicates are adjacent there), so
// that stats and pyramid describe the matrix that scipy.io.mmread(f).toarray() gives: one value per
// position, the sum of its entries (complex: summed, then the modulus). Sums are in float64.
// A run of duplicates may span chunks: the last position of a chunk is held back until the next one.
import { modulus } from './dtype-codec';

export class SumDuplicates {
  /** Positions emitted (distinct (row, col) pairs). */
  distinct = 0;
  private has = false;
  private pr = 0;
  private pc = 0;
  private pre = 0;
  private pim = 0;
  private readonly R: Uint32Array;
  private readonly C: Float64Array;
  private readonly V: Float64Array;

  /**
   * `emit(n, rows, cols, values)`: up to `cap` + 1 summed entries at a time (values: magnitudes for
   * complex), in views valid only during the call.
   */
  constructor(cap: number, private readonly emit: (n: number, R: ArrayLike<number>, C: ArrayLike<number>, V: Float64Array) => void) {
    this.R = new Uint32Array(cap + 1);
    this.C = new Float64Array(cap + 1);
    this.V = new Float64Array(cap + 1);
  }

  /** Entries in CSR order (row, column, real part, imaginary part for complex). */
  add(n: number, R: ArrayLike<number>, C: ArrayLike<number>, re: Float64Array, im?: Float64Array): void {
    if (n === 0) return;
    if (!im && !this.hasDuplicate(n, R, C)) {
      // the common case: pass the chunk on as it is, but for its last entry (held back)
      this.finish(false);
      this.distinct += n - 1;
      if (n > 1) this.emit(n - 1, R, C, re);
      this.has = true; this.pr = R[n - 1]; this.pc = C[n - 1]; this.pre = re[n - 1]; this.pim = 0;
      return;
    }
    const oR = this.R, oC = this.C, oV = this.V;
    let o = 0;
    let has = this.has, pr = this.pr, pc = this.pc, pre = this.pre, pim = this.pim;
    for (let i = 0; i < n; i++) {
      const r = R[i], c = C[i];
      if (has && r === pr && c === pc) {
        pre += re[i];
        if (im) pim += im[i];
        continue;
      }
      if (has) { oR[o] = pr; oC[o] = pc; oV[o] = im ? modulus(pre, pim) : pre; o++; }
      has = true; pr = r; pc = c; pre = re[i]; pim = im ? im[i] : 0;
    }
    this.has = has; this.pr = pr; this.pc = pc; this.pre = pre; this.pim = pim;
    this.out(o);
  }

  /** True when the chunk repeats a position, or starts with the held-back one. */
  private hasDuplicate(n: number, R: ArrayLike<number>, C: ArrayLike<number>): boolean {
    if (this.has && R[0] === this.pr && C[0] === this.pc) return true;
    for (let i = 1; i < n; i++) if (C[i] === C[i - 1] && R[i] === R[i - 1]) return true;
    return false;
  }

  /** Emits the held-back last position. */
  finish(complex: boolean): void {
    if (!this.has) return;
    this.R[0] = this.pr; this.C[0] = this.pc; this.V[0] = complex ? modulus(this.pre, this.pim) : this.pre;
    this.has = false;
    this.out(1);
  }

  private out(n: number): void {
    if (n === 0) return;
    this.distinct += n;
    this.emit(n, this.R, this.C, this.V);
  }
}

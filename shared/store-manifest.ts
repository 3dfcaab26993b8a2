// The on-disk store's manifest: what `NAME.mxstore/manifest.json` holds.
// Pure data types; the store writer (electron/store) produces it, every reader consumes it.

/** Element types a store holds. Files are always little-endian `.npy`, C order (except `valuesByColumn`). */
export type StoreDtype = 'f8' | 'f4' | 'i1' | 'u1' | 'i2' | 'u2' | 'i4' | 'u4' | 'c8' | 'c16';

/** NumPy descriptor (`descr`) written into the `.npy` header for each store dtype. */
export const NPY_DESCR: Record<StoreDtype, string> = {
  f8: '<f8', f4: '<f4', i1: '|i1', u1: '|u1', i2: '<i2', u2: '<u2', i4: '<i4', u4: '<u4', c8: '<c8', c16: '<c16',
};

/** Bytes per element of each store dtype (complex: both parts). */
export const DTYPE_BYTES: Record<StoreDtype, number> = {
  f8: 8, f4: 4, i1: 1, u1: 1, i2: 2, u2: 2, i4: 4, u4: 4, c8: 8, c16: 16,
};

export const isComplex = (d: StoreDtype): boolean => d === 'c8' || d === 'c16';

/**
 * Whole-matrix statistics over all rows × cols elements (sparse: implicit zeros included).
 * Complex matrices: over the modulus |z|.
 */
export interface StoreStats {
  /** Finite minimum / maximum; null when there is no finite element. */
  min: number | null;
  max: number | null;
  /** Mean and population standard deviation of the finite elements; null when none. */
  mean: number | null;
  std: number | null;
  /** Elements that are finite. */
  finite: number;
  nan: number;
  posinf: number;
  neginf: number;
  /** Elements equal to zero (sparse: implicit zeros plus stored zeros). */
  zeros: number;
}

/**
 * One level of the block-aggregate pyramid. Cell (a, b) aggregates rows
 * [a*block, min((a+1)*block, rows)) × cols [b*block, ...) of the matrix, over finite stored values
 * (complex: |z|). Files are 2-D `.npy` arrays of shape [rows, cols] (the level's, not the matrix's):
 * min/max/sum `<f4` (NaN where count is 0), count `<u4` (finite stored values in the cell).
 * For sparse matrices implicit zeros are NOT in min/max/sum/count; a reader accounts for them from
 * the cell's area.
 */
export interface PyramidLevel {
  /** log2(block) */
  level: number;
  block: number;
  rows: number;
  cols: number;
  files: { min: string; max: string; sum: string; count: string };
}

export interface SourceInfo {
  /** Absolute path of the file the store was converted from. */
  path: string;
  size: number;
  mtimeMs: number;
  /** Hash of a content sample (head, middle, tail) of the source. */
  sample: string;
  format: 'mtx' | 'npy' | 'csv';
  /** Matrix Market header facts, where the source is `.mtx`. */
  mtx?: { format: 'coordinate' | 'array'; field: 'real' | 'double' | 'integer' | 'pattern' | 'complex'; symmetry: 'general' | 'symmetric' | 'skew-symmetric' | 'hermitian' };
  /** NumPy header facts, where the source is `.npy`. */
  npy?: { descr: string; fortranOrder: boolean; shape: number[]; version: string };
  /** CSV facts, where the source is CSV/TSV. */
  csv?: { delimiter: string; header: boolean };
}

export interface StoreManifest {
  format: 'matrix-explorer-store';
  version: 1;
  source: SourceInfo;
  shape: [number, number];
  kind: 'dense' | 'sparse';
  dtype: StoreDtype;
  /** Sparse: stored entries after symmetry expansion, explicit zeros and duplicates included (scipy's nnz). Dense: count of nonzero values. */
  nnz: number;
  stats: StoreStats;
  /**
   * Data files, relative to the store directory.
   * dense: values (2-D [rows, cols]); optionally valuesByColumn, the same matrix as a Fortran-order
   * (column-major) .npy, so a column is one contiguous read (stores converted without it still work).
   * sparse: SciPy CSR triplet indptr (`<i8`, rows+1), indices (`<i4`, or `<i8` when cols > 2^31-1), data (dtype);
   * within a row, entries sorted by column (duplicates kept, adjacent). Plus the CSC triplet
   * cscIndptr/cscIndices/cscData (same conventions, by column) for fast column access.
   */
  files: {
    values?: string; valuesByColumn?: string;
    indptr?: string; indices?: string; data?: string;
    cscIndptr?: string; cscIndices?: string; cscData?: string;
  };
  /** Exact byte size of every file the store holds (relative path → bytes): a truncated or altered store fails to open. */
  sizes: Record<string, number>;
  /** Finest first; the last level has rows, cols ≤ 256. */
  pyramid: PyramidLevel[];
  createdAt: string;
  /** Seconds the conversion took. */
  convertSeconds: number;
}

export const STORE_FORMAT = 'matrix-explorer-store';
export const STORE_VERSION = 1;

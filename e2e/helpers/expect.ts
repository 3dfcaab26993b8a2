// Expected values from NumPy/SciPy, and file checks, for comparing with what the UI shows.
import type { Page } from 'playwright-core';
import type { PageGlobals } from './page-globals';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

/** A row and a column of a matrix file as scipy/numpy read them (dense float64). */
export function pyRowCol(file: string, i: number, j: number): { row: number[]; col: number[]; value: number } {
  const code = `
import sys, json, numpy as np
f = sys.argv[1]; i = int(sys.argv[2]); j = int(sys.argv[3])
if f.endswith('.npy'):
    a = np.load(f, mmap_mode='r'); row = np.asarray(a[i, :], dtype=np.float64); col = np.asarray(a[:, j], dtype=np.float64)
else:
    import scipy.io, scipy.sparse
    m = scipy.io.mmread(f)
    m = scipy.sparse.csr_matrix(m) if scipy.sparse.issparse(m) else scipy.sparse.csr_matrix(np.asarray(m))
    row = m.getrow(i).toarray().ravel().astype(np.float64); col = m.getcol(j).toarray().ravel().astype(np.float64)
print(json.dumps({'row': row.tolist(), 'col': col.tolist(), 'value': float(row[j])}))
`;
  return JSON.parse(execFileSync('python3', ['-c', code, file, String(i), String(j)], { maxBuffer: 64 << 20 }).toString());
}

export function assertClose(actual: number[], expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let k = 0; k < expected.length; k++) {
    const e = expected[k], a = actual[k];
    if (!(Math.abs(a - e) <= 1e-6 * Math.max(1, Math.abs(e)))) assert.fail(`${what}[${k}] = ${a}, expected ${e}`);
  }
}

export async function isSvg(page: Page, text: string): Promise<boolean> {
  return page.evaluate(t => {
    const doc = new ((globalThis as unknown as PageGlobals).DOMParser)().parseFromString(t, 'image/svg+xml');
    return !doc.querySelector('parsererror') && doc.documentElement.nodeName === 'svg';
  }, text);
}


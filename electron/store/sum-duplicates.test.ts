import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SumDuplicates } from './sum-duplicates';

test('SumDuplicates: sums runs of equal positions, also across chunk boundaries, in any chunking', () => {
  // CSR-ordered entries with duplicate runs at chunk edges, at the start and at the end
  const R = [0, 0, 0, 1, 1, 2, 2, 2, 3, 5, 5];
  const C = [1, 1, 4, 0, 2, 3, 3, 3, 0, 7, 7];
  const V = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const want = [[0, 1, 3], [0, 4, 3], [1, 0, 4], [1, 2, 5], [2, 3, 21], [3, 0, 9], [5, 7, 21]];
  for (const cuts of [[], [1], [2, 6], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [7], [9, 10]]) {
    const got: number[][] = [];
    const s = new SumDuplicates(11, (n, r, c, v) => { for (let i = 0; i < n; i++) got.push([r[i], c[i], v[i]]); });
    const edges = [0, ...cuts, R.length];
    for (let k = 0; k + 1 < edges.length; k++) {
      const [a, b] = [edges[k], edges[k + 1]];
      s.add(b - a, R.slice(a, b), C.slice(a, b), Float64Array.from(V.slice(a, b)));
    }
    s.finish(false);
    assert.deepEqual(got, want, `cuts ${cuts}`);
    assert.equal(s.distinct, want.length);
  }
  // complex: the modulus of the sum
  const got: number[] = [];
  const s = new SumDuplicates(4, (n, _r, _c, v) => { for (let i = 0; i < n; i++) got.push(v[i]); });
  s.add(2, [0, 0], [0, 0], Float64Array.from([3, 0]), Float64Array.from([0, 4]));
  s.finish(true);
  assert.deepEqual(got, [5]);
});

// A mapped engine unmaps the store pages a query read once it has answered (they stay in the page cache):
// after viewports, rows, columns and values — dense with and without the column copy, and sparse — this
// process maps none of the store's pages, and answers read afterwards are the same as before. (Except a
// column of a dense store without the column copy: one page per row, left mapped — see StoreFile.mappedBytes.)
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { QueryMap, QueryName } from '../../shared/queries';
import { canReadProcessMemory, formatBytes, privateByMapping } from '../pool/process-memory';
import { openEngine } from './open-engine';
import { writeFixtureStore } from './test-fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-release-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// 700 × 900 float64: rows of 7.2 KB, 5 MB of values (hundreds of pages a query can touch).
const ROWS = 700, COLS = 900;
const dense = Array.from({ length: ROWS * COLS }, (_, k) => Math.sin(k) * 100 + (k % 7));
const sparse = { i: [] as number[], j: [] as number[], re: [] as number[] };
for (let k = 0; k < 60000; k++) { sparse.i.push((k * 7919) % ROWS); sparse.j.push((k * 104729) % COLS); sparse.re.push(k % 13 - 6); }

const asks: Array<[QueryName, unknown]> = [
  ['viewport', { r0: 0, c0: 0, r1: ROWS, c1: COLS, width: 1000, height: 1000 }],
  ['viewport', { r0: 10, c0: 20, r1: 690, c1: 880, width: 300, height: 200 }],
  ['row', { index: 5 }], ['row', { index: 600, points: 50 }],
  ['col', { index: 7 }], ['col', { index: 800, start: 100, end: 650, points: 20 }],
  ['value', { i: 699, j: 899 }],
];

test('after small queries a mapped engine maps none of the store\'s pages; answers unchanged', { skip: !canReadProcessMemory() && 'no /proc/<pid>/smaps' }, async t => {
  const noColumnCopy = writeFixtureStore(tmp, 'dense', { dtype: 'f8', rows: ROWS, cols: COLS, dense, levels: [4, 16] });
  const stores = [
    noColumnCopy,
    writeFixtureStore(tmp, 'dense-colcopy', { dtype: 'f8', rows: ROWS, cols: COLS, dense, columnCopy: true, levels: [4, 16] }),
    writeFixtureStore(tmp, 'sparse', { dtype: 'f8', rows: ROWS, cols: COLS, sparse, levels: [4, 16] }),
  ];
  for (const { storePath } of stores) {
    const mapped = await openEngine(storePath, { mode: 'mapped' });
    const paged = await openEngine(storePath, { mode: 'paged' });
    try {
      const inStore = (f: string) => f.startsWith(storePath + path.sep);
      for (const round of [1, 2]) {
        for (const [name, req] of asks.filter(([name]) => name !== 'col' || storePath !== noColumnCopy.storePath)) {
          const got = await mapped.query(name, req as QueryMap[typeof name]['req']);
          assert.deepEqual(got, await paged.query(name, req as QueryMap[typeof name]['req']), `${name} ${JSON.stringify(req)} round ${round}`);
          const { storeRss } = privateByMapping(process.pid, inStore);
          t.diagnostic(`${path.basename(storePath)} ${name}: store pages mapped after it ${formatBytes(storeRss)}`);
          assert.equal(storeRss, 0, `${path.basename(storePath)}: ${name} ${JSON.stringify(req)} left ${formatBytes(storeRss)} of store pages mapped`);
        }
      }
    } finally {
      await mapped.close();
      await paged.close();
    }
  }
});

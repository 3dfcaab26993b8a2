import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildNpyHeader } from '../store/npy-header';
import { InputError } from './matrix-source';
import { openSource } from './open-source';
import { SHARED_TESTDATA } from '../test-support/testdata';

const dir = mkdtempSync(join(tmpdir(), 'open-source-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const put = (name: string, data: string | Uint8Array) => { const p = join(dir, name); writeFileSync(p, data); return p; };
const npyBytes = Buffer.concat([buildNpyHeader('<f8', [1, 2]), Buffer.from(new Float64Array([1, 2]).buffer)]);

async function refused(path: string, re: RegExp) {
  await assert.rejects(openSource(path), (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.match(e.message, re);
    return true;
  });
}

test('openSource: picks the importer by first bytes, then extension', async () => {
  for (const name of ['a.npy', 'a.bin', 'a.csv']) {
    const h = await (await openSource(put(name, npyBytes))).header();
    assert.equal(h.info.format, 'npy', name);
  }
  for (const name of ['b.csv', 'b.tsv', 'b.txt', 'b.tab', 'b.dat', 'b.data', 'noext']) {
    const h = await (await openSource(put(name, 'x,y\n1,2\n3,4\n'))).header();
    assert.equal(h.info.format, 'csv', name);
    assert.deepEqual([h.rows, h.cols], [2, 2]);
  }
});

test('openSource: Matrix Market banners and extensions go to the mtx importer', async () => {
  const mtxDir = `${SHARED_TESTDATA}/mtx`;
  const sample = readdirSync(mtxDir).find(n => n.endsWith('.mtx'))!;
  const asTxt = join(dir, 'banner.txt');
  copyFileSync(join(mtxDir, sample), asTxt);
  for (const p of [join(mtxDir, sample), asTxt, put('lower.dat', '%%matrixmarket matrix coordinate real general\n1 1 1\n1 1 2\n')]) {
    try {
      const h = await (await openSource(p)).header();
      assert.equal(h.info.format, 'mtx', p);
    } catch (e) {
      // the mtx importer may still be a stub or refuse the file itself; never our "not a ..." refusal
      assert.doesNotMatch(String((e as Error).message), /not a Matrix Market, NumPy or CSV file/);
    }
  }
});

test('openSource: clear refusals', async () => {
  await refused(join(dir, 'missing.csv'), /missing\.csv: no such file/);
  mkdirSync(join(dir, 'sub'));
  await refused(join(dir, 'sub'), /is a directory/);
  await refused(put('fake.npy', 'hello'), /not a NumPy \.npy file.*starts with "hello"/);
  await refused(put('blob.bin', Buffer.from([0, 1, 2, 0xff])), /not a Matrix Market, NumPy or CSV file \(starts with "\\x00\\x01\\x02\\xff"\)/);
  await refused(put('notes.md', '# Title\n\nSome prose here.\n'), /not a Matrix Market, NumPy or CSV file \(starts with "# Title\\n/);
  await refused(put('m.mtx.gz', Buffer.from([0x1f, 0x8b, 8, 0])), /gzip-compressed/);
  await refused(put('a.npz', Buffer.from('PK\x03\x04rest', 'latin1')), /zip archive \(NumPy \.npz\)/);
  await refused(put('empty.bin', ''), /empty file/);
});

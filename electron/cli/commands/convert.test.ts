// Every test-data file through the CLI code path: ok files convert with the MANIFEST's shape and nnz;
// error files exit 2 with a message naming the file, and leave no store behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../main';
import type { CliIo } from '../command';
import { SHARED_TESTDATA } from '../../test-support/testdata';

// fsync is exercised by store-builder.test.ts; here it would only measure the disk.
process.env.MATRIX_EXPLORER_NO_FSYNC ??= '1';
const TESTDATA = `${SHARED_TESTDATA}`;
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mx-convert-cli-'));
test.after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

async function cli(args: string[], signal = new AbortController().signal) {
  let out = '', err = '';
  const io: CliIo = { out: t => { out += t + '\n'; }, err: t => { err += t + '\n'; }, isTTY: false, signal };
  const code = await runCli(args, io);
  return { code, out, err };
}

function manifest(dir: string): Record<string, string>[] {
  const [head, ...lines] = fs.readFileSync(path.join(TESTDATA, dir, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const keys = head.split('\t');
  return lines.map(l => Object.fromEntries(l.split('\t').map((v, i) => [keys[i], v])));
}

for (const dir of ['mtx', 'npy']) {
  test(`every ${dir} test file converts (ok rows) or is refused cleanly (error rows)`, { skip: !fs.existsSync(path.join(TESTDATA, dir)) }, async () => {
    const failures: string[] = [];
    for (const row of manifest(dir)) {
      const file = path.join(TESTDATA, dir, row.filename);
      const out = path.join(tmpRoot, dir, row.filename.replace(/\W/g, '_'));
      fs.mkdirSync(out, { recursive: true });
      const r = await cli(['convert', file, '--out', out, '--json']);
      const ok = row.expected.startsWith('ok');
      if (ok) {
        if (r.code !== 0) { failures.push(`${row.filename}: exit ${r.code}: ${r.err.trim()}`); continue; }
        const j = JSON.parse(r.out);
        for (const k of ['store', 'shape', 'nnz', 'dtype', 'kind', 'reused', 'seconds']) assert.ok(k in j, `${k} missing`);
        if (dir === 'mtx') {
          const want = [Number(row.rows), Number(row.cols), Number(row.nnz)];
          if (j.shape[0] !== want[0] || j.shape[1] !== want[1] || j.nnz !== want[2]) failures.push(`${row.filename}: got ${j.shape} nnz ${j.nnz}, expected ${want}`);
        } else {
          const dims = row.shape.replace(/[()\s]/g, '').split(',').filter(Boolean).map(Number);
          const n = dims.reduce((a, b) => a * b, 1);
          if (j.shape[0] * j.shape[1] !== n || (dims.length === 2 && (j.shape[0] !== dims[0] || j.shape[1] !== dims[1]))) failures.push(`${row.filename}: got ${j.shape}, expected ${row.shape}`);
        }
        // reopening reuses the store
        const again = await cli(['info', j.store, '--json']);
        assert.equal(again.code, 0, again.err);
        assert.equal(JSON.parse(again.out).reused, true);
      } else {
        if (r.code !== 2) failures.push(`${row.filename}: exit ${r.code} (expected 2): ${r.err.trim()} ${r.out.trim()}`);
        else {
          const lines = r.err.trim().split('\n');
          if (lines.length !== 1 || !lines[0].includes(row.filename) || /\n\s+at /.test(r.err)) failures.push(`${row.filename}: unclear message: ${r.err}`);
        }
        const left = fs.readdirSync(out);
        if (left.length) failures.push(`${row.filename}: left ${left.join(', ')} behind`);
      }
    }
    assert.deepEqual(failures, []);
  });
}

test('convert: usage errors exit 2, --help prints options and examples', async () => {
  const bad = await cli(['convert', 'a.mtx', '--frobnicate']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /Unknown option '--frobnicate'/);
  const none = await cli(['convert']);
  assert.equal(none.code, 2);
  assert.match(none.err, /missing <input>/);
  const help = await cli(['convert', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /--out PATH/);
  assert.match(help.out, /Examples:/);
  const missing = await cli(['convert', path.join(tmpRoot, 'nope.mtx'), '--out', tmpRoot]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /nope\.mtx: no such file/);
});

test('convert: Ctrl-C cancels with exit 130 and removes the partial store', async () => {
  const dir = path.join(tmpRoot, 'cancel');
  fs.mkdirSync(dir, { recursive: true });
  const src = path.join(dir, 'big.mtx');
  const n = 300_000;
  const lines = ['%%MatrixMarket matrix coordinate real general', `1000 1000 ${n}`];
  for (let k = 0; k < n; k++) lines.push(`${(k % 1000) + 1} ${((k * 7) % 1000) + 1} ${k}.5`);
  fs.writeFileSync(src, lines.join('\n') + '\n');
  const out = path.join(dir, 'out');
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 20);
  const r = await cli(['convert', src, '--out', out], ac.signal);
  assert.equal(r.code, 130, r.err);
  assert.deepEqual(fs.existsSync(out) ? fs.readdirSync(out) : [], []);
});

test('info: human summary and --json with stats, source and pyramid', async () => {
  const file = path.join(TESTDATA, 'mtx', 'fmm-matrices-nist_ex1.mtx');
  const out = path.join(tmpRoot, 'info');
  const c = await cli(['convert', file, '--out', out, '--json']);
  assert.equal(c.code, 0, c.err);
  const store = JSON.parse(c.out).store;
  const h = await cli(['info', store]);
  assert.equal(h.code, 0, h.err);
  assert.match(h.out, /shape\s+5 × 5\s+sparse\s+f8/);
  assert.match(h.out, /nnz\s+8/);
  const j = JSON.parse((await cli(['info', store, '--json'])).out);
  assert.deepEqual(j.shape, [5, 5]);
  assert.equal(j.stats.finite, 25);
  assert.equal(j.source.format, 'mtx');
  assert.deepEqual(j.pyramid, [{ level: 0, block: 1, rows: 5, cols: 5 }]);
});

test('convert --no-column-copy: a dense store without values-by-column.npy, whose columns still answer', async () => {
  const src = path.join(TESTDATA, 'npy', 'npyjs-65x65-int8.npy');
  if (!fs.existsSync(src)) return;
  const stores: Record<string, string> = {};
  for (const [name, extra] of [['with', []], ['without', ['--no-column-copy']]] as const) {
    const r = await cli(['convert', src, '--out', path.join(tmpRoot, `colcopy-${name}.mxstore`), '--json', ...extra]);
    assert.equal(r.code, 0, r.err);
    stores[name] = JSON.parse(r.out).store;
  }
  assert.ok(fs.existsSync(path.join(stores.with, 'values-by-column.npy')));
  assert.ok(!fs.existsSync(path.join(stores.without, 'values-by-column.npy')));
  const cols = [];
  for (const s of [stores.with, stores.without]) cols.push(await cli(['col', s, '17', '--json']));
  for (const c of cols) assert.equal(c.code, 0, c.err);
  assert.deepEqual(JSON.parse(cols[1].out).values, JSON.parse(cols[0].out).values);
  assert.equal(JSON.parse(cols[0].out).values.length, 65);
});

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildNpyHeader } from '../../store/npy-header';
import { InputError } from '../matrix-source';
import { collectDense, firstDifference } from './collect-dense';
import { openNpy } from './npy-source';
import { SHARED_TESTDATA } from '../../test-support/testdata';

const DATA = `${SHARED_TESTDATA}/npy`;

async function load(path: string, chunkBytes?: number) {
  const src = await openNpy(path, { chunkBytes });
  const h = await src.header();
  const c = collectDense(h.rows, h.cols, h.dtype === 'c8' || h.dtype === 'c16');
  await src.scanDense!(c.sink);
  c.assertComplete();
  return { h, c };
}

function readF64(p: string): Float64Array {
  const b = readFileSync(p);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}

test('npy: every MANIFEST row loads with its shape or is refused clearly', async () => {
  const lines = readFileSync(join(DATA, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const cols = lines[0].split('\t');
  for (const line of lines.slice(1)) {
    const row = Object.fromEntries(line.split('\t').map((v, i) => [cols[i], v]));
    const file = join(DATA, row.filename);
    if (row.expected.startsWith('ok')) {
      const shape = row.shape.replace(/[()]/g, '').split(',').map(s => s.trim()).filter(Boolean).map(Number);
      const [r, c] = shape.length === 2 ? shape : shape.length === 1 ? [1, shape[0]] : [1, 1];
      const { h, c: got } = await load(file);
      assert.equal(h.rows, r, row.filename);
      assert.equal(h.cols, c, row.filename);
      assert.equal(h.kind, 'dense');
      assert.equal(h.info.format, 'npy');
      assert.equal(h.info.npy!.fortranOrder, row.fortran_order === 'True');
      if (row.filename.startsWith('kaldi')) assert.deepEqual([...got.re], [0, 1, 2, 3, 4, 5, 6, 7]);
      if (row.filename.includes('forder')) assert.ok(got.colRuns > 0 && got.rowRuns === 0);
    } else {
      await assert.rejects(load(file), (e: unknown) => {
        assert.ok(e instanceof InputError, `${row.filename}: ${e}`);
        assert.match(e.message, /cannot import: (object array|structured dtype)/);
        assert.ok(e.message.startsWith(file));
        return true;
      });
    }
  }
});

test('npy: MANIFEST ok files match numpy.load values', async (t) => {
  const dir = generated();
  if (typeof dir !== 'string') { t.skip(dir.skip); return; }
  for (const n of manifestOk()) {
    const exp = readF64(join(dir, `manifest-${n}.re`));
    for (const chunk of [undefined, 24]) {
      const { c } = await load(join(DATA, n), chunk);
      assert.equal(firstDifference(c.re, exp), -1, `${n} chunk ${chunk}`);
    }
  }
});

function manifestOk(): string[] {
  return readFileSync(join(DATA, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1)
    .map(l => l.split('\t')).filter(f => f[11].startsWith('ok')).map(f => f[0]);
}

let generatedDir: string | { skip: string } | undefined;
after(() => { if (typeof generatedDir === 'string') rmSync(generatedDir, { recursive: true, force: true }); });
/** One python process writes every generated file and every expected value (once, on first use). */
function generated(): string | { skip: string } {
  if (generatedDir) return generatedDir;
  const dir = mkdtempSync(join(tmpdir(), 'npy-gen-'));
  const r = spawnSync('python3', ['-c', PY_GENERATE, dir, DATA, ...manifestOk()], { encoding: 'utf8' });
  if (r.error || (r.status !== 0 && /No module named .?numpy/.test(r.stderr))) {
    rmSync(dir, { recursive: true, force: true });
    generatedDir = { skip: `python3 with numpy not available (${r.error?.message ?? 'no numpy'})` };
  } else {
    assert.equal(r.status, 0, r.stderr);
    generatedDir = dir;
  }
  return generatedDir;
}

const PY_GENERATE = String.raw`
import numpy as np, sys, os, json
out, data = sys.argv[1], sys.argv[2]
for n in sys.argv[3:]:
    a = np.atleast_2d(np.load(os.path.join(data, n)))
    np.ascontiguousarray(a.real.astype('<f8')).tofile(os.path.join(out, 'manifest-' + n + '.re'))
rng = np.random.default_rng(7)
entries = []
def values(dt, n):
    k = np.dtype(dt).kind
    if k == 'b': return rng.integers(0, 2, n).astype(bool)
    if k in 'iu':
        info = np.iinfo(dt)
        v = rng.integers(info.min, info.max, n, dtype=dt, endpoint=True)
        extremes = np.array([info.min, info.max, 0, 1, min(info.max, 2**53 + 1), min(info.max, 2**63 - 1)], dtype=object)
        for j in range(min(n, len(extremes))): v[j] = extremes[j]
        return v
    if k == 'f':
        v = (rng.standard_normal(n) * 10.0 ** rng.integers(-5, 5, n)).astype(dt)
        special = [np.nan, np.inf, -np.inf, -0.0, np.finfo(dt).max, np.finfo(dt).tiny]
        for j in range(min(n, len(special))): v[j] = special[j]
        return v
    v = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dt)
    if n > 1: v[1] = complex(np.nan, -np.inf)
    return v
i = 0
for dt in ['b1','i1','u1','i2','u2','i4','u4','i8','u8','f2','f4','f8','c8','c16']:
    for order in ['<', '>']:
        for shape in [(), (1,), (7,), (1, 1), (1, 5), (5, 1), (3, 4), (37, 23)]:
            for fortran in ([False, True] if len(shape) == 2 else [False]):
                n = int(np.prod(shape))
                a = values(dt, n).reshape(shape)
                a = a.astype(np.dtype(dt).newbyteorder(order))
                if fortran: a = np.asfortranarray(a)
                version = (1, 0) if i % 3 == 0 else (2, 0) if i % 3 == 1 else (3, 0)
                name = 'a%d.npy' % i; i += 1
                with open(os.path.join(out, name), 'wb') as f:
                    np.lib.format.write_array(f, a, version=version, allow_pickle=False)
                b = np.atleast_2d(np.asarray(a))
                np.ascontiguousarray(b.real.astype('<f8')).tofile(os.path.join(out, name + '.re'))
                if np.iscomplexobj(b): np.ascontiguousarray(b.imag.astype('<f8')).tofile(os.path.join(out, name + '.im'))
                entries.append({'name': name, 'descr': a.dtype.str, 'shape': list(shape), 'fortran': fortran, 'version': '%d.%d' % version})
for dt in ['|u1', '>f2', '<c16', '>i8', '<f8', '>c8']:
    for fortran in [False, True]:
        a = values(dt[1:], 300 * 301).reshape(300, 301).astype(np.dtype(dt))
        if fortran: a = np.asfortranarray(a)
        name = 'a%d.npy' % i; i += 1
        np.save(os.path.join(out, name), a)
        np.ascontiguousarray(a.real.astype('<f8')).tofile(os.path.join(out, name + '.re'))
        if np.iscomplexobj(a): np.ascontiguousarray(a.imag.astype('<f8')).tofile(os.path.join(out, name + '.im'))
        entries.append({'name': name, 'descr': a.dtype.str, 'shape': [300, 301], 'fortran': fortran, 'version': '1.0'})
json.dump(entries, open(os.path.join(out, 'index.json'), 'w'))
# files to refuse
np.save(os.path.join(out, 'e-3d.npy'), np.zeros((2, 3, 4)))
np.save(os.path.join(out, 'e-unicode.npy'), np.array([['ab', 'c']]))
np.save(os.path.join(out, 'e-bytes.npy'), np.array([b'ab', b'c']))
np.save(os.path.join(out, 'e-datetime.npy'), np.array(['2020-01-01'], dtype='M8[D]'))
np.save(os.path.join(out, 'e-timedelta.npy'), np.array([1], dtype='m8[s]'))
np.save(os.path.join(out, 'e-object.npy'), np.array([1, 'x'], dtype=object), allow_pickle=True)
np.save(os.path.join(out, 'e-structured.npy'), np.zeros(3, dtype=[('a', '<i4'), ('b', '<f8')]))
np.save(os.path.join(out, 'e-longdouble.npy'), np.zeros(3, dtype=np.longdouble))
np.save(os.path.join(out, 'e-empty.npy'), np.zeros((0, 3)))
`;

test('npy: generated dtypes × byte orders × C/F order × shapes × versions equal numpy', async (t) => {
  const dir = generated();
  if (typeof dir !== 'string') { t.skip(dir.skip); return; }
  {
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { name: string; descr: string; shape: number[]; fortran: boolean; version: string }[];
    assert.ok(index.length > 300);
    const storeOf: Record<string, string> = { b1: 'u1', i1: 'i1', u1: 'u1', i2: 'i2', u2: 'u2', i4: 'i4', u4: 'u4', i8: 'f8', u8: 'f8', f2: 'f4', f4: 'f4', f8: 'f8', c8: 'c8', c16: 'c16' };
    for (const e of index) {
      const expRe = readF64(join(dir, e.name + '.re'));
      const expIm: Float64Array | undefined = existsSync(join(dir, e.name + '.im')) ? readF64(join(dir, e.name + '.im')) : undefined;
      const big = e.shape.length === 2 && e.shape[0] * e.shape[1] > 10000;
      for (const chunk of big ? [undefined, 100000] : [undefined, 40]) {
        const { h, c } = await load(join(dir, e.name), chunk);
        const what = `${e.name} ${e.descr} ${JSON.stringify(e.shape)} F=${e.fortran} v${e.version} chunk=${chunk}`;
        const [rows, cols] = e.shape.length === 2 ? e.shape : e.shape.length === 1 ? [1, e.shape[0]] : [1, 1];
        assert.equal(h.rows, rows, what); assert.equal(h.cols, cols, what);
        assert.equal(h.dtype, storeOf[e.descr.slice(1)], what);
        assert.equal(h.info.npy!.version, e.version, what);
        assert.equal(h.info.npy!.descr, e.descr, what);
        assert.equal(firstDifference(c.re, expRe), -1, what);
        if (expIm) assert.equal(firstDifference(c.im!, expIm), -1, what + ' (imag)');
        // numpy writes fortran_order True only for arrays that are not also C-contiguous
        const F = h.info.npy!.fortranOrder;
        if (e.fortran && rows > 1 && cols > 1) assert.ok(F, what);
        if (F) assert.equal(c.rowRuns, 0, what);
        else assert.equal(c.colRuns, 0, what);
      }
    }
    const refusals: [string, RegExp][] = [
      ['e-3d.npy', /3-D array \(shape \(2, 3, 4\)\)/], ['e-unicode.npy', /string array \(dtype <U2/],
      ['e-bytes.npy', /byte-string array \(dtype \|S2/], ['e-datetime.npy', /datetime array \(dtype <M8\[D\]/],
      ['e-timedelta.npy', /timedelta array/], ['e-object.npy', /object array \(dtype \|O/],
      ['e-structured.npy', /structured dtype/], ['e-longdouble.npy', /float type of 128 bits \(dtype <f16\)/],
      ['e-empty.npy', /empty \(shape \(0, 3\)\)/],
    ];
    for (const [name, re] of refusals) {
      await assert.rejects(load(join(dir, name)), (e: unknown) => e instanceof InputError && re.test(e.message), name);
    }
  }
});

test('npy: truncated data is refused with expected vs actual bytes; trailing bytes are ignored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'npy-trunc-'));
  try {
    const head = buildNpyHeader('<f8', [2, 3]);
    const data = new Float64Array([1, 2, 3, 4, 5, 6]);
    const full = Buffer.concat([head, Buffer.from(data.buffer)]);
    writeFileSync(join(dir, 'short.npy'), full.subarray(0, full.length - 5));
    await assert.rejects(load(join(dir, 'short.npy')), (e: unknown) =>
      e instanceof InputError && /truncated data: shape \(2, 3\) of <f8 needs 48 bytes after the \d+-byte header, the file has 43/.test(e.message));
    writeFileSync(join(dir, 'long.npy'), Buffer.concat([full, Buffer.from('trailing junk')]));
    const { c } = await load(join(dir, 'long.npy'));
    assert.deepEqual([...c.re], [1, 2, 3, 4, 5, 6]);
    writeFileSync(join(dir, 'header-only.npy'), head.subarray(0, 30));
    await assert.rejects(load(join(dir, 'header-only.npy')), (e: unknown) => e instanceof InputError && /truncated \.npy header/.test(e.message));
    writeFileSync(join(dir, 'nomagic.npy'), 'hello world, not numpy');
    await assert.rejects(load(join(dir, 'nomagic.npy')), (e: unknown) => e instanceof InputError && /magic string/.test(e.message));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('npy: a scan can be cancelled and reports progress', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'npy-cancel-'));
  try {
    const n = 100 * 100;
    writeFileSync(join(dir, 'a.npy'), Buffer.concat([buildNpyHeader('<f8', [100, 100]), Buffer.alloc(n * 8)]));
    const src = await openNpy(join(dir, 'a.npy'), { chunkBytes: 8000 });
    const seen: number[] = [];
    await src.scanDense!({ rowRun() {}, colRun() {} }, { onBytes: d => seen.push(d) });
    assert.equal(seen.length, 10);
    assert.equal(seen.at(-1), buildNpyHeader("<f8", [100, 100]).length + n * 8);
    const ac = new AbortController();
    let runs = 0;
    await assert.rejects(src.scanDense!({ rowRun() { if (++runs === 5) ac.abort(); }, colRun() {} }, { signal: ac.signal }), { name: 'CancelledError' });
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

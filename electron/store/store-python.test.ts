// The store as Python sees it: for every ok Matrix Market test file, numpy.load(mmap_mode='r') +
// scipy.sparse.csr_matrix must equal scipy.io.mmread(source) (values equal, NaN == NaN), the CSC
// triplet must equal csr.tocsc(), a dense store's column-major copy must load (Fortran order) as the same
// matrix as values.npy (NaN positions included), and a dense store's pyramid must match numpy reshape aggregates.
// One python process checks every store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { convertToStore } from './convert';
import { buildNpyHeader } from './npy-header';
import { SHARED_TESTDATA } from '../test-support/testdata';

// fsync is exercised by store-builder.test.ts; here it would only measure the disk.
process.env.MATRIX_EXPLORER_NO_FSYNC ??= '1';
const MTX = `${SHARED_TESTDATA}/mtx`;
const havePy = spawnSync('python3', ['-c', 'import numpy, scipy'], { encoding: 'utf8' }).status === 0;

const CHECK = String.raw`
import json, sys, warnings
import numpy as np, scipy.io, scipy.sparse as sp
warnings.simplefilter('ignore')
jobs = json.load(sys.stdin)
fails = []
bycol = 0

def check_column_copy(store, m, v, name):
    global bycol
    rel = m['files'].get('valuesByColumn')
    if rel is None: return
    c = load(store, rel)
    if not c.flags.f_contiguous or c.shape != v.shape or c.dtype != v.dtype: fails.append(f"{name}: column copy is {c.dtype} {c.shape}, f_contiguous={c.flags.f_contiguous}")
    elif not same(c, v): fails.append(f"{name}: column copy differs from values")
    else: bycol += 1

def load(store, rel):
    return np.load(f"{store}/{rel}", mmap_mode='r', allow_pickle=False)

def same(a, b):
    a = np.asarray(a); b = np.asarray(b)
    if a.shape != b.shape: return False
    if np.iscomplexobj(a) or np.iscomplexobj(b):
        return same(np.real(a), np.real(b)) and same(np.imag(a), np.imag(b))
    if a.dtype.kind == 'f' or b.dtype.kind == 'f':
        return bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))
    return bool(np.array_equal(a, b))

for job in [j for j in jobs if not j.get('pyramid')]:
    src, store = job['source'], job['store']
    name = src.split('/')[-1]
    try:
        m = json.load(open(f"{store}/manifest.json"))
        rows, cols = m['shape']
        ref = scipy.io.mmread(src)
        if m['kind'] == 'dense':
            v = load(store, m['files']['values'])
            ref = ref.toarray() if sp.issparse(ref) else np.asarray(ref)
            if not same(v, ref.astype(v.dtype)): fails.append(f"{name}: dense values differ")
            check_column_copy(store, m, v, name)
            continue
        f = m['files']
        data, ind, ptr = load(store, f['data']), load(store, f['indices']), load(store, f['indptr'])
        csr = sp.csr_matrix((data, ind, ptr), shape=(rows, cols))
        coo = sp.coo_matrix(ref)
        if coo.shape != (rows, cols) or coo.nnz != csr.nnz:
            fails.append(f"{name}: shape/nnz {(rows, cols)}/{csr.nnz} vs scipy {coo.shape}/{coo.nnz}"); continue
        if np.any(np.diff(ptr) < 0) or ptr[0] != 0 or ptr[-1] != len(data):
            fails.append(f"{name}: bad indptr"); continue
        our_rows = np.repeat(np.arange(rows), np.diff(ptr))
        # within a row, columns must be sorted
        key = our_rows.astype(np.int64) * max(cols, 1) + ind
        if np.any(np.diff(key) < 0): fails.append(f"{name}: columns not sorted within rows")
        theirs = coo.data.astype(data.dtype)
        def canon(r, c, d):
            dv = np.real(d).astype(np.float64)
            o = np.lexsort((np.nan_to_num(dv), c, r))
            return r[o], c[o], d[o]
        a = canon(our_rows, np.asarray(ind, dtype=np.int64), np.asarray(data))
        b = canon(coo.row.astype(np.int64), coo.col.astype(np.int64), theirs)
        if not (np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]) and same(a[2], b[2])):
            fails.append(f"{name}: entries differ from scipy.io.mmread")
        csc = csr.tocsc()
        cd, ci, cp = load(store, f['cscData']), load(store, f['cscIndices']), load(store, f['cscIndptr'])
        if not (np.array_equal(cp, csc.indptr) and np.array_equal(ci, csc.indices) and same(cd, csc.data)):
            fails.append(f"{name}: CSC differs from csr.tocsc()")
    except Exception as e:
        fails.append(f"{name}: {type(e).__name__}: {e}")

for job in jobs:
    if not job.get('pyramid'): continue
    store = job['store']
    m = json.load(open(f"{store}/manifest.json"))
    check_column_copy(store, m, load(store, m['files']['values']), 'dense.npy')
    v = np.asarray(load(store, m['files']['values']), dtype=np.float64)
    R, C = v.shape
    for L in m['pyramid']:
        b = L['block']; lr, lc = L['rows'], L['cols']
        pad = np.full((lr * b, lc * b), np.nan); pad[:R, :C] = v
        pad[~np.isfinite(pad)] = np.nan
        t = pad.reshape(lr, b, lc, b)
        cnt = np.sum(~np.isnan(t), axis=(1, 3))
        mn = np.nanmin(t, axis=(1, 3)).astype(np.float32); mx = np.nanmax(t, axis=(1, 3)).astype(np.float32)
        sm = np.nansum(t, axis=(1, 3)); sm[cnt == 0] = np.nan
        g = {k: np.asarray(load(store, L['files'][k])) for k in ('min', 'max', 'sum', 'count')}
        if not np.array_equal(g['count'], cnt): fails.append(f"pyramid L{L['level']}: count differs")
        if not same(g['min'], mn) or not same(g['max'], mx): fails.append(f"pyramid L{L['level']}: min/max differ")
        if not np.allclose(g['sum'], sm, rtol=1e-5, atol=1e-3, equal_nan=True): fails.append(f"pyramid L{L['level']}: sum differs")
print(json.dumps({'checked': len(jobs), 'bycol': bycol, 'fails': fails}))
`;

test('python reads every ok mtx store exactly like scipy.io.mmread; CSC, column copy and pyramid check out', { skip: havePy ? false : 'python3 with numpy and scipy is not available' }, async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mx-store-py-'));
  try {
    const [head, ...lines] = fs.readFileSync(path.join(MTX, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
    const keys = head.split('\t');
    const jobs: { source: string; store: string; pyramid?: boolean }[] = [];
    for (const l of lines) {
      const row = Object.fromEntries(l.split('\t').map((v, i) => [keys[i], v]));
      if (!row.expected.startsWith('ok')) continue;
      const source = path.join(MTX, row.filename);
      const r = await convertToStore(source, { out: tmp });
      jobs.push({ source, store: r.storePath });
    }
    // a dense example with non-finite values, for the pyramid
    const R = 1030, C = 770;
    const vals = new Float64Array(R * C);
    for (let k = 0; k < vals.length; k++) vals[k] = k % 97 === 0 ? NaN : k % 101 === 0 ? Infinity : Math.sin(k) * 100;
    const npy = path.join(tmp, 'dense.npy');
    fs.writeFileSync(npy, Buffer.concat([buildNpyHeader('<f8', [R, C]), Buffer.from(vals.buffer)]));
    const d = await convertToStore(npy, { out: tmp });
    assert.equal(d.manifest.pyramid.length, 2);
    jobs.push({ source: npy, store: d.storePath, pyramid: true });
    const py = spawnSync('python3', ['-c', CHECK], {
      input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 1 << 24,
    });
    assert.equal(py.status, 0, py.stderr);
    const out = JSON.parse(py.stdout);
    assert.deepEqual(out.fails, []);
    assert.ok(out.checked > 50);
    assert.ok(out.bycol >= 3, `column copies checked: ${out.bycol}`); // the dense .mtx files and dense.npy
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

# NumPy oracle for the engine tests: reads cases (JSON on stdin), prints expected results (JSON).
import json, sys
import numpy as np

def load(case):
    store = case['store']
    m = json.load(open(store + '/manifest.json'))
    rows, cols = m['shape']
    if m['kind'] == 'dense':
        a = np.load(store + '/' + m['files']['values'], mmap_mode='r')
    else:
        import scipy.sparse as sp
        f = m['files']
        data = np.load(store + '/' + f['data']); ind = np.load(store + '/' + f['indices']); ptr = np.load(store + '/' + f['indptr'])
        a = sp.csr_matrix((data, ind, ptr), shape=(rows, cols)).toarray()
    if np.iscomplexobj(a):
        a = np.abs(a)
    return np.asarray(a)

out = []
for case in json.load(sys.stdin):
    a = load(case)
    res = {'hist': [], 'pct': []}
    fin = a[np.isfinite(a)]
    for h in case['hist']:
        if 'edges' in h:
            counts, edges = np.histogram(fin, bins=np.array(h['edges'], dtype=np.float64))
        elif h.get('range') is not None:
            counts, edges = np.histogram(fin, bins=h['bins'], range=tuple(h['range']))
        else:
            counts, edges = np.histogram(fin, bins=h['bins'])
        res['hist'].append({'counts': counts.tolist(), 'edges': [float(e) for e in edges]})
    for q in case['pct']:
        r = q.get('rect')
        sub = a if r is None else a[r['r0']:r['r1'], r['c0']:r['c1']]
        f = sub[np.isfinite(sub)]
        res['pct'].append(None if f.size == 0 else [float(v) for v in np.percentile(f, q['p'])])
    if case.get('dense'):
        flat = np.asarray(a, dtype=np.float64).ravel()
        vals = flat.tolist()
        for k in np.flatnonzero(~np.isfinite(flat)).tolist():
            v = flat[k]
            vals[k] = 'nan' if np.isnan(v) else ('inf' if v > 0 else '-inf')
        res['dense'] = vals
    out.append(res)
print(json.dumps(out))

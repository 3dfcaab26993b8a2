// The backend on real stores from the shared test data, with the real store converter and helper pool:
// two windows on one file → one conversion, one store open; queries through the pool; readable refusals.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ServerMessage } from '../../shared/rpc/protocol';
import { createRpcClient } from '../../shared/rpc/rpc-client';
import { HelperPool } from '../pool/helper-pool';
import { Backend } from './backend';
import { SHARED_TESTDATA } from '../test-support/testdata';

const MTX = `${SHARED_TESTDATA}/mtx`;
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'mx-backend-real-'));
process.env.MATRIX_EXPLORER_CACHE = cache;
after(() => fs.rmSync(cache, { recursive: true, force: true }));

async function engineMissing(): Promise<string | false> {
  try {
    const { openEngine } = await import('../engine/open-engine');
    const { resolveStore } = await import('../store/convert');
    const r = await resolveStore(path.join(MTX, 'fmm-matrices-eye3.mtx'), {});
    const e = await openEngine(r.storePath);
    await e.close();
    return false;
  } catch (e) {
    return /not implemented/.test(String((e as Error).message)) ? 'the engine is not implemented yet' : false;
  }
}

function client(backend: Backend, id: string) {
  let deliver: (m: ServerMessage) => void = () => {};
  const handler = backend.connect(id, m => queueMicrotask(() => deliver(m)));
  return { handler, c: createRpcClient({ send: m => queueMicrotask(() => handler(m)), onMessage: l => { deliver = l; } }) };
}

test('real stores: one conversion and one store open for two windows; queries through the pool', async t => {
  const skip = await engineMissing();
  if (skip) { t.skip(skip); return; }
  const pool = new HelperPool({ size: 1 });
  const backend = new Backend({ pool, cacheDir: cache });
  t.after(async () => { await backend.close(); await pool.close(); });
  const file = path.join(MTX, 'ginkgo-1138_bus.mtx');
  const a = client(backend, 'a'), b = client(backend, 'b');
  const progress: number[] = [];
  const [ia, ib] = await Promise.all([a.c.open(file, { onProgress: p => progress.push(p.fraction ?? -1) }), b.c.open(file)]);
  assert.equal(ia.id, ib.id);
  assert.deepEqual(ia.shape, [1138, 1138]);
  assert.equal(ia.kind, 'sparse');
  assert.ok(progress.length > 0, 'conversion progress reached the window');
  assert.deepEqual(backend.stats(), { conversions: 1, storeOpens: 1, sessions: 2, opened: 1 });
  // a third window on the served store: still nothing new
  const c = client(backend, 'c');
  await c.c.open(file);
  assert.deepEqual(backend.stats(), { conversions: 1, storeOpens: 1, sessions: 3, opened: 1 });

  const v = await a.c.query(ia.id, 'viewport', { r0: 0, c0: 0, r1: 1138, c1: 1138, width: 100, height: 100 });
  assert.ok(v.mean instanceof Float32Array);
  assert.equal(v.mean.length, v.rows * v.cols);
  assert.ok(v.rows <= 100 && v.cols <= 100);
  const row = await b.c.query(ia.id, 'row', { index: 0 });
  assert.equal(row.axis, 'row');
  const h = await c.c.query(ia.id, 'histogram', { bins: 10 });
  assert.equal(h.total, 1138 * 1138);
  assert.equal((await a.c.recent())[0].path, file);
});

test('real stores: bad input comes back as a bad-input payload naming file and line', async t => {
  const skip = await engineMissing();
  if (skip) { t.skip(skip); return; }
  const pool = new HelperPool({ size: 1 });
  const backend = new Backend({ pool, cacheDir: cache });
  t.after(async () => { await backend.close(); await pool.close(); });
  const { c } = client(backend, 'a');
  const bad = path.join(MTX, 'fmm-invalid-invalid_bad_value.mtx');
  await assert.rejects(c.open(bad), (e: Error & { code: string }) => {
    assert.equal(e.code, 'bad-input');
    assert.match(e.message, /fmm-invalid-invalid_bad_value\.mtx:3: .*not_a_double/);
    assert.doesNotMatch(e.message, /\n\s+at /);
    return true;
  });
  await assert.rejects(c.open(path.join(MTX, 'no-such-file.mtx')), (e: Error & { code: string }) => {
    assert.ok(e.code === 'not-found' || e.code === 'bad-input', e.code);
    assert.match(e.message, /no-such-file\.mtx/);
    return true;
  });
  assert.equal(backend.stats().conversions, 0);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Progress } from '../../shared/queries';
import type { HelperChannel } from '../pool/helper-pool';
import { forkHelper } from '../pool/fork-helper';
import { remoteResolveStore, runConvertHost, type ConvertReply } from './convert-host';
import { SHARED_TESTDATA } from '../test-support/testdata';
import { until } from '../../shared/testing/until';

const MTX = `${SHARED_TESTDATA}/mtx`;

/** A child "process" in this process: runConvertHost on one end of a pair of message queues. */
function inProcess(resolveStore: Parameters<typeof runConvertHost>[1]) {
  const toChild: Array<(m: unknown) => void> = [];
  const toParent: Array<(m: unknown) => void> = [];
  const exits: Array<(c: number | null) => void> = [];
  let killed = 0;
  runConvertHost({ send: (m: ConvertReply) => setImmediate(() => toParent.forEach(l => l(m))), onMessage: l => { toChild.push(l); } }, resolveStore);
  const channel: HelperChannel = {
    send: m => setImmediate(() => toChild.forEach(l => l(m))),
    onMessage: l => { toParent.push(l); },
    onExit: l => { exits.push(l); },
    kill: () => { killed++; },
  };
  return { channel, crash: (code: number) => exits.forEach(l => l(code)), killed: () => killed };
}

test('a real conversion in a child process: progress, then the store', { timeout: 120_000 }, async () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'mx-convert-host-'));
  try {
    const spawn = forkHelper({ entry: path.join(__dirname, 'convert-host-main.ts'), env: { MATRIX_EXPLORER_CACHE: cache } });
    const resolve = remoteResolveStore(() => spawn(0));
    const progress: Progress[] = [];
    const r = await resolve(path.join(MTX, 'fmm-matrices-kepner_gilbert_graph.mtx'), { onProgress: p => progress.push(p) });
    assert.equal(r.reused, false);
    assert.ok(r.storePath.startsWith(cache), r.storePath);
    assert.ok(fs.existsSync(path.join(r.storePath, 'manifest.json')));
    assert.deepEqual(r.manifest.shape, [7, 7]);
    const again = await resolve(path.join(MTX, 'fmm-matrices-kepner_gilbert_graph.mtx'), {});
    assert.equal(again.reused, true, 'the second time the cached store is reused');

    const bad = path.join(MTX, 'fmm-invalid-invalid_bad_banner.mtx');
    await assert.rejects(resolve(bad, {}), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'bad-input');
      assert.match(e.message, /invalid_bad_banner\.mtx/);
      assert.doesNotMatch(e.message, /\n\s+at /, 'no stack trace');
      return true;
    });
  } finally { fs.rmSync(cache, { recursive: true, force: true }); }
});

test('cancelling asks the child to stop, rejects with cancelled, and kills it after the grace period', async () => {
  let sawAbort = false;
  const child = inProcess((_input, o) => new Promise((_, reject) => {
    o.onProgress?.({ fraction: 0.1, phase: 'parsing' });
    o.signal?.addEventListener('abort', () => { sawAbort = true; reject(Object.assign(new Error('aborted'), { name: 'AbortError' })); });
  }));
  const resolve = remoteResolveStore(() => child.channel, { cancelGraceMs: 30 });
  const ac = new AbortController();
  const progress: Progress[] = [];
  let gotProgress: () => void = () => {};
  const progressed = new Promise<void>(r => { gotProgress = r; });
  const p = resolve('/big.mtx', { signal: ac.signal, onProgress: x => { progress.push(x); gotProgress(); } });
  await progressed;
  ac.abort();
  await assert.rejects(p, (e: Error & { code?: string }) => e.code === 'cancelled');
  await until(() => sawAbort, 'the child saw the cancel');
  await until(() => child.killed() === 1, 'the child killed after the grace period');
  assert.deepEqual(progress, [{ fraction: 0.1, phase: 'parsing' }]);
});

test('a child that dies mid-conversion gives a readable error', async () => {
  const child = inProcess(() => new Promise(() => { /* never finishes */ }));
  const resolve = remoteResolveStore(() => child.channel);
  const p = resolve('/x.mtx', {});
  child.crash(137);
  await assert.rejects(p, /the conversion of \/x\.mtx stopped unexpectedly \(process exit 137\); try again/);
});

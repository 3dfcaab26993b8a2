// A background thread lowers its own priority and no other thread's (Linux, where the builder uses it).
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { BACKGROUND_NICE } from './thread-priority';

test('thread priority: a worker lowers its own niceness; the process and its main thread keep theirs', { skip: process.platform !== 'linux' && 'per-thread priorities are set on Linux only' }, async () => {
  const before = os.getPriority(process.pid);
  const src = `
    const { parentPort } = require('node:worker_threads');
    const fs = require('node:fs'), os = require('node:os');
    require('tsx/cjs');
    const { lowerThreadPriority } = require(${JSON.stringify(require.resolve('./thread-priority'))});
    const ok = lowerThreadPriority();
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    parentPort.postMessage({ ok, nice: os.getPriority(tid) });`;
  const w = new Worker(src, { eval: true });
  const r = await new Promise<{ ok: boolean; nice: number }>((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
  await w.terminate();
  assert.equal(r.ok, true);
  assert.equal(r.nice, Math.max(before, BACKGROUND_NICE));
  assert.equal(os.getPriority(process.pid), before, 'the main thread (the process id) is untouched');
});

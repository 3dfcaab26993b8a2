import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterAnswer, GARBAGE_BYTES } from './garbage-watch';

test('dead answers are collected once they add up to GARBAGE_BYTES, long before V8 would (~64 MB of external memory)', async () => {
  const arrayBuffers = () => process.memoryUsage().arrayBuffers;
  const start = arrayBuffers();
  const answerBytes = 6 << 20; // one 800×500 raster of four float32 arrays
  let peak = 0;
  for (let k = 0; k < 40; k++) {
    const answer = new Float32Array(answerBytes / 4);
    answer[k] = k; // sent, then dropped
    afterAnswer();
    await new Promise(resolve => setImmediate(resolve));
    peak = Math.max(peak, arrayBuffers() - start);
  }
  // 40 answers are 240 MB; what is held at any time stays within the threshold plus a few answers (the one
  // in hand, and freed ones V8 has not finished sweeping when it counts), well below V8's own ~64 MB.
  assert.ok(peak <= GARBAGE_BYTES + 6 * answerBytes && peak < 64 << 20, `array buffers grew to ${(peak / 2 ** 20).toFixed(1)} MiB`);
});

// The WebAssembly stats passes give what RunningStats's JS loops give: the same counts, minimum and
// maximum, and the same mean and std up to rounding (the kernel adds in lanes), on chunks of every
// length with and without NaN, infinities, zeros of both signs and sums that overflow.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { RunningStats } from './running-stats';
import { StatsKernel } from './stats-kernel';
import { wasm, WASM_PAGE } from '../wasm/wasm-module';

test('stats kernel: stats-kernel.wasm.ts is compiled from stats-kernel.wat', () => {
  const r = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'build-wasm.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('stats kernel: same counts, min, max, mean and std as the JS loops', { skip: !wasm && 'no WebAssembly here' }, () => {
  const memory = new wasm!.Memory({ initial: 16 });
  const k = StatsKernel.over(memory);
  assert.ok(k, 'the kernel compiles (WebAssembly SIMD)');
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const special = [NaN, Infinity, -Infinity, 0, -0, 1e308, -1e308, 5e-324, 1];
  const lengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 1000, 65536];
  let chunks = 0;
  for (const n of lengths) {
    for (const mode of ['finite', 'zeros', 'special', 'overflow', 'offset'] as const) {
      // somewhere in the memory, 8-byte aligned but not always 16-byte aligned
      const at = 8 * Math.floor(rnd() * 1000);
      const v = new Float64Array(memory.buffer, at, n);
      assert.ok(at + 8 * n <= 16 * WASM_PAGE);
      for (let i = 0; i < n; i++) {
        const r = rnd();
        v[i] = mode === 'offset' ? 1e9 + Math.floor(r * 10)
          : mode === 'zeros' && r < 0.3 ? (r < 0.15 ? 0 : -0)
          : mode === 'special' && r < 0.1 ? special[Math.floor(r * 90)]
          : mode === 'overflow' ? (r < 0.5 ? 1.7e308 : 1e308)
          : (r - 0.5) * 1e6;
      }
      const a = new RunningStats(), b = new RunningStats();
      a.add(v, n);
      b.add(v, n, k);
      const ra = a.result(), rb = b.result();
      const where = `n=${n} ${mode}`;
      for (const key of ['finite', 'nan', 'posinf', 'neginf', 'zeros'] as const) assert.equal(rb[key], ra[key], `${where}: ${key}`);
      assert.ok(rb.min === ra.min && rb.max === ra.max, `${where}: min/max ${rb.min}/${rb.max} vs ${ra.min}/${ra.max}`);
      for (const key of ['mean', 'std'] as const) {
        const x = ra[key], y = rb[key];
        if (x === null || !Number.isFinite(x)) assert.ok(Object.is(x, y), `${where}: ${key} ${y} vs ${x}`);
        else assert.ok(Math.abs(y! - x) <= 1e-12 * Math.max(1, Math.abs(x)), `${where}: ${key} ${y} vs ${x}`);
      }
      chunks++;
    }
  }
  assert.equal(chunks, lengths.length * 5);
});

test('stats kernel: a view outside its memory goes through the JS loops', { skip: !wasm && 'no WebAssembly here' }, () => {
  const k = StatsKernel.over(new wasm!.Memory({ initial: 1 }))!;
  const v = Float64Array.of(1, 2, NaN, 4);
  assert.equal(k.holds(v), false);
  const s = new RunningStats();
  s.add(v, 4, k);
  assert.deepEqual(s.result(), { min: 1, max: 4, mean: 7 / 3, std: Math.sqrt(((1 - 7 / 3) ** 2 + (2 - 7 / 3) ** 2 + (4 - 7 / 3) ** 2) / 3), finite: 3, nan: 1, posinf: 0, neginf: 0, zeros: 0 });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { adviseHugePages } from './huge-pages';
import { mmapIo } from './mmap-io';

function thpAvailable(): boolean {
  try { return /\[(always|madvise)\]/.test(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8')); } catch { return false; }
}

test('adviseHugePages: takes the advice on a big fresh array where THP exists, and never changes its contents', () => {
  const a = new Float64Array(1 << 20); // 8 MiB
  a[0] = 1.5; a[a.length - 1] = -2;
  const taken = adviseHugePages(a);
  if (process.platform === 'linux' && mmapIo() && thpAvailable()) assert.equal(taken, true);
  assert.equal(a[0], 1.5); assert.equal(a[a.length - 1], -2); assert.equal(a[12345], 0);
  for (let i = 0; i < a.length; i += 512) a[i] = i; // the memory stays usable
  assert.equal(a[512 * 100], 512 * 100);
});

test('adviseHugePages: small arrays and views are left alone', () => {
  assert.equal(adviseHugePages(new Uint32Array(1000)), false);
  const shared = new Float64Array(new SharedArrayBuffer(8 << 20), 8, 10);
  assert.equal(adviseHugePages(shared), false);
});

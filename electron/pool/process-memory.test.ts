import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canReadProcessMemory, parseSmapsRollup, readProcessMemory } from './process-memory';

test('parses smaps_rollup', () => {
  const m = parseSmapsRollup(`55d0-7ffd ---p 00000000 00:00 0 [rollup]
Rss:               10240 kB
Pss:                5120 kB
Shared_Clean:       4096 kB
Shared_Dirty:          0 kB
Private_Clean:      1024 kB
Private_Dirty:      5120 kB
Anonymous:          5120 kB
Swap:                  0 kB
`, 42);
  assert.equal(m.pid, 42);
  assert.equal(m.rss, 10240 * 1024);
  assert.equal(m.private, 6144 * 1024);
  assert.equal(m.sharedClean, 4096 * 1024);
});

test('reads this process', { skip: !canReadProcessMemory() && 'no /proc/<pid>/smaps_rollup here' }, () => {
  const m = readProcessMemory(process.pid);
  assert.ok(m.rss > 1 << 20 && m.pss > 0 && m.private > 0 && m.private <= m.rss);
});

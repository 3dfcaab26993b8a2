// Writes handed to the write-behind thread land where they were aimed, interleaved over files and
// whatever their sizes; a write that fails there throws its usual error on the caller's thread, and
// the other files' writes are still done.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { AppendWriter, writeAllAt } from './positional-io';
import { SLOT_BYTES, WriteBehind } from './write-behind';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'write-behind-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 255);

test('write-behind: interleaved writes of any size over several files land at their positions', () => {
  const wb = new WriteBehind();
  const files = [0, 1, 2].map(i => path.join(tmp, `f${i}`));
  const fds = files.map(f => fs.openSync(f, 'w'));
  const want = files.map(() => [] as Uint8Array[]);
  const pos = [0, 0, 0];
  const sizes = [1, SLOT_BYTES, 3 * SLOT_BYTES + 5, 1000, SLOT_BYTES - 1, 70_000];
  for (let k = 0; k < 60; k++) {
    const f = k % 3, b = bytes(sizes[k % sizes.length], k);
    wb.write(fds[f], b, pos[f]);
    b.fill(0); // copied when handed over
    want[f].push(bytes(b.length, k));
    pos[f] += b.length;
  }
  wb.drain();
  for (let i = 0; i < 3; i++) {
    fs.closeSync(fds[i]);
    assert.ok(fs.readFileSync(files[i]).equals(Buffer.concat(want[i])), `${files[i]}'s bytes`);
  }
  assert.equal(wb.stopped, false);
});

test('write-behind: a failed write throws its usual error here, and the other writes are done', () => {
  const wb = new WriteBehind();
  const good = path.join(tmp, 'good'), bad = path.join(tmp, 'bad');
  fs.writeFileSync(bad, '');
  const gfd = fs.openSync(good, 'w'), bfd = fs.openSync(bad, 'r'); // read-only: writes fail
  let usual: unknown;
  try { writeAllAt(bfd, bytes(10, 0), 0); } catch (e) { usual = e; }
  assert.ok(usual instanceof Error);
  const want: Uint8Array[] = [];
  let thrown: unknown;
  try {
    for (let k = 0; k < 40; k++) {
      const b = bytes(SLOT_BYTES, k);
      if (k === 5) wb.write(bfd, b, 0);
      else { wb.write(gfd, b, want.length * SLOT_BYTES); want.push(b); }
    }
    wb.drain();
  } catch (e) { thrown = e; }
  assert.ok(thrown instanceof Error, 'the failure is thrown');
  assert.equal((thrown as NodeJS.ErrnoException).code, (usual as NodeJS.ErrnoException).code);
  assert.equal(wb.stopped, true);
  wb.drain(); // the writes since are done here
  fs.closeSync(gfd); fs.closeSync(bfd);
  // Every write to the good file handed over before the failure was noticed was done.
  const got = fs.readFileSync(good);
  assert.ok(got.length >= 5 * SLOT_BYTES);
  assert.ok(got.equals(Buffer.concat(want).subarray(0, got.length)), 'the good file\'s bytes');
});

test('write-behind: an AppendWriter closed later has every byte on its file at once, then closes its descriptor', async () => {
  const wb = new WriteBehind();
  const file = path.join(tmp, 'later');
  const w = new AppendWriter(file, SLOT_BYTES, wb);
  const parts = [bytes(10, 1), bytes(SLOT_BYTES + 3, 2), bytes(5000, 3)];
  for (const b of parts) w.write(b);
  const { size, closed } = w.closeLater();
  assert.equal(size, 10 + SLOT_BYTES + 3 + 5000);
  assert.ok(fs.readFileSync(file).equals(Buffer.concat(parts)), 'complete before the fsync has settled');
  w.abandon(); // a later failure elsewhere: nothing to do, the close is under way
  await closed;
  if (process.platform === 'linux') {
    const open = fs.readdirSync('/proc/self/fd').filter(fd => { try { return fs.readlinkSync(`/proc/self/fd/${fd}`) === file; } catch { return false; } });
    assert.deepEqual(open, [], 'no descriptor left open on the file');
  }
});

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { lineRanges, type LineRange } from './line-ranges';

/** Files the tests write, removed at the end. */
const dir = mkdtempSync(join(tmpdir(), 'line-ranges-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function rangesOf(file: string, from: number, readSize: number, maxLine = 1 << 20): Promise<LineRange[]> {
  const out: LineRange[] = [];
  const fh = await open(file, 'r');
  try {
    for await (const r of lineRanges(fh, from, { readSize, maxLine }, (off) => new Error(`too long at ${off}`))) out.push(r);
  } finally {
    await fh.close();
  }
  return out;
}

test('lineRanges: consecutive ranges of whole lines that cover the region, whatever the read size', async () => {
  const file = join(dir, 'cover.txt');
  const line = fc.string({ unit: fc.constantFrom('a', '1', ' ', '\r', '%'), maxLength: 40 });
  await fc.assert(fc.asyncProperty(fc.array(line, { maxLength: 60 }), fc.boolean(), fc.integer({ min: 1, max: 200 }), fc.nat(30),
    async (lines, finalBreak, readSize, skip) => {
      const text = lines.join('\n') + (finalBreak && lines.length ? '\n' : '');
      writeFileSync(file, text);
      const bytes = readFileSync(file);
      const from = Math.min(skip, bytes.length);
      const rs = await rangesOf(file, from, readSize);
      let at = from;
      for (const [k, r] of rs.entries()) {
        assert.equal(r.start, at);
        assert.ok(r.end > r.start);
        assert.equal(r.last, k === rs.length - 1);
        if (!r.last) assert.equal(bytes[r.end - 1], 10, 'a range ends after a line break');
        // a range stops at the last break within the read size, unless its first line is longer
        if (!r.last && r.end - r.start < readSize) assert.equal(bytes.subarray(r.end, r.start + readSize).indexOf(10), -1);
        at = r.end;
      }
      assert.equal(at, bytes.length);
    }), { numRuns: 300 });
});

test('lineRanges: a line longer than the limit is refused at its start; one within it makes a long range', async () => {
  const file = join(dir, 'long.txt');
  const head = 'a b 1\n'.repeat(10);
  writeFileSync(file, head + 'x'.repeat(300) + '\nc d 2\n');
  await assert.rejects(rangesOf(file, 0, 16, 200), { message: `too long at ${head.length}` });
  const rs = await rangesOf(file, 0, 16, 400);
  assert.ok(rs.some((r) => r.start === head.length && r.end === head.length + 301));
  writeFileSync(file, head + 'y'.repeat(300)); // the last line, without a break
  await assert.rejects(rangesOf(file, 0, 16, 200), { message: `too long at ${head.length}` });
  assert.deepEqual((await rangesOf(file, 0, 16, 400)).at(-1), { start: head.length, end: head.length + 300, last: true });
});

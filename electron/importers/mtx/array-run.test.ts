// A worker's run of array value lines: the kernel and the JS parser (its fallback where WebAssembly is
// missing) give the same values, line and value counts, and both only flag an error (the main thread
// re-parses the run for the message).
import { after, test } from 'node:test';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { parseValuesRun, type ValuesRequest } from './array-run';
import type { MtxHeader } from './mtx-header';
import { bits } from './mtx-test-helpers';

const header = (field: MtxHeader['field']): MtxHeader =>
  ({ format: 'array', field, symmetry: 'symmetric', rows: 3, cols: 3, declared: 6, dataOffset: 0, dataLine: 1 }) as MtxHeader;

const dir = mkdtempSync(join(tmpdir(), 'array-run-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(field: MtxHeader['field'], text: string, js: boolean) {
  const path = join(dir, 'run.txt');
  writeFileSync(path, text, 'latin1');
  const fd = openSync(path, 'r');
  const m: ValuesRequest = { type: 'values', id: 1, file: { path, fd, start: 0, len: text.length, last: true }, header: header(field) };
  let r;
  try { r = (js ? parseValuesRun(m, null) : parseValuesRun(m)).result; } finally { closeSync(fd); }
  const n = r.count;
  return { error: r.error, lines: r.lines, count: n, re: Array.from(r.values.re.subarray(0, n), bits), im: r.values.im && Array.from(r.values.im.subarray(0, n), bits) };
}

test('a run parses to the same values with the kernel and with the JS parser, past the first allocation', () => {
  const many = Array.from({ length: 200_000 }, (_, k) => `${k % 10}\n`).join(''); // 2-byte lines: the arrays grow
  const cases: [MtxHeader['field'], string][] = [
    ['real', many],
    ['real', '% c\n\n 1.5 \r\n-2e-3\t% note\ninf\n-0\n1.7976931348623157e308\n5e-324\n0.1000000000000000055511151231257827\n'],
    ['integer', '-0\n+7\n12345678901234567890\n\n'],
    ['complex', '1 2\n\t-3.25\t4e1 \n% x\nnan -inf\n'],
  ];
  for (const [field, text] of cases) {
    const k = run(field, text, false), j = run(field, text, true);
    assert.equal(k.error, false, text.slice(0, 40));
    assert.deepEqual(k, j, text.slice(0, 40));
  }
  assert.equal(run('real', many, false).count, 200_000);
});

test('a bad line only flags the run, whichever parser reads it', () => {
  for (const [field, text] of [['real', '1\n2x\n'], ['integer', '1.5\n'], ['complex', '1\n'], ['real', '1 2\n']] as const) {
    for (const js of [false, true]) {
      const r = run(field, text, js);
      assert.equal(r.error, true, `${field} ${JSON.stringify(text)} js=${js}`);
      assert.equal(r.count, 0);
    }
  }
});

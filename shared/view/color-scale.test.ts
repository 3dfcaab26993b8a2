import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getColormap } from '../colormaps';
import { colorize, makeNormalizer, scaleValueAt } from './color-scale';
import { cellValues } from './cell-values';
import { formatCount, formatNumber, niceTicks } from './ticks';

test('linear normalizer clamps to the range', () => {
  const f = makeNormalizer({ kind: 'linear', lo: 0, hi: 10, diverging: false });
  assert.equal(f(5), 0.5); assert.equal(f(-3), 0); assert.equal(f(30), 1); assert.ok(Number.isNaN(f(NaN)));
});

test('log normalizer gives no colour to non-positive values', () => {
  const f = makeNormalizer({ kind: 'log', lo: 1, hi: 1000, diverging: false });
  assert.ok(Math.abs(f(10) - 1 / 3) < 1e-12);
  assert.ok(Number.isNaN(f(0)) && Number.isNaN(f(-1)));
});

test('symlog is odd and monotone; diverging centres 0', () => {
  const f = makeNormalizer({ kind: 'symlog', lo: -100, hi: 100, diverging: true });
  assert.equal(f(0), 0.5);
  assert.ok(Math.abs(f(7) - 0.5 - (0.5 - f(-7))) < 1e-12);
  assert.ok(f(1) < f(2) && f(2) < f(50));
  const d = makeNormalizer({ kind: 'linear', lo: -1, hi: 4, diverging: true });
  assert.equal(d(0), 0.5);
  for (const t of [0, 0.3, 0.5, 1]) {
    const s = { kind: 'symlog' as const, lo: -100, hi: 100, diverging: true };
    assert.ok(Math.abs(makeNormalizer(s)(scaleValueAt(s, t)) - t) < 1e-9);
  }
});

test('colorize writes LUT colours and transparent for NaN', () => {
  const { lut } = getColormap('grey');
  const out = new Uint8ClampedArray(12);
  colorize([0, NaN, 1], { kind: 'linear', lo: 0, hi: 1, diverging: false }, lut, out);
  assert.deepEqual([...out.slice(0, 4)], [...lut.slice(0, 4)]);
  assert.equal(out[7], 0);
  assert.deepEqual([...out.slice(8, 12)], [...lut.slice(255 * 4, 256 * 4)]);
});

test('density and spy cell values account for the clipped cell area', () => {
  const r = { block: 2, rowStart: 0, colStart: 0, rows: 2, cols: 2, min: new Float32Array(4), max: new Float32Array(4), mean: new Float32Array(4), count: new Float32Array([4, 0, 1, 1]) };
  const d = cellValues(r, 'density', [3, 3]);
  assert.deepEqual([...d], [1, NaN, 0.5, 1]);
  const s = cellValues(r, 'spy', [3, 3]);
  assert.equal(s[0], 1); assert.ok(Number.isNaN(s[1]));
});

test('ticks and number formatting', () => {
  assert.deepEqual(niceTicks(0, 1000, 5, true), [0, 200, 400, 600, 800, 1000]);
  assert.deepEqual(niceTicks(0.5, 3.5, 3, true), [1, 2, 3]);
  assert.equal(formatNumber(1234567), '1,234,567');
  assert.equal(formatNumber(0.000012346), '1.235e-5');
  assert.equal(formatNumber(NaN), 'NaN');
});

test('counts and integers are grouped in thousands as en-US writes them (without Intl)', () => {
  for (const n of [0, 7, 999, 1000, -1000, 12345, 20000, 400000000, -1234567, 2 ** 53, 1e15 - 1]) {
    assert.equal(formatCount(n), n.toLocaleString('en-US'));
    if (n !== 0 && Math.abs(n) < 1e15) assert.equal(formatNumber(n), n.toLocaleString('en-US'));
  }
  assert.equal(formatCount(1234.6), '1,235');
});

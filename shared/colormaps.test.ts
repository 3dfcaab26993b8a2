import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolateViridis } from 'd3-scale-chromatic';
import { COLORMAP_NAMES, getColormap, LUT_SIZE, parseColor } from './colormaps';

test('every colormap is a 256-entry opaque RGBA table', () => {
  for (const name of COLORMAP_NAMES) {
    const c = getColormap(name);
    assert.equal(c.lut.length, LUT_SIZE * 4);
    for (let k = 0; k < LUT_SIZE; k++) assert.equal(c.lut[k * 4 + 3], 255);
  }
});

test('viridis ends match d3 (dark purple → yellow)', () => {
  const { lut } = getColormap('viridis');
  assert.deepEqual([...lut.slice(0, 3)], parseColor(interpolateViridis(0)));
  assert.deepEqual([...lut.slice(255 * 4, 255 * 4 + 3)], parseColor(interpolateViridis(1)));
  assert.ok(lut[255 * 4] > 200 && lut[255 * 4 + 2] < 80, 'top of viridis is yellow');
});

test('grey runs black to white, monotonically', () => {
  const { lut } = getColormap('grey');
  assert.ok(lut[0] < 10 && lut[255 * 4] > 245);
  for (let k = 1; k < LUT_SIZE; k++) assert.ok(lut[k * 4] >= lut[(k - 1) * 4]);
});

test('rdbu is diverging: blue low, near-white middle, red high', () => {
  const c = getColormap('rdbu');
  assert.equal(c.diverging, true);
  const [r0, , b0] = c.lut.slice(0, 3);
  const [r1, , b1] = c.lut.slice(255 * 4, 255 * 4 + 3);
  assert.ok(b0 > r0, 'low end is blue');
  assert.ok(r1 > b1, 'high end is red');
  const mid = c.lut.slice(128 * 4, 128 * 4 + 3);
  assert.ok(Math.min(...mid) > 220, 'middle is near white');
});

test('parseColor reads both d3 forms and rejects others', () => {
  assert.deepEqual(parseColor('rgb(1, 2, 3)'), [1, 2, 3]);
  assert.deepEqual(parseColor('#ff0080'), [255, 0, 128]);
  assert.throws(() => parseColor('blue'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { alignedCells, cellAt, clampView, expectedBlock, fitView, panView, rasterCell, viewportRequest, visibleRect, zoomView } from './tile-math';

test('fitView shows the whole matrix with square cells on a square plot', () => {
  const v = fitView([100, 200], { width: 400, height: 400 });
  assert.equal(v.c0, 0); assert.equal(v.c1, 200);
  assert.equal(v.r1 - v.r0, 200);
  assert.equal((v.r0 + v.r1) / 2, 50);
  assert.deepEqual(visibleRect(v, [100, 200]), { r0: 0, c0: 0, r1: 100, c1: 200 });
});

test('fitView stretches extreme aspect ratios', () => {
  assert.deepEqual(fitView([10000, 2], { width: 400, height: 400 }), { r0: 0, c0: 0, r1: 10000, c1: 2 });
});

test('zooming keeps the anchor fixed and zooming back restores the view', () => {
  fc.assert(fc.property(fc.double({ min: 1.1, max: 8, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (f, fx, fy) => {
    const v = { r0: 0, c0: 0, r1: 1000, c1: 1000 };
    const z = zoomView(v, f, fx, fy);
    const anchor = (w: typeof v) => [w.r0 + fy * (w.r1 - w.r0), w.c0 + fx * (w.c1 - w.c0)];
    const [a0, a1] = anchor(v), [b0, b1] = anchor(z);
    assert.ok(Math.abs(a0 - b0) < 1e-6 && Math.abs(a1 - b1) < 1e-6);
    const back = zoomView(z, 1 / f, fx, fy);
    assert.ok(Math.abs(back.r0 - v.r0) < 1e-6 && Math.abs(back.c1 - v.c1) < 1e-6);
  }));
});

test('clampView keeps the centre over the matrix and a minimum span', () => {
  const v = clampView(panView({ r0: 0, c0: 0, r1: 10, c1: 10 }, 100, -100), [50, 50]);
  assert.equal((v.c0 + v.c1) / 2, 50);
  assert.equal((v.r0 + v.r1) / 2, 0);
  const tiny = clampView({ r0: 5, c0: 5, r1: 5.5, c1: 5.5 }, [50, 50]);
  assert.ok(tiny.r1 - tiny.r0 >= 4 - 1e-9);
});

test('viewportRequest asks for the visible cells at plot resolution; expectedBlock fits it', () => {
  const shape: [number, number] = [3000, 3000];
  const whole = viewportRequest({ r0: 0, c0: 0, r1: 3000, c1: 3000 }, shape, { width: 600, height: 600 })!;
  assert.deepEqual(whole, { r0: 0, c0: 0, r1: 3000, c1: 3000, width: 600, height: 600 });
  const levels = [1, 2, 4, 8, 16];
  assert.equal(expectedBlock(levels, whole), 8);
  const zoomed = viewportRequest(zoomView({ r0: 0, c0: 0, r1: 3000, c1: 3000 }, 8), shape, { width: 600, height: 600 })!;
  assert.ok(expectedBlock(levels, zoomed) < 8);
  assert.ok(alignedCells(zoomed.r0, zoomed.r1, expectedBlock(levels, zoomed)) <= 600);
});

test('cellAt and rasterCell locate elements', () => {
  const v = { r0: 0, c0: 0, r1: 10, c1: 20 };
  assert.deepEqual(cellAt(v, { width: 200, height: 100 }, 15, 95, [10, 20]), { i: 9, j: 1 });
  assert.equal(cellAt(v, { width: 200, height: 100 }, 15, 95, [9, 20]), null);
  const r = { block: 4, rowStart: 8, colStart: 0, rows: 3, cols: 3 } as never;
  assert.deepEqual(rasterCell(r, 13, 11), { a: 1, b: 2 });
  assert.equal(rasterCell(r, 3, 1), null);
});

// The UI on synthetic data (?fake=1): no backend needed. Checks painting, zoom levels, recolouring
// without refetching, and client-side exports.
import type { PageGlobals } from './helpers/page-globals';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launch, skipReason } from './helpers/browser';
import { RENDERER_DIST, serveStatic } from './helpers/static-server';
import { artifact } from './helpers/artifacts';
import { heatmapLook, probe, waitPainted } from './helpers/page-probes';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const skip = skipReason() ?? (existsSync(join(RENDERER_DIST, 'index.html')) ? null : 'dist/renderer is not built: run npm run build');
let browser: Browser, page: Page, server: Awaited<ReturnType<typeof serveStatic>>;

before(async () => {
  if (skip) return;
  server = await serveStatic();
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  page.setDefaultTimeout(120_000);
  await page.goto(`${server.url}?fake=1`);
});
after(async () => { await browser?.close(); await server?.close(); });

test('synthetic matrix: heatmap paints, zoom asks a finer level, colormap change does not refetch', { skip: skip ?? false }, async () => {
  await waitPainted(page);
  const look = await heatmapLook(page);
  assert.ok(look.distinct > 50, `heatmap shows many colours (${look.distinct})`);
  const p0 = await probe(page);
  await page.screenshot({ path: artifact('fake-overview.png') });
  const canvas = page.getByTestId('heatmap-canvas');
  await canvas.focus();
  for (let k = 0; k < 4; k++) await page.keyboard.press('+');
  await page.waitForFunction(b => (globalThis as unknown as PageGlobals).__explorer!.heatmaps[0].block < b, p0.block);
  await waitPainted(page);
  const p1 = await probe(page);
  assert.ok(p1.block < p0.block, `block shrinks on zoom: ${p0.block} → ${p1.block}`);
  assert.notEqual((await heatmapLook(page)).hash, look.hash);
  const before = p1.requests;
  await page.getByTestId('colormap-select').selectOption('magma');
  await page.getByTestId('scale-select').selectOption('symlog');
  await page.waitForTimeout(200);
  assert.equal((await probe(page)).requests, before, 'recolouring sends no viewport request');
  await page.keyboard.press('0');
  await page.waitForFunction(b => (globalThis as unknown as PageGlobals).__explorer!.heatmaps[0].block === b, p0.block);
  await waitPainted(page);
  assert.equal((await probe(page)).block, p0.block);
});

test('synthetic matrix: heatmap PNG and SVG exports are valid images', { skip: skip ?? false }, async () => {
  await waitPainted(page);
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png-heatmap').click()]);
  const pngPath = artifact('fake-heatmap-export.png');
  await png.saveAs(pngPath);
  const pngBytes = readFileSync(pngPath);
  assert.deepEqual([...pngBytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg-heatmap').click()]);
  const svgPath = artifact('fake-heatmap-export.svg');
  await svg.saveAs(svgPath);
  const text = readFileSync(svgPath, 'utf8');
  const ok = await page.evaluate(t => {
    const doc = new ((globalThis as unknown as PageGlobals).DOMParser)().parseFromString(t, 'image/svg+xml');
    return !doc.querySelector('parsererror') && doc.documentElement.nodeName === 'svg' && !!doc.querySelector('image');
  }, text);
  assert.ok(ok, 'SVG parses and embeds the raster');
});

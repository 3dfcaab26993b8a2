// End to end in Debian's Chromium against the real browser-mode server on a generated 3000×3000 float32
// .npy: zoom levels, panning without blank frames, slices (exact or envelope) vs NumPy.
import type { PageGlobals } from './helpers/page-globals';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { assertClose, pyRowCol } from './helpers/expect';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launch } from './helpers/browser';
import { startServe, type Served } from './helpers/serve-process';
import { artifact } from './helpers/artifacts';
import { cellCentre, heatmapLook, plottedTraces, probe, waitPainted } from './helpers/page-probes';
import { serveSkip } from './helpers/serve-fixtures';

const skip = serveSkip;

describe('browser mode on a generated 3000×3000 float32 .npy', { skip: skip ?? false }, () => {
  let served: Served, browser: Browser, page: Page, dir: string, file: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mx-e2e-npy-'));
    file = join(dir, 'waves3000.npy');
    execFileSync('python3', ['-c', `
import numpy as np, sys
i = np.arange(3000, dtype=np.float32)[:, None]; j = np.arange(3000, dtype=np.float32)[None, :]
a = (np.sin(i / 150) * np.cos(j / 90) * 10 + (i + j) / 600).astype(np.float32)
a[1000:1100, 2000:2100] = 40
np.save(sys.argv[1], a)
`, file]);
    served = await startServe(file);
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(120_000);
    await page.goto(served.url);
    await waitPainted(page, 0);
  });
  after(async () => { await browser?.close(); await served?.stop(); if (dir) rmSync(dir, { recursive: true, force: true }); });

  test('zooming in asks a finer level and the picture changes; panning keeps painting', async () => {
    const look0 = await heatmapLook(page);
    assert.ok(look0.distinct > 100, `many colours (${look0.distinct})`);
    const p0 = await probe(page);
    assert.ok(p0.block > 1, `overview is a coarse level (block ${p0.block})`);
    await page.screenshot({ path: artifact('serve-npy3000-overview.png') });
    const c = await cellCentre(page, 1050, 2050);
    await page.mouse.move(c.x, c.y);
    for (let k = 0; k < 6; k++) { await page.mouse.wheel(0, -300); await page.waitForTimeout(50); }
    await page.waitForFunction(b => (globalThis as unknown as PageGlobals).__explorer!.heatmaps[0].block < b, p0.block);
    await waitPainted(page);
    const p1 = await probe(page);
    assert.ok(p1.block < p0.block, `block shrinks: ${p0.block} → ${p1.block}`);
    assert.ok(p1.view.c1 - p1.view.c0 < (p0.view.c1 - p0.view.c0) / 4);
    const look1 = await heatmapLook(page);
    assert.notEqual(look1.hash, look0.hash);
    await page.screenshot({ path: artifact('serve-npy3000-zoomed.png') });
    // drag to pan: the view moves and the canvas stays painted throughout
    await page.mouse.move(c.x, c.y);
    await page.mouse.down();
    for (let k = 1; k <= 10; k++) {
      await page.mouse.move(c.x - k * 20, c.y - k * 10);
      const l = await heatmapLook(page);
      assert.ok(l.coloured > l.total * 0.5, 'no blank frame while panning');
    }
    await page.mouse.up();
    const p2 = await probe(page);
    assert.ok(p2.view.c0 > p1.view.c0, 'dragged left → higher columns visible');
  });

  test('clicking a cell plots its row and column as numpy has them (envelope when zoomed out)', async () => {
    await page.keyboard.press('0');
    await page.waitForTimeout(300);
    await waitPainted(page);
    const i = 1234, j = 2345;
    const at = await cellCentre(page, i, j);
    await page.mouse.click(at.x, at.y);
    await page.getByTestId('slice-row-title').filter({ hasText: /^Row / }).waitFor();
    await page.waitForFunction(() => !!((globalThis as unknown as PageGlobals).document.querySelector('[data-testid=slice-row-plot]') as unknown as { data?: unknown[] } | null)?.data?.length, null);
    const sel = (await page.getByTestId('slice-row-title').innerText()).match(/Row (\d+)/)![1];
    const colSel = (await page.getByTestId('slice-col-title').innerText()).match(/Column (\d+)/)![1];
    const si = Number(sel), sj = Number(colSel);
    assert.ok(Math.abs(si - i) <= 6 && Math.abs(sj - j) <= 6, `clicked near (${i}, ${j}): got (${si}, ${sj})`);
    const expected = pyRowCol(file, si, sj);
    const traces = await plottedTraces(page, 'slice-row-plot');
    if (traces.length === 1) assertClose(traces[0].y, expected.row, `row ${si}`);
    else {
      // min/max envelope: each point's band holds numpy's values of its span
      const [mn, mx] = traces;
      const step = Math.ceil(3000 / mn.y.length);
      for (let k = 0; k < mn.y.length; k++) {
        const span = expected.row.slice(k * step, (k + 1) * step);
        assert.ok(Math.abs(Math.min(...span) - mn.y[k]) < 1e-4 && Math.abs(Math.max(...span) - mx.y[k]) < 1e-4, `envelope point ${k}`);
      }
    }
    await page.screenshot({ path: artifact('serve-npy3000-slices.png') });
  });
});

// End to end in Debian's Chromium against the real browser-mode server on real Matrix Market/.npy files:
// painting, histogram totals, slices vs SciPy, exports, a second tab, bad files, opening from the path box.
import type { PageGlobals } from './helpers/page-globals';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, isSvg, pyRowCol } from './helpers/expect';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch } from './helpers/browser';
import { startServe, type Served } from './helpers/serve-process';
import { artifact } from './helpers/artifacts';
import { cellCentre, heatmapLook, plottedTraces, waitPainted } from './helpers/page-probes';
import { BUS, BAD, GR, NPY65, PNG_MAGIC, download, serveSkip } from './helpers/serve-fixtures';

const skip = serveSkip;

describe('browser mode on a sparse Matrix Market file (1138_bus)', { skip: skip ?? false }, () => {
  let served: Served, browser: Browser, context: BrowserContext, page: Page;
  before(async () => {
    served = await startServe(BUS);
    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    context.setDefaultTimeout(120_000);
    page = await context.newPage();
    await page.goto(served.url);
    await waitPainted(page, 0);
  });
  after(async () => { await browser?.close(); await served?.stop(); });

  test('heatmap paints the sparsity pattern; stats show shape and nnz', async () => {
    const look = await heatmapLook(page);
    assert.ok(look.coloured > 500, `stored entries are drawn (${look.coloured} coloured pixels)`);
    assert.ok(look.distinct >= 3);
    assert.match(await page.getByTestId('stat-shape').innerText(), /1,138 × 1,138/);
    assert.equal(await page.getByTestId('stat-nnz').innerText(), '4,054');
    await page.screenshot({ path: artifact('serve-bus-overview.png') });
  });

  test('histogram total is rows × cols, zeros shown', async () => {
    await page.getByTestId('histogram-total').waitFor();
    assert.equal(await page.getByTestId('histogram-total').innerText(), (1138 * 1138).toLocaleString('en-US'));
    assert.equal(await page.getByTestId('histogram-inbins').innerText(), (1138 * 1138).toLocaleString('en-US'));
    assert.equal(await page.getByTestId('histogram-zeros').innerText(), (1138 * 1138 - 4054).toLocaleString('en-US'));
    await page.getByTestId('histogram').screenshot({ path: artifact('serve-bus-histogram.png') });
  });

  test('clicking a cell plots its row and column with scipy\'s values', async () => {
    // Zoomed out, a cell of 1138_bus is about half a pixel wide: the pointer lands on the cell at the aimed
    // point or its neighbour. Take the cell the page says it selected (within one of the aim) and check it.
    const aim = { i: 402, j: 401 };
    const at = await cellCentre(page, aim.i, aim.j);
    // Hovering must not resize the plot under the pointer (a readout that wrapped to two lines once did,
    // and the click then landed 17 rows off).
    const canvasBox = () => page.getByTestId('heatmap-canvas').first().boundingBox();
    const before = await canvasBox();
    await page.mouse.move(at.x, at.y);
    await page.getByTestId('cursor-readout').filter({ hasText: /row\s*\d+/ }).waitFor();
    assert.deepEqual(await canvasBox(), before, 'the heatmap keeps its size when the cursor enters it');
    await page.mouse.click(at.x, at.y);
    await page.getByTestId('slice-row-title').filter({ hasText: /^Row \d+$/ }).waitFor();
    await page.getByTestId('slice-col-title').filter({ hasText: /^Column \d+$/ }).waitFor();
    const i = Number((await page.getByTestId('slice-row-title').innerText()).split(' ')[1]);
    const j = Number((await page.getByTestId('slice-col-title').innerText()).split(' ')[1]);
    assert.ok(Math.abs(i - aim.i) <= 1 && Math.abs(j - aim.j) <= 1, `clicked near (${aim.i}, ${aim.j}), selected (${i}, ${j})`);
    await page.waitForFunction(() => {
      const r = (globalThis as unknown as PageGlobals).document.querySelector('[data-testid=slice-row-plot]') as unknown as { data?: unknown[] } | null;
      const c = (globalThis as unknown as PageGlobals).document.querySelector('[data-testid=slice-col-plot]') as unknown as { data?: unknown[] } | null;
      return !!r?.data?.length && !!c?.data?.length;
    }, null);
    const expected = pyRowCol(BUS, i, j);
    const [row] = await plottedTraces(page, 'slice-row-plot');
    const [col] = await plottedTraces(page, 'slice-col-plot');
    assertClose(row.y, expected.row, `row ${i}`);
    assertClose(col.y, expected.col, `col ${j}`);
    assert.equal(row.x[0], 0);
    await page.getByTestId('slice-row').screenshot({ path: artifact('serve-bus-row.png') });
    await page.getByTestId('slice-col').screenshot({ path: artifact('serve-bus-col.png') });
    // the value under the cursor
    await page.mouse.move(at.x + 1, at.y);
    await page.getByTestId('cursor-value').filter({ hasNotText: '…' }).waitFor();
    const [hi, hj] = (await page.getByTestId('cursor-readout').locator('b').allInnerTexts()).slice(0, 2).map(Number);
    const want = hi === i ? expected.row[hj] : hj === j ? expected.col[hi] : pyRowCol(BUS, hi, hj).value;
    const shown = parseFloat((await page.getByTestId('cursor-value').innerText()).replace(/,/g, '').replace(/\u2212/g, '-'));
    assert.ok(Math.abs(shown - want) <= 1e-3 * Math.max(1, Math.abs(want)), `value at (${hi}, ${hj}): shown ${shown}, scipy ${want}`);
    await page.getByTestId('stats-panel').screenshot({ path: artifact('serve-bus-stats.png') });
  });

  test('exports: heatmap, histogram and slice PNG/SVG are valid images; CSV has data', async () => {
    const png = await download(page, 'export-png-heatmap', 'serve-bus-heatmap.png');
    assert.deepEqual([...png.subarray(0, 8)], PNG_MAGIC);
    assert.ok(png.readUInt32BE(16) > 1000, 'the 2× PNG is wider than the plot');
    const svg = await download(page, 'export-svg-heatmap', 'serve-bus-heatmap.svg');
    assert.ok(await isSvg(page, svg.toString('utf8')));
    const hpng = await download(page, 'export-png-histogram', 'serve-bus-histogram-export.png');
    assert.deepEqual([...hpng.subarray(0, 8)], PNG_MAGIC);
    const hsvg = await download(page, 'export-svg-histogram', 'serve-bus-histogram-export.svg');
    assert.ok(await isSvg(page, hsvg.toString('utf8')));
    const rsvg = await download(page, 'export-svg-slice-row', 'serve-bus-row-export.svg');
    assert.ok(await isSvg(page, rsvg.toString('utf8')));
    const csv = (await download(page, 'export-csv-histogram', 'serve-bus-histogram.csv')).toString('utf8').trim().split('\n');
    assert.equal(csv[0], 'edge_low,edge_high,count');
    assert.equal(csv.slice(1).reduce((s, l) => s + Number(l.split(',')[2]), 0), 1138 * 1138);
  });

  test('a second tab on the same store converts and maps nothing new, and follows the selection', async () => {
    const before = await served.stats();
    assert.equal(before.conversions, 1);
    const tab2 = await context.newPage();
    await tab2.goto(served.url);
    await waitPainted(tab2, 0);
    const afterStats = await served.stats();
    assert.equal(afterStats.conversions, before.conversions, 'no second conversion');
    assert.equal(afterStats.storeOpens, before.storeOpens, 'no new store mapping');
    assert.ok(afterStats.sessions >= 2);
    await page.bringToFront();
    // A cell is about half a pixel wide here: the click selects row 700 or a neighbour; tab 2 must follow whichever.
    const at = await cellCentre(page, 700, 650);
    await page.mouse.click(at.x, at.y);
    const title = page.getByTestId('slice-row-title').filter({ hasText: /^Row (699|700|701)$/ });
    await title.waitFor();
    const row = await title.innerText();
    await tab2.getByTestId('slice-row-title').filter({ hasText: new RegExp(`^${row}$`) }).waitFor();
    await tab2.close();
  });

  test('a malformed file shows a readable error, and a good one opens from the path box', async () => {
    await page.getByTestId('open-path').fill(BAD);
    await page.getByTestId('open-submit').click();
    const err = page.getByTestId('open-error');
    await err.waitFor();
    const text = await err.innerText();
    assert.match(text, /invalid_bad_banner/);
    assert.doesNotMatch(text, /\n\s+at\s|Error:/, 'no stack trace');
    await page.screenshot({ path: artifact('serve-bad-file.png') });
    // the matrix shown is still the good one
    assert.match(await page.getByTestId('matrix-title').innerText(), /1138_bus/);
    // open another file from the path box: it converts, shows progress, then paints
    await page.getByTestId('open-path').fill(GR);
    await page.getByTestId('open-submit').click();
    await page.getByTestId('matrix-title').filter({ hasText: 'gr_900_900' }).waitFor({ timeout: 120_000 });
    await waitPainted(page, 0);
    assert.ok((await heatmapLook(page)).coloured > 500);
    await page.screenshot({ path: artifact('serve-gr900.png') });
    await page.getByTestId('open-path').fill(NPY65);
    await page.getByTestId('open-submit').click();
    await page.getByTestId('matrix-title').filter({ hasText: '65x65' }).waitFor({ timeout: 120_000 });
    await waitPainted(page, 0);
    const look = await heatmapLook(page);
    assert.ok(look.distinct > 20, `float16 npy shows a range of colours (${look.distinct})`);
    await page.screenshot({ path: artifact('serve-npy65.png') });
  });
});


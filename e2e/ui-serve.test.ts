// End to end in Debian's Chromium against the real browser-mode server: what a user sees on real files.
import type { PageGlobals } from './helpers/page-globals';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, skipReason } from './helpers/browser';
import { startServe, REPO, type Served } from './helpers/serve-process';
import { artifact } from './helpers/artifacts';
import { cellCentre, heatmapLook, plottedTraces, probe, waitPainted } from './helpers/page-probes';

const TESTDATA = '/work/shared/testdata';
const BUS = join(TESTDATA, 'mtx', 'ginkgo-1138_bus.mtx');
const BAD = join(TESTDATA, 'mtx', 'fmm-invalid-invalid_bad_banner.mtx');
const GR = join(TESTDATA, 'mtx', 'cudasamples-gr_900_900_crg.mtx');
const NPY65 = join(TESTDATA, 'npy', 'npyjs-65x65-float16.npy');

const skip = skipReason()
  ?? (existsSync(join(REPO, 'dist', 'renderer', 'index.html')) ? null : 'dist/renderer is not built: run npm run build')
  ?? (existsSync(BUS) ? null : `${BUS} is missing`);

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A row and a column of a matrix file as scipy/numpy read them (dense float64). */
function pyRowCol(file: string, i: number, j: number): { row: number[]; col: number[]; value: number } {
  const code = `
import sys, json, numpy as np
f = sys.argv[1]; i = int(sys.argv[2]); j = int(sys.argv[3])
if f.endswith('.npy'):
    a = np.load(f, mmap_mode='r'); row = np.asarray(a[i, :], dtype=np.float64); col = np.asarray(a[:, j], dtype=np.float64)
else:
    import scipy.io, scipy.sparse
    m = scipy.io.mmread(f)
    m = scipy.sparse.csr_matrix(m) if scipy.sparse.issparse(m) else scipy.sparse.csr_matrix(np.asarray(m))
    row = m.getrow(i).toarray().ravel().astype(np.float64); col = m.getcol(j).toarray().ravel().astype(np.float64)
print(json.dumps({'row': row.tolist(), 'col': col.tolist(), 'value': float(row[j])}))
`;
  return JSON.parse(execFileSync('python3', ['-c', code, file, String(i), String(j)], { maxBuffer: 64 << 20 }).toString());
}

function assertClose(actual: number[], expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let k = 0; k < expected.length; k++) {
    const e = expected[k], a = actual[k];
    if (!(Math.abs(a - e) <= 1e-6 * Math.max(1, Math.abs(e)))) assert.fail(`${what}[${k}] = ${a}, expected ${e}`);
  }
}

async function isSvg(page: Page, text: string): Promise<boolean> {
  return page.evaluate(t => {
    const doc = new ((globalThis as unknown as PageGlobals).DOMParser)().parseFromString(t, 'image/svg+xml');
    return !doc.querySelector('parsererror') && doc.documentElement.nodeName === 'svg';
  }, text);
}

async function download(page: Page, testid: string, name: string): Promise<Buffer> {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId(testid).click()]);
  const path = artifact(name);
  await d.saveAs(path);
  return readFileSync(path);
}

describe('browser mode on a sparse Matrix Market file (1138_bus)', { skip: skip ?? false }, () => {
  let served: Served, browser: Browser, context: BrowserContext, page: Page;
  before(async () => {
    served = await startServe(BUS);
    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    await page.goto(served.url);
    await waitPainted(page, 0, 120_000);
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
    await page.getByTestId('histogram-total').waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('histogram-total').innerText(), (1138 * 1138).toLocaleString('en-US'));
    assert.equal(await page.getByTestId('histogram-inbins').innerText(), (1138 * 1138).toLocaleString('en-US'));
    assert.equal(await page.getByTestId('histogram-zeros').innerText(), (1138 * 1138 - 4054).toLocaleString('en-US'));
    await page.getByTestId('histogram').screenshot({ path: artifact('serve-bus-histogram.png') });
  });

  test('clicking a cell plots its row and column with scipy\'s values', async () => {
    const i = 402, j = 401;
    const at = await cellCentre(page, i, j);
    await page.mouse.click(at.x, at.y);
    await page.getByTestId('slice-row-title').filter({ hasText: `Row ${i}` }).waitFor();
    await page.waitForFunction(() => {
      const r = (globalThis as unknown as PageGlobals).document.querySelector('[data-testid=slice-row-plot]') as unknown as { data?: unknown[] } | null;
      const c = (globalThis as unknown as PageGlobals).document.querySelector('[data-testid=slice-col-plot]') as unknown as { data?: unknown[] } | null;
      return !!r?.data?.length && !!c?.data?.length;
    }, null, { timeout: 60_000 });
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
    assert.ok(Math.abs(parseFloat((await page.getByTestId('cursor-value').innerText()).replace(/,/g, '')) - expected.value) <= 1e-3 * Math.max(1, Math.abs(expected.value)));
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
    await waitPainted(tab2, 0, 60_000);
    const afterStats = await served.stats();
    assert.equal(afterStats.conversions, before.conversions, 'no second conversion');
    assert.equal(afterStats.storeOpens, before.storeOpens, 'no new store mapping');
    assert.ok(afterStats.sessions >= 2);
    const at = await cellCentre(page, 700, 650);
    await page.mouse.click(at.x, at.y);
    await tab2.getByTestId('slice-row-title').filter({ hasText: 'Row 700' }).waitFor({ timeout: 30_000 });
    await tab2.close();
  });

  test('a malformed file shows a readable error, and a good one opens from the path box', async () => {
    await page.getByTestId('open-path').fill(BAD);
    await page.getByTestId('open-submit').click();
    const err = page.getByTestId('open-error');
    await err.waitFor({ timeout: 60_000 });
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
    await waitPainted(page, 0, 60_000);
    assert.ok((await heatmapLook(page)).coloured > 500);
    await page.screenshot({ path: artifact('serve-gr900.png') });
    await page.getByTestId('open-path').fill(NPY65);
    await page.getByTestId('open-submit').click();
    await page.getByTestId('matrix-title').filter({ hasText: '65x65' }).waitFor({ timeout: 120_000 });
    await waitPainted(page, 0, 60_000);
    const look = await heatmapLook(page);
    assert.ok(look.distinct > 20, `float16 npy shows a range of colours (${look.distinct})`);
    await page.screenshot({ path: artifact('serve-npy65.png') });
  });
});

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
    await page.goto(served.url);
    await waitPainted(page, 0, 120_000);
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
    await page.waitForFunction(b => (globalThis as unknown as PageGlobals).__explorer!.heatmaps[0].block < b, p0.block, { timeout: 60_000 });
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
    await page.waitForFunction(() => !!((globalThis as unknown as PageGlobals).document.querySelector('[data-testid=slice-row-plot]') as unknown as { data?: unknown[] } | null)?.data?.length, null, { timeout: 60_000 });
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

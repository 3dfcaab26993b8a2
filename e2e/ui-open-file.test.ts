// End to end in Debian's Chromium: a browser-mode server started without a matrix; the user opens files the
// ways a browser allows — the file picker (Choose file…) and dropping a file on the window — sees the upload
// convert, a bad file's error in the window, and the same file chosen again reuse its store.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launch } from './helpers/browser';
import { startServe, type Served } from './helpers/serve-process';
import { artifact } from './helpers/artifacts';
import { heatmapLook, waitPainted } from './helpers/page-probes';
import { BAD, GR, NPY65, serveSkip } from './helpers/serve-fixtures';

/** Drops `file` on the window the way a file manager does: dragenter/dragover/drop with a DataTransfer holding it. */
async function dropFile(page: Page, file: string): Promise<void> {
  const bytes = [...readFileSync(file)];
  const dataTransfer = await page.evaluateHandle(([name, data]) => {
    // the page's own classes (this file is type-checked without the DOM library)
    const g = globalThis as unknown as { DataTransfer: new () => { items: { add(f: unknown): void } }; File: new (parts: unknown[], name: string) => unknown };
    const dt = new g.DataTransfer();
    dt.items.add(new g.File([new Uint8Array(data)], name));
    return dt;
  }, [basename(file), bytes] as [string, number[]]);
  const target = page.locator('.app');
  for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer });
}

/** Chooses `file` in the file picker and waits until the heatmap of `title` is painted; returns the server's conversions it cost. */
async function pick(page: Page, served: Served, file: string, title: string): Promise<number> {
  const before = (await served.stats()).conversions;
  await page.getByTestId('open-file-input').setInputFiles(file);
  await page.getByTestId('matrix-title').filter({ hasText: title }).waitFor();
  await waitPainted(page, 0);
  return (await served.stats()).conversions - before;
}

describe('browser mode: opening files from the picker and by drag-and-drop', { skip: serveSkip ?? false }, () => {
  let served: Served, browser: Browser, page: Page;
  before(async () => {
    served = await startServe(null);
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(120_000);
    await page.goto(served.url);
  });
  after(async () => { await browser?.close(); await served?.stop(); });

  test('the empty window says how to open a file', async () => {
    await page.getByText(/drop one here/).waitFor();
    assert.equal(await page.getByTestId('open-file').isEnabled(), true);
    await page.screenshot({ path: artifact('open-empty.png') });
  });

  test('Choose file… uploads the file, converts it and paints it', async () => {
    assert.equal(await pick(page, served, GR, 'gr_900_900'), 1, 'converted once');
    assert.match(await page.getByTestId('stat-shape').innerText(), /900 × 900/);
    assert.ok((await heatmapLook(page)).coloured > 500, 'the sparsity pattern is drawn');
    await page.screenshot({ path: artifact('open-picked.png') });
  });

  test('a file dropped on the window opens in it', async () => {
    await dropFile(page, NPY65);
    await page.getByTestId('matrix-title').filter({ hasText: '65x65' }).waitFor();
    await waitPainted(page, 0);
    assert.match(await page.getByTestId('matrix-title').innerText(), /^npyjs-65x65-float16\.npy/, 'the name the user dropped, not the stored copy\'s');
    assert.match(await page.getByTestId('stat-shape').innerText(), /65 × 65/);
    assert.ok((await heatmapLook(page)).distinct > 20);
    await page.screenshot({ path: artifact('open-dropped.png') });
  });

  test('a bad file from the picker: a readable error, and the matrix shown stays', async () => {
    await page.getByTestId('open-file-input').setInputFiles(BAD);
    const err = page.getByTestId('open-error');
    await err.waitFor();
    const text = await err.innerText();
    assert.match(text, /invalid_bad_banner/, text);
    assert.doesNotMatch(text, /\n\s+at\s|Error:/, 'no stack trace');
    assert.match(await page.getByTestId('matrix-title').innerText(), /65x65/);
    await page.screenshot({ path: artifact('open-bad-picked.png') });
  });

  test('choosing the same file again reuses its store: no second conversion', async () => {
    assert.equal(await pick(page, served, GR, 'gr_900_900'), 0, 'uploads are named by their content, so the store is found again');
  });
});

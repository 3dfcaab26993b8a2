// What a user sees, read from the page: is the heatmap painted, which level, what the plots show.
import type { PageGlobals } from './page-globals';
import type { Page } from 'playwright-core';

export interface CanvasLook { distinct: number; coloured: number; total: number; hash: number }

/** Colours inside the heatmap's plot area (excluding the axes margin). */
export async function heatmapLook(page: Page, index = 0): Promise<CanvasLook> {
  return page.evaluate(i => {
    const c = (globalThis as unknown as PageGlobals).document.querySelector(`[data-testid=heatmap-${i}] [data-testid=heatmap-canvas]`);
    const ctx = c.getContext('2d')!;
    const dpr = (globalThis as unknown as PageGlobals).devicePixelRatio || 1;
    const x0 = Math.round(60 * dpr), y0 = Math.round(30 * dpr);
    const w = c.width - x0 - Math.round(12 * dpr), h = c.height - y0 - Math.round(12 * dpr);
    const d = ctx.getImageData(x0, y0, w, h).data;
    const seen = new Set<number>();
    let coloured = 0, hash = 0;
    for (let k = 0; k < d.length; k += 4) {
      const rgb = (d[k] << 16) | (d[k + 1] << 8) | d[k + 2];
      seen.add(rgb);
      // neither the white matrix background nor the grey outside-the-matrix background
      if (rgb !== 0xffffff && rgb !== 0xeceff3) coloured++;
      hash = (hash * 31 + rgb) | 0;
    }
    return { distinct: seen.size, coloured, total: w * h, hash };
  }, index);
}

/** Waits until heatmap `index` has drawn a raster and has no request in flight. */
export async function waitPainted(page: Page, index = 0, timeout = 120_000): Promise<void> {
  await page.waitForFunction(i => {
    const h = (globalThis as unknown as PageGlobals).__explorer?.heatmaps?.[i];
    const c = (globalThis as unknown as PageGlobals).document.querySelector(`[data-testid=heatmap-${i}] [data-testid=heatmap-canvas]`);
    return !!h && h.block > 0 && c?.getAttribute('data-loading') === '0';
  }, index, { timeout });
  await page.evaluate(() => new Promise(r => (globalThis as unknown as PageGlobals).requestAnimationFrame(() => (globalThis as unknown as PageGlobals).requestAnimationFrame(r))));
}

export async function probe(page: Page, index = 0) {
  return page.evaluate(i => {
    const h = (globalThis as unknown as PageGlobals).__explorer!.heatmaps[i];
    return { block: h.block, view: h.view, lastRequest: h.lastRequest, requests: h.requests, frameTimes: h.frameTimes.slice() };
  }, index);
}

/** The y values (or envelope) Plotly is showing in a plot. */
export async function plottedTraces(page: Page, testid: string): Promise<{ x: number[]; y: number[] }[]> {
  return page.evaluate(id => {
    const el = (globalThis as unknown as PageGlobals).document.querySelector(`[data-testid=${id}]`) as unknown as { data?: { x: ArrayLike<number>; y: ArrayLike<number> }[] } | null;
    return (el?.data ?? []).map(t => ({ x: Array.from(t.x ?? []), y: Array.from(t.y ?? []) }));
  }, testid);
}

/** Page coordinates of the centre of matrix cell (i, j) in heatmap `index`. */
export async function cellCentre(page: Page, i: number, j: number, index = 0): Promise<{ x: number; y: number }> {
  return page.evaluate(([i, j, idx]) => {
    const c = (globalThis as unknown as PageGlobals).document.querySelector(`[data-testid=heatmap-${idx}] [data-testid=heatmap-canvas]`);
    const r = c.getBoundingClientRect();
    const v = (globalThis as unknown as PageGlobals).__explorer!.heatmaps[idx].view;
    const pw = r.width - 60 - 12, ph = r.height - 30 - 12;
    return { x: r.left + 60 + (j + 0.5 - v.c0) / (v.c1 - v.c0) * pw, y: r.top + 30 + (i + 0.5 - v.r0) / (v.r1 - v.r0) * ph };
  }, [i, j, index] as [number, number, number]);
}

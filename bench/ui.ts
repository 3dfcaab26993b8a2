// UI figures in Debian's Chromium against the real browser-mode server on a 20000² float32 store
// (~1.6 GB + pyramid): time to the first painted heatmap (a) from loading the page of `serve FILE`
// (browser start-up of the page included) and (b) from pressing Enter in the open bar of a page already
// loaded (the server started on no matrix), each on a fresh server and again; frame times while panning
// (drag) a zoomed-in view. Between runs each page is left to finish (full raster, whole-matrix colour clamp,
// histogram), so no run pays for the whole-matrix work of the one before. Reuses bench/.data/engine-dense-20000.mxstore when the engine bench
// made it; otherwise writes a 20000² .npy with NumPy and lets the server convert it (cached in bench/.data).
import type { PageGlobals } from '../e2e/helpers/page-globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as os from 'node:os';
import { launch, skipReason } from '../e2e/helpers/browser';
import { startServe } from '../e2e/helpers/serve-process';

const N = 20000;
const DATA = join(__dirname, '.data');

function input(): string {
  const store = join(DATA, `engine-dense-${N}.mxstore`);
  if (existsSync(join(store, 'manifest.json'))) return store;
  const npy = join(DATA, `ui-dense-${N}.npy`);
  if (!existsSync(npy)) {
    mkdirSync(DATA, { recursive: true });
    console.log(`   writing ${npy} (1.6 GB) with NumPy…`);
    execFileSync('python3', ['-c', `
import numpy as np, sys, os
n = int(sys.argv[2]); tmp = sys.argv[1] + '.tmp'
v = np.lib.format.open_memmap(tmp, mode='w+', dtype='<f4', shape=(n, n))
cols = np.arange(n, dtype=np.float32)[None, :]
rng = np.random.default_rng(0)
for r in range(0, n, 1000):
    rows = np.arange(r, r + 1000, dtype=np.float32)[:, None]
    v[r:r + 1000] = np.sin(rows / 900) * np.cos(cols / 1300) * 10 + rng.standard_normal((1000, n), dtype=np.float32)
v.flush(); del v; os.rename(tmp, sys.argv[1])
`, npy, String(N)], { stdio: 'inherit' });
  }
  return npy;
}

const median = (xs: number[]): number => { const s = xs.slice().sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : NaN; };
const p95 = (xs: number[]): number => { const s = xs.slice().sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] : NaN; };

type Page = Awaited<ReturnType<Awaited<ReturnType<typeof launch>>['newPage']>>;

/** Waits until the page's first heatmap has its full raster, its whole-matrix colour clamp and the histogram. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const g = globalThis as unknown as PageGlobals;
    const h = g.__explorer?.heatmaps?.[0];
    return !!h && h.clampedAt > 0 && h.fullResultAt > 0 && g.document.querySelector('[data-testid=heatmap-canvas]')?.getAttribute('data-loading') === '0'
      && !!g.document.querySelector('[data-testid=histogram-total]');
  }, null, { timeout: 300_000 });
}

/** performance.now() of the first heatmap's first paint, full-resolution raster, colour clamp, and of the last open. */
async function paintTimes(page: Page): Promise<{ first: number; full: number; clamp: number; opened: number }> {
  return page.evaluate(() => {
    const e = (globalThis as unknown as PageGlobals).__explorer!;
    const h = e.heatmaps[0];
    return { first: h.firstPaintAt, full: h.fullResultAt, clamp: h.clampedAt, opened: e.openedAt };
  });
}

const BREAKDOWN = `(() => {
  const out = {};
  const nav = performance.getEntriesByType('navigation')[0];
  if (nav) { out['html'] = nav.responseEnd; out['dom-interactive'] = nav.domInteractive; }
  for (const r of performance.getEntriesByType('resource')) if (/\\/assets\\/index-[^/]*\\.js$/.test(r.name)) out['entry-js'] = r.responseEnd;
  for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('mx:') && !(m.name.slice(3) in out)) out[m.name.slice(3)] = m.startTime;
  return out;
})()`;

const load = (): string => os.loadavg().map(x => x.toFixed(2)).join(' ');
const list = (xs: number[]): string => `median ${median(xs).toFixed(0)} ms [${xs.map(x => x.toFixed(0)).join(', ')}]`;

async function pan(page: Page): Promise<void> {
  // zoom in (wheel) to a mid level, then drag across, one move per frame
  const box = (await page.getByTestId('heatmap-canvas').boundingBox())!;
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  for (let z = 0; z < 8; z++) { await page.mouse.wheel(0, -240); await page.waitForTimeout(80); }
  await page.waitForTimeout(1500);
  // a string, not a function: tsx's keepNames would wrap the inner function in a helper the page lacks
  await page.evaluate(`(() => {
    const w = globalThis;
    w.__frames = []; w.__stop = false;
    let last = performance.now();
    const loop = t => { w.__frames.push(t - last); last = t; if (!w.__stop) requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
    w.__explorer.heatmaps[0].frameTimes.length = 0;
  })()`);
  await page.mouse.down();
  for (let s = 1; s <= 120; s++) await page.mouse.move(cx - s * 4, cy - s * 2);
  await page.mouse.up();
  await page.waitForTimeout(500);
  const r = await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    w.__stop = true;
    const h = w.__explorer!.heatmaps[0];
    return { frames: w.__frames.slice(1), draws: h.frameTimes.slice(), requests: h.requests, block: h.block };
  });
  console.log(`   panning (120 drag steps at block ${r.block}, ${r.requests} viewport requests so far):`);
  console.log(`     frame interval median ${median(r.frames).toFixed(1)} ms, p95 ${p95(r.frames).toFixed(1)} ms (target < 50 ms median)`);
  console.log(`     heatmap redraw median ${median(r.draws).toFixed(2)} ms, p95 ${p95(r.draws).toFixed(2)} ms over ${r.draws.length} redraws`);
}

const RUNS = 5;

export async function bench(): Promise<void> {
  const why = skipReason();
  if (why) { console.log(`   skipped: ${why}`); return; }
  const file = input();
  const cache = join(DATA, 'ui-cache');
  mkdirSync(cache, { recursive: true });
  const browser = await launch();
  try {
    // (1) `matrix-explorer serve FILE`: the page loads with the matrix already open on the server. The figure
    // counts the browser's own page start-up (navigation, renderer process, HTML, scripts) as well.
    let t0 = Date.now();
    let served = await startServe(file, { cache, timeoutMs: 3_600_000 });
    console.log(`   server ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (${file.endsWith('.mxstore') ? 'engine bench store' : 'converted .npy, cached'}); load ${load()}`);
    try {
      const opens: number[] = [], fulls: number[] = [], clamps: number[] = [];
      const breakdown: Record<string, number[]> = {};
      let cold = '';
      for (let k = 0; k <= RUNS; k++) {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        await page.goto(served.url);
        await settled(page);
        const t = await paintTimes(page);
        if (k === 0) cold = `first ${t.first.toFixed(0)} ms, full-resolution raster ${t.full.toFixed(0)} ms, whole-matrix clamp ${t.clamp.toFixed(0)} ms`;
        else {
          opens.push(t.first); fulls.push(t.full); clamps.push(t.clamp);
          for (const [name, v] of Object.entries(await page.evaluate(BREAKDOWN) as Record<string, number>)) (breakdown[name] ??= []).push(v);
        }
        if (k === RUNS) await pan(page);
        await page.close();
      }
      console.log('   page load → first painted heatmap (navigation start → coarse raster on screen; includes the browser\'s page start-up):');
      console.log(`     fresh server (first page; whole-matrix answers computed after its first paint): ${cold}; load ${load()}`);
      console.log(`     again (new page each time): ${list(opens)} (target < 500 ms)`);
      const order = Object.entries(breakdown).map(([k, v]) => [k, median(v)] as const).sort((a, b) => a[1] - b[1]);
      console.log(`     breakdown (median ms after navigation start): ${order.map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' → ')}`);
      console.log(`     full-resolution raster: ${list(fulls)}; whole-matrix colour clamp: ${list(clamps)}`);
    } finally {
      await served.stop();
    }

    // (2) Opening a converted matrix in a page that is already loaded (the open bar; the desktop app's File ▸ Open):
    // from the user's Enter to the first painted heatmap. The server starts on no matrix, so the first open also
    // attaches the store (helpers map it) and computes the whole-matrix answers after the first paint.
    t0 = Date.now();
    served = await startServe(null, { cache, timeoutMs: 120_000 });
    try {
      const opens: number[] = [], fulls: number[] = [];
      const breakdown: Record<string, number[]> = {};
      let cold = '';
      for (let k = 0; k <= RUNS; k++) {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        await page.goto(served.url);
        await page.getByTestId('open-path').waitFor();
        await page.waitForTimeout(300);
        await page.getByTestId('open-path').fill(file);
        await page.getByTestId('open-path').press('Enter');
        await settled(page);
        const t = await paintTimes(page);
        if (k === 0) cold = `first ${(t.first - t.opened).toFixed(0)} ms, full-resolution raster ${(t.full - t.opened).toFixed(0)} ms, whole-matrix clamp ${(t.clamp - t.opened).toFixed(0)} ms`;
        else {
          opens.push(t.first - t.opened); fulls.push(t.full - t.opened);
          for (const [name, v] of Object.entries(await page.evaluate(BREAKDOWN) as Record<string, number>)) if (v >= t.opened) (breakdown[name] ??= []).push(v - t.opened);
        }
        await page.close(); // the last window on the store: the server releases it, the next page opens it anew
      }
      console.log('   open in a loaded page → first painted heatmap (Enter in the open bar → coarse raster on screen):');
      console.log(`     fresh server (store not yet attached, no whole-matrix answers yet): ${cold}; load ${load()}`);
      console.log(`     again (new page each time, the store reattached): ${list(opens)} (target < 500 ms); full-resolution raster: ${list(fulls)}`);
      const order = Object.entries(breakdown).map(([k, v]) => [k, median(v)] as const).sort((a, b) => a[1] - b[1]);
      console.log(`     breakdown (median ms after Enter): ${order.map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' → ')}`);
    } finally {
      await served.stop();
    }
  } finally {
    await browser.close();
  }
}

if (require.main === module) void bench();

// UI figures in Debian's Chromium against the real browser-mode server on a 20000² float32 store
// (~1.6 GB + pyramid): time from opening the page to the first painted heatmap, and frame times while
// panning (drag) a zoomed-in view. Reuses bench/.data/engine-dense-20000.mxstore when the engine bench
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

export async function bench(): Promise<void> {
  const why = skipReason();
  if (why) { console.log(`   skipped: ${why}`); return; }
  const file = input();
  const cache = join(DATA, 'ui-cache');
  mkdirSync(cache, { recursive: true });
  const t0 = Date.now();
  const served = await startServe(file, { cache, timeoutMs: 3_600_000 });
  const browser = await launch();
  try {
    // wait until the server has the store open (conversion, if any, happens before the page is useful)
    const warm = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await warm.goto(served.url);
    await warm.waitForFunction(() => ((globalThis as unknown as PageGlobals).__explorer?.heatmaps?.[0]?.firstPaintAt ?? 0) > 0, null, { timeout: 3_600_000 });
    await warm.close();
    console.log(`   server ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (${file.endsWith('.mxstore') ? 'engine bench store' : 'converted .npy, cached'})`);

    const opens: number[] = [], fulls: number[] = [];
    const breakdown: Record<string, number[]> = {};
    for (let k = 0; k < 5; k++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(served.url);
      await page.waitForFunction(() => {
        const h = (globalThis as unknown as PageGlobals).__explorer?.heatmaps?.[0];
        return !!h && h.firstPaintAt > 0 && (globalThis as unknown as PageGlobals).document.querySelector('[data-testid=heatmap-canvas]')?.getAttribute('data-loading') === '0';
      }, null, { timeout: 120_000 });
      const t = await page.evaluate(() => ({ first: (globalThis as unknown as PageGlobals).__explorer!.heatmaps[0].firstPaintAt, full: (globalThis as unknown as PageGlobals).__explorer!.heatmaps[0].paintedAt }));
      opens.push(t.first); fulls.push(t.full);
      // where the time went: navigation timing, the entry script, and the page's own marks (renderer/src/perf-mark.ts)
      const steps = await page.evaluate(`(() => {
        const out = {};
        const nav = performance.getEntriesByType('navigation')[0];
        if (nav) { out['html'] = nav.responseEnd; out['dom-interactive'] = nav.domInteractive; }
        for (const r of performance.getEntriesByType('resource')) if (/\\/assets\\/index-[^/]*\\.js$/.test(r.name)) out['entry-js'] = r.responseEnd;
        for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('mx:') && !(m.name.slice(3) in out)) out[m.name.slice(3)] = m.startTime;
        return out;
      })()`) as Record<string, number>;
      for (const [k, v] of Object.entries(steps)) (breakdown[k] ??= []).push(v);
      if (k < 4) await page.close();
      else {
        // panning: zoom in (wheel) to a mid level, then drag across, one move per frame
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
          return { frames: w.__frames.slice(1), draws: (globalThis as unknown as PageGlobals).__explorer!.heatmaps[0].frameTimes.slice(), requests: (globalThis as unknown as PageGlobals).__explorer!.heatmaps[0].requests, block: (globalThis as unknown as PageGlobals).__explorer!.heatmaps[0].block };
        });
        console.log(`   panning (120 drag steps at block ${r.block}, ${r.requests} viewport requests so far):`);
        console.log(`     frame interval median ${median(r.frames).toFixed(1)} ms, p95 ${p95(r.frames).toFixed(1)} ms (target < 50 ms median)`);
        console.log(`     heatmap redraw median ${median(r.draws).toFixed(2)} ms, p95 ${p95(r.draws).toFixed(2)} ms over ${r.draws.length} redraws`);
        await page.close();
      }
    }
    console.log(`   open → first painted heatmap (page load, coarse raster): median ${median(opens).toFixed(0)} ms [${opens.map(x => x.toFixed(0)).join(', ')}] (target < 500 ms)`);
    const order = Object.entries(breakdown).map(([k, v]) => [k, median(v)] as const).sort((a, b) => a[1] - b[1]);
    console.log(`   breakdown (median ms after navigation start): ${order.map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' → ')}`);
    console.log(`   load average: ${os.loadavg().map(x => x.toFixed(2)).join(' ')}`);
    console.log(`   open → full-resolution raster painted: median ${median(fulls).toFixed(0)} ms [${fulls.map(x => x.toFixed(0)).join(', ')}]`);
  } finally {
    await browser.close();
    await served.stop();
  }
}

if (require.main === module) void bench();

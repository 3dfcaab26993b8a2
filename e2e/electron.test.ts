// The real desktop app through Playwright's Electron driver: open a test matrix from the command line, open a
// second window on it, export a PNG through the (stubbed) native save dialog. Skipped, with the reason, where
// the Electron binary is not installed or the app is not built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { findElectronBinary } from '../electron/main/electron-binary';
import { waitPainted } from './helpers/page-probes';
import { SHARED_TESTDATA } from '../electron/test-support/testdata';

const REPO = resolve(__dirname, '..');
const SAMPLE = `${SHARED_TESTDATA}/mtx/ginkgo-1138_bus.mtx`;
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function skipReason(): string | null {
  const found = findElectronBinary();
  if ('reason' in found) return `Electron binary not installed: ${found.reason}`;
  for (const f of ['dist/electron/main/main.js', 'dist/electron/main/preload.js', 'dist/renderer/index.html']) {
    if (!existsSync(join(REPO, f))) return `the app is not built (${f} is missing): run npm run build`;
  }
  if (!existsSync(SAMPLE)) return `${SAMPLE} is missing`;
  return null;
}

function appEnv(tmp: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
  return { ...env, MATRIX_EXPLORER_USER_DATA: join(tmp, 'user-data'), MATRIX_EXPLORER_CACHE: join(tmp, 'cache') };
}

/** What the page can reach: our origin, no Node, and exactly the MatrixClient bridge. */
async function pageFacts(page: Page) {
  return page.evaluate(`(() => ({
    protocol: location.protocol,
    host: location.host,
    require: typeof require,
    process: typeof process,
    keys: Object.keys(window.matrixExplorer || {}).sort(),
    infoId: window.__explorer && window.__explorer.info ? window.__explorer.info.id : null,
  }))()`) as Promise<{ protocol: string; host: string; require: string; process: string; keys: string[]; infoId: string | null }>;
}

test('desktop app: opens a sample from argv, a second window on it, exports a PNG', { timeout: 300_000 }, async t => {
  const reason = skipReason();
  if (reason) { t.skip(reason); return; }
  const binary = (findElectronBinary() as { binary: string }).binary;
  const tmp = mkdtempSync(join(tmpdir(), 'mx-electron-e2e-'));
  const flags: string[] = [];
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) flags.push('--ozone-platform=headless');
  if (process.getuid?.() === 0) flags.push('--no-sandbox'); // Chromium refuses to run as root otherwise (CI containers)
  let app: ElectronApplication | undefined;
  try {
    app = await _electron.launch({
      executablePath: binary,
      args: [...flags, REPO, SAMPLE],
      cwd: REPO,
      env: appEnv(tmp),
      timeout: 120_000,
    });
    const win = await app.firstWindow();
    await waitPainted(win, 0, 180_000);

    const facts = await pageFacts(win);
    assert.equal(facts.protocol, 'app:');
    assert.equal(facts.host, 'renderer');
    assert.equal(facts.require, 'undefined', 'no Node in the page');
    assert.equal(facts.process, 'undefined', 'no Node in the page');
    assert.deepEqual(facts.keys, ['current', 'newWindow', 'onLink', 'open', 'prefs', 'publishLink', 'query', 'recent', 'saveExport', 'setPrefs']);
    assert.match(facts.infoId ?? '', /\.mxstore$/);

    // A second window on the same matrix (no reconversion: same store id).
    const [win2] = await Promise.all([app.waitForEvent('window', { timeout: 60_000 }), win.getByTestId('new-window').click()]);
    await waitPainted(win2, 0, 120_000);
    assert.equal((await pageFacts(win2)).infoId, facts.infoId);
    assert.equal(app.windows().length, 2);

    // A page cannot navigate away or open windows.
    await win.evaluate(`location.href = 'https://example.com/'`).catch(() => undefined);
    await win.evaluate(`window.open('https://example.com/')`).catch(() => undefined);
    await new Promise(r => setTimeout(r, 500));
    assert.equal((await pageFacts(win)).protocol, 'app:');
    assert.equal(app.windows().length, 2);

    // Export a PNG: the renderer's export button → saveExport → the native save dialog (stubbed to a path).
    const out = join(tmp, 'export.png');
    await app.evaluate(({ dialog }, file) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath: file })) as unknown as typeof dialog.showSaveDialog;
    }, out);
    await win.getByTestId('export-png-heatmap').click();
    const deadline = Date.now() + 30_000;
    while (!existsSync(out) && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
    assert.ok(existsSync(out), 'the PNG was written');
    assert.deepEqual([...readFileSync(out).subarray(0, 8)], PNG_MAGIC);
  } finally {
    await app?.close().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
});

// What the browser-mode e2e suites share: the test files they open, why they would skip, and
// downloading an export through the page.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SHARED_TESTDATA } from '../../electron/test-support/testdata';
import { artifact } from './artifacts';
import { skipReason } from './browser';
import { REPO } from './serve-process';

export const BUS = join(SHARED_TESTDATA, 'mtx', 'ginkgo-1138_bus.mtx');
export const BAD = join(SHARED_TESTDATA, 'mtx', 'fmm-invalid-invalid_bad_banner.mtx');
export const GR = join(SHARED_TESTDATA, 'mtx', 'cudasamples-gr_900_900_crg.mtx');
export const NPY65 = join(SHARED_TESTDATA, 'npy', 'npyjs-65x65-float16.npy');

/** Why the browser-mode suites cannot run here, or null. */
export const serveSkip: string | null = skipReason()
  ?? (existsSync(join(REPO, 'dist', 'renderer', 'index.html')) ? null : 'dist/renderer is not built: run npm run build')
  ?? (existsSync(BUS) ? null : `${BUS} is missing`);

export const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Clicks an export button and saves what the page downloads under test-artifacts/. */
export async function download(page: Page, testid: string, name: string): Promise<Buffer> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  const path = artifact(name);
  await d.saveAs(path);
  return readFileSync(path);
}

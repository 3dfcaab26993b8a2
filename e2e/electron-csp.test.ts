// The built UI under the desktop app's exact serving rules — files resolved like app://renderer/ (traversal-safe),
// every response with the app's strict CSP — loaded in Debian's Chromium with the synthetic client (?fake=1).
// Catches a UI change that the CSP would break inside Electron (eval, inline scripts, remote assets) without
// needing the Electron binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { contentSecurityPolicy } from '../electron/shell/csp';
import { resolveAppRequest } from '../electron/shell/protocol-path';
import { launch, skipReason } from './helpers/browser';
import { waitPainted } from './helpers/page-probes';

const RENDERER = resolve(__dirname, '..', 'dist', 'renderer');

function serveLikeApp(): Promise<Server> {
  const csp = contentSecurityPolicy();
  const server = createServer((req, res) => {
    const asset = resolveAppRequest(`app://renderer${req.url ?? '/'}`, RENDERER, 'renderer');
    if (!asset || req.method !== 'GET' || !existsSync(asset.file)) { res.writeHead(404).end('Not found'); return; }
    res.writeHead(200, { 'Content-Type': asset.mimeType, 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff' });
    res.end(readFileSync(asset.file));
  });
  return new Promise(ok => server.listen(0, '127.0.0.1', () => ok(server)));
}

test('the built UI runs under the desktop CSP without violations', { timeout: 180_000 }, async t => {
  const reason = skipReason() ?? (existsSync(join(RENDERER, 'index.html')) ? null : 'dist/renderer is not built: run npm run build');
  if (reason) { t.skip(reason); return; }
  const server = await serveLikeApp();
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const violations: string[] = [];
    page.on('console', m => { if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text()); });
    page.on('pageerror', e => violations.push(`page error: ${e.message}`));
    await page.addInitScript(`document.addEventListener('securitypolicyviolation', e => console.error('Refused to (CSP) ' + e.violatedDirective + ' ' + e.blockedURI))`);
    const port = (server.address() as AddressInfo).port;
    const res = await page.goto(`http://127.0.0.1:${port}/index.html?fake=1`);
    assert.match(res?.headers()['content-security-policy'] ?? '', /script-src 'self'/);
    await waitPainted(page, 0, 60_000);
    // Give the Plotly panels (histogram, slices) time to draw too.
    await page.waitForTimeout(1500);
    assert.deepEqual(violations, []);
    // And the traversal guard holds over HTTP too.
    const escape = await page.evaluate(`fetch('/..%2f..%2fpackage.json').then(r => r.status)`);
    assert.equal(escape, 404);
  } finally {
    await browser.close();
    await new Promise(ok => server.close(ok));
  }
});

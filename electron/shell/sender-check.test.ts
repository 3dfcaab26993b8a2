import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APP_ORIGIN, isAppUrl, trustedSender } from './sender-check';
import { WindowRegistry } from './window-registry';

test('isAppUrl accepts only our exact origin', () => {
  assert.equal(isAppUrl(`${APP_ORIGIN}/index.html`), true);
  assert.equal(isAppUrl(`${APP_ORIGIN}/`), true);
  for (const u of [undefined, '', 'file:///index.html', 'https://renderer/index.html', 'app://evil/index.html',
    'app://renderer.evil/x', 'app://user:pw@renderer/x', 'app://renderer:8080/x', 'not a url', 'about:blank', 'devtools://devtools']) {
    assert.equal(isAppUrl(u), false, String(u));
  }
});

test('trustedSender requires a known window, its top frame, and the app origin', () => {
  const r = new WindowRegistry();
  const w = r.add(7, 'm');
  const ok = { webContentsId: 7, frameUrl: `${APP_ORIGIN}/index.html`, isMainFrame: true };
  assert.equal(trustedSender(r, ok)?.windowId, w.windowId);
  assert.equal(trustedSender(r, { ...ok, webContentsId: 8 }), null);
  assert.equal(trustedSender(r, { ...ok, isMainFrame: false }), null);
  assert.equal(trustedSender(r, { ...ok, frameUrl: 'https://example.com/' }), null);
  assert.equal(trustedSender(r, { ...ok, frameUrl: undefined }), null);
});

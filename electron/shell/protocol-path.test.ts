import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { mimeTypeFor, resolveAppRequest } from './protocol-path';

const root = path.resolve('/srv/dist/renderer');
const r = (u: string) => resolveAppRequest(u, root, 'renderer');

test('serves files under the root with a MIME type', () => {
  assert.deepEqual(r('app://renderer/assets/index-abc.js'), { file: path.join(root, 'assets', 'index-abc.js'), mimeType: 'text/javascript; charset=utf-8' });
  assert.equal(r('app://renderer/')?.file, path.join(root, 'index.html'));
  assert.equal(r('app://renderer')?.file, path.join(root, 'index.html'));
  assert.equal(r('app://renderer/index.html?x=1#y')?.file, path.join(root, 'index.html'));
  assert.equal(r('app://renderer/some/route')?.file, path.join(root, 'index.html'), 'extension-less routes get the app');
  assert.equal(r('app://renderer/a%20b.css')?.file, path.join(root, 'a b.css'));
  assert.equal(mimeTypeFor('x.wasm'), 'application/wasm');
  assert.equal(mimeTypeFor('x.bin'), 'application/octet-stream');
});

test('refuses traversal, other hosts and schemes', () => {
  for (const u of [
    'app://renderer/a/..%2f..%2f..%2fsecret.txt',
    'app://renderer/..%2f..%2fetc%2fpasswd', 'app://renderer/..%5c..%5cwin.ini', 'app://renderer/a%00.js',
    'app://renderer/%E0%A4%A', 'app://other/index.html', 'file:///etc/passwd', 'https://renderer/index.html', 'nonsense',
  ]) assert.equal(r(u), null, u);
  // Literal dot segments are folded by the URL parser itself, so they can only land inside the root.
  assert.equal(r('app://renderer/../../etc/secret.txt')?.file, path.join(root, 'etc', 'secret.txt'));
});

test('every resolved file stays inside the root (fuzz)', () => {
  const pieces = ['..', '.', '%2e%2e', '%2E.', 'a', 'b.js', '%2f', '%5c', '', '~', '%252e%252e', '/'];
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  for (let k = 0; k < 3000; k++) {
    const parts = Array.from({ length: 1 + rnd(6) }, () => pieces[rnd(pieces.length)]);
    const res = r(`app://renderer/${parts.join('/')}`);
    if (res) assert.ok(res.file === root || res.file.startsWith(root + path.sep), `${parts.join('/')} -> ${res.file}`);
  }
});

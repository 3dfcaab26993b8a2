import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { PathAllowList } from './path-allow-list';

test('only chosen files are allowed, compared in normalised absolute form', () => {
  const a = new PathAllowList('linux');
  a.allow('/data/m/a.mtx', 'dialog');
  assert.equal(a.isAllowed('/data/m/a.mtx'), true);
  assert.equal(a.isAllowed('/data/m/../m/./a.mtx'), true);
  assert.equal(a.isAllowed('/data/m/A.mtx'), false, 'case-sensitive on Linux');
  assert.equal(a.isAllowed('/data/m/b.mtx'), false);
  assert.equal(a.isAllowed('/etc/passwd'), false);
  assert.equal(a.isAllowed(42), false);
  assert.equal(a.isAllowed(''), false);
  assert.equal(a.isAllowed('/data/m/a.mtx\0.png'), false);
  assert.equal(a.reason('/data/m/a.mtx'), 'dialog');
});

test('relative paths resolve against the cwd', () => {
  const a = new PathAllowList('linux');
  a.allow('rel/x.npy', 'argv');
  assert.equal(a.isAllowed(path.resolve('rel/x.npy')), true);
});

test('case-insensitive on Windows and macOS', () => {
  const w = new PathAllowList('win32');
  w.allow('C:\\Data\\A.mtx', 'drop');
  assert.equal(w.isAllowed('c:\\data\\a.MTX'), true);
  const m = new PathAllowList('darwin');
  m.allow('/Users/me/A.mtx', 'recent');
  assert.equal(m.isAllowed('/users/me/a.mtx'), true);
});

test('check throws a readable message', () => {
  const a = new PathAllowList('linux');
  assert.throws(() => a.check('/secret.mtx'), /Not allowed to open \/secret\.mtx: choose it with File › Open…/);
  assert.throws(() => a.allow('', 'dialog'), /not a file path/);
  a.allow('/ok.mtx', 'dialog');
  assert.equal(a.check('/ok.mtx'), '/ok.mtx');
});

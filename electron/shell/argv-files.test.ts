import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filesFromArgv } from './argv-files';

test('files after the app, flags skipped, resolved against cwd', () => {
  assert.deepEqual(filesFromArgv(['/usr/bin/electron', '/app', '--no-sandbox', 'data/a.mtx', '/abs/b.npy'], '/home/me', 2), ['/home/me/data/a.mtx', '/abs/b.npy']);
  assert.deepEqual(filesFromArgv(['/opt/matrix-explorer', 'x.csv'], '/w', 1), ['/w/x.csv']);
  assert.deepEqual(filesFromArgv(['/opt/me', '--', '-weird.mtx'], '/w', 1), ['/w/-weird.mtx']);
  assert.deepEqual(filesFromArgv(['/opt/me'], '/w', 1), []);
});

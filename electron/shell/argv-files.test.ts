import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filesFromArgv } from './argv-files';

test('files after the app, flags skipped, resolved against cwd', () => {
  assert.deepEqual(filesFromArgv(['/usr/bin/electron', '/app', '--no-sandbox', 'data/a.mtx', '/abs/b.npy'], '/home/me', 2), ['/home/me/data/a.mtx', '/abs/b.npy']);
  assert.deepEqual(filesFromArgv(['/opt/matrix-explorer', 'x.csv'], '/w', 1), ['/w/x.csv']);
  assert.deepEqual(filesFromArgv(['/opt/me', '--', '-weird.mtx'], '/w', 1), ['/w/-weird.mtx']);
  assert.deepEqual(filesFromArgv(['/opt/me'], '/w', 1), []);
  assert.deepEqual(filesFromArgv(['/e', '--inspect=0', '/app/dist/main.js', 'a.npy'], '/w', 1, ['/app/dist/main.js', '/app/dist']), ['/w/a.npy']);
});

import { safeExportName } from './ipc-channels';
test('export names suggested to the save dialog are plain file names', () => {
  assert.equal(safeExportName('view.png'), 'view.png');
  assert.equal(safeExportName('../../etc/passwd'), 'passwd');
  assert.equal(safeExportName('C:\\x\\a.csv'), 'a.csv');
  assert.equal(safeExportName('.hidden'), 'hidden');
  assert.equal(safeExportName('a\u0000b?.svg'), 'a_b_.svg');
  assert.equal(safeExportName(42), 'export.png');
  assert.equal(safeExportName('...'), 'export.png');
});

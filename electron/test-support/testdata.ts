// Where the third-party test files live: `../shared/testdata` beside the checkout (as on developers'
// machines and in CI's fresh clone), or MATRIX_EXPLORER_TESTDATA. Tests only.
import * as fs from 'node:fs';
import * as path from 'node:path';

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'electron'))) {
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(__dirname, '..', '..');
    dir = up;
  }
  return dir;
}

export const SHARED_TESTDATA = process.env.MATRIX_EXPLORER_TESTDATA ?? path.resolve(repoRoot(), '..', 'shared', 'testdata');

// The layering check: renderer → shared ← electron, only electron/main/ imports Electron, shared/ is pure.
// (Globals are enforced by tsc: shared/tsconfig.json has lib ES2022 and no types, so no DOM and no Node globals;
// `npm test` runs that type-check before the tests.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkImport, checkLayering, EXCEPTIONS, formatViolations, importsOf, sourceFiles } from './layering-rules';

const root = path.resolve(__dirname, '..');

test('the project follows the layering rules', t => {
  for (const [file, spec, why] of EXCEPTIONS) {
    if (fs.existsSync(path.join(root, file)) && importsOf(fs.readFileSync(path.join(root, file), 'utf8')).some(i => i.specifier === spec)) {
      t.diagnostic(`allowed exception: ${file} imports '${spec}' — ${why}`);
    }
  }
  const files = sourceFiles(root, ['shared', 'electron', 'renderer']);
  assert.ok(files.length > 10, `found only ${files.length} source files`);
  const violations = checkLayering(root);
  assert.equal(violations.length, 0, `layering violations:\n${formatViolations(violations)}`);
});

test('shared/tsconfig.json keeps DOM and Node globals out of shared/', () => {
  const cfg = JSON.parse(fs.readFileSync(path.join(root, 'shared', 'tsconfig.json'), 'utf8'));
  assert.deepEqual(cfg.compilerOptions.types, []);
  assert.ok(cfg.compilerOptions.lib.every((l: string) => !/^dom/i.test(l)), `shared lib: ${cfg.compilerOptions.lib}`);
});

test('imports are found in every syntax, with their line, ignoring comments and strings', () => {
  const src = [
    "import { a } from './a';",
    "import type { B } from '../b';",
    "// import x from 'fs';",
    "const s = \"require('os')\";",
    "export * from './c';",
    "const d = await import('node:path');",
    "const e = require('electron');",
    "import f = require('child_process');",
    "import './side-effect';",
  ].join('\n');
  assert.deepEqual(importsOf(src), [
    { specifier: './a', line: 1 }, { specifier: '../b', line: 2 }, { specifier: './c', line: 5 },
    { specifier: 'node:path', line: 6 }, { specifier: 'electron', line: 7 }, { specifier: 'child_process', line: 8 },
    { specifier: './side-effect', line: 9 },
  ].sort((x, y) => x.line - y.line));
});

test('each rule catches what it should, and only that', () => {
  // Electron only in electron/main
  assert.match(checkImport('electron/backend/x.ts', 'electron')!, /only files under electron\/main/);
  assert.match(checkImport('shared/x.ts', 'electron/main')!, /only files under electron\/main/);
  assert.match(checkImport('renderer/src/x.tsx', 'electron')!, /only files under electron\/main/);
  assert.equal(checkImport('electron/main/main.ts', 'electron'), null);
  assert.equal(checkImport('electron/main/preload.ts', 'electron'), null);
  // shared is pure
  for (const b of ['fs', 'node:fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'fs/promises', 'node:test']) {
    assert.match(checkImport('shared/queries.ts', b)!, /no Node built-in/, b);
  }
  assert.equal(checkImport('shared/queries.test.ts', 'node:test'), null, 'tests run under Node');
  assert.match(checkImport('shared/rpc/x.ts', '../../electron/backend/backend')!, /shared\/ must not import from electron\//);
  assert.match(checkImport('shared/x.ts', '../renderer/src/App')!, /shared\/ must not import from renderer\//);
  assert.equal(checkImport('shared/rpc/x.ts', '../client'), null);
  assert.equal(checkImport('shared/x.ts', 'd3-scale-chromatic'), null);
  // renderer
  assert.match(checkImport('renderer/src/App.tsx', 'node:fs')!, /renderer\/ runs in the page/);
  assert.match(checkImport('renderer/src/a/b.ts', '../../../electron/engine/open-engine')!, /renderer\/ must not import from electron\//);
  assert.equal(checkImport('renderer/src/App.tsx', '../../shared/client'), null);
  assert.equal(checkImport('renderer/vite.config.ts', 'node:url'), null, 'build config runs in Node');
  // electron never reaches into renderer
  assert.match(checkImport('electron/server/static.ts', '../../renderer/src/x')!, /electron\/ must not import from renderer\//);
  assert.equal(checkImport('electron/server/static.ts', '../../shared/queries'), null);
  assert.equal(checkImport('electron/server/static.ts', 'node:fs'), null);
});

test('violations in a tree are reported as file:line with the import', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mx-layering-'));
  try {
    const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true }); fs.writeFileSync(path.join(dir, rel), text); };
    write('shared/ok.ts', "import type { X } from './x';\n");
    write('shared/bad.ts', "// pure?\nimport * as fs from 'fs';\n");
    write('renderer/src/bad.tsx', "import { app } from 'electron';\n");
    write('electron/store/bad.ts', "\n\nimport { ipcMain } from 'electron';\n");
    write('electron/main/ok.ts', "import { app } from 'electron';\n");
    write('node_modules/x/index.ts', "import 'electron';\n");
    write('dist/electron/x.ts', "import 'electron';\n");
    const report = formatViolations(checkLayering(dir));
    assert.equal(report, [
      "electron/store/bad.ts:3: imports 'electron' — only files under electron/main/ may import 'electron'",
      "renderer/src/bad.tsx:1: imports 'electron' — only files under electron/main/ may import 'electron'",
      "shared/bad.ts:2: imports 'fs' — shared/ is pure: no Node built-in modules",
    ].join('\n'));
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

#!/usr/bin/env node
// `npm start`: build, then open the bundled sample matrix (or the file given after `--`) in the
// desktop app — or, where the Electron binary is not installed, in browser mode.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = process.argv[2] ?? join(root, 'assets', 'sample-contact-map.npy');
const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const app = spawnSync(process.execPath, [join(root, 'bin', 'matrix-explorer.js'), 'open', target, ...process.argv.slice(3)], { cwd: root, stdio: 'inherit' });
process.exit(app.status ?? 1);

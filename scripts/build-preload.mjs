#!/usr/bin/env node
// Bundles the Electron preload (electron/main/preload.ts + the shared RPC client it uses) into one self-contained
// file, dist/electron/main/preload.js: sandboxed preloads can only require('electron') and a few builtins.
// Run after `tsc` (which writes an unbundled preload.js to the same place): `node scripts/build-preload.mjs`.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = join(root, 'dist', 'electron', 'main', 'preload.js');

await build({
  entryPoints: [join(root, 'electron', 'main', 'preload.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'chrome130',
  external: ['electron'],
  sourcemap: false,
  minify: false,
  logLevel: 'warning',
  legalComments: 'none',
  // electron/main/main.ts checks for this line, so a preload left unbundled by tsc is caught at startup.
  banner: { js: '// matrix-explorer preload bundle (scripts/build-preload.mjs)' },
});

// The sandbox allows require('electron') and nothing that reaches the file system; fail the build otherwise.
const code = readFileSync(outfile, 'utf8');
const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map(m => m[1]);
const bad = required.filter(r => r !== 'electron');
if (bad.length) {
  console.error(`build-preload: the bundled preload requires ${bad.join(', ')}; only 'electron' is available in a sandboxed preload`);
  process.exit(1);
}
console.log(`build-preload: ${outfile} (${code.length} bytes)`);

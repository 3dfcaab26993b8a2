#!/usr/bin/env node
// The `matrix-explorer` command: runs the compiled CLI (npm run build), or the TypeScript sources
// through tsx in a checkout that has not been built yet.
const path = require('node:path');
const fs = require('node:fs');
const compiled = path.join(__dirname, '..', 'dist', 'electron', 'cli', 'main.js');
if (fs.existsSync(compiled) && !process.env.MATRIX_EXPLORER_FROM_SOURCE) {
  require(compiled).main(process.argv.slice(2));
} else {
  require('tsx/cjs');
  require(path.join(__dirname, '..', 'electron', 'cli', 'main.ts')).main(process.argv.slice(2));
}

#!/usr/bin/env node
// `npm test`: type-check every layer, check the import direction, build, then run every
// `*.test.ts` (unit, integration and e2e) under Node's test runner in one run.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args, opts = {}) => {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) { console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status})`); process.exit(r.status ?? 1); }
};

function findTests(dir, out = []) {
  for (const name of readdirSync(join(root, dir))) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) findTests(rel, out);
    else if (name.endsWith('.test.ts')) out.push(rel);
  }
  return out;
}

const only = process.argv.slice(2);
if (only.length === 0) {
  run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  run('npx', ['tsc', '-p', 'shared/tsconfig.json']);
  run('npx', ['tsc', '-p', 'renderer/tsconfig.json']);
  run('npm', ['run', 'build', '--silent']);
}
const files = only.length ? only : ['scripts', 'shared', 'electron', 'renderer', 'e2e'].flatMap(d => findTests(d)).sort();
run('node', ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files]);

// `matrix-explorer open` (and `matrix-explorer <file>`) — the desktop app, or browser mode where the
// Electron binary is not installed.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findElectronBinary } from '../../main/electron-binary';
import { packageRoot } from '../../server/package-root';
import type { CliCommand } from '../command';
import { parseArgs } from './query-support';
import { runServe, SERVE_OPTIONS } from './serve';

const USAGE = `Usage: matrix-explorer open [<file-or-store>] [options]
       matrix-explorer <file-or-store> [options]

Opens the matrix in the desktop app. Where the Electron binary is not installed (for example after
ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install), serves it in browser mode instead — see 'serve --help'
for the options that then apply (--port, --host, --no-open, --allow-open-paths).`;

/** The Electron binary and the app's compiled main script, or why the desktop app cannot start. */
export function findElectron(root = packageRoot()): { binary: string; main: string } | { reason: string } {
  const found = findElectronBinary();
  if ('reason' in found) return found;
  const binary = found.binary;
  const pkgMain = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).main as string;
  const main = path.join(root, pkgMain);
  if (!fs.existsSync(main)) return { reason: `the app is not built (${path.relative(root, main)} is missing; run npm run build)` };
  return { binary, main };
}

export const openCommand: CliCommand = {
  name: 'open',
  summary: 'open a matrix in the desktop app (browser mode where Electron is not installed)',
  usage: USAGE,
  async run(args, io) {
    parseArgs(args, SERVE_OPTIONS); // usage errors first, whichever mode runs
    const found = process.env.MATRIX_EXPLORER_BROWSER ? { reason: 'MATRIX_EXPLORER_BROWSER is set' } : findElectron();
    if ('reason' in found) {
      const what = /not built/.test(found.reason) ? 'Electron app not built' : 'Electron binary not installed';
      io.err(`${what} (${found.reason}); opening in browser mode instead`);
      return runServe(args, io);
    }
    const files = parseArgs(args, SERVE_OPTIONS).positionals.map(f => path.resolve(f));
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    const child = spawn(found.binary, [packageRoot(), ...files], { stdio: 'inherit', env });
    const onAbort = () => child.kill('SIGTERM');
    io.signal.addEventListener('abort', onAbort, { once: true });
    return new Promise<number>(resolve => {
      child.once('error', e => { io.err(`could not start Electron: ${e.message}`); resolve(1); });
      child.once('exit', (code, sig) => {
        io.signal.removeEventListener('abort', onAbort);
        resolve(code ?? (sig ? 130 : 1));
      });
    });
  },
};

// The Node way to start a helper: child_process.fork of helper-main — the compiled .js next to this
// file, or the .ts source through tsx when running from source. (Electron: electron/main implements
// its own SpawnHelper with utilityProcess.fork(helperEntryPath()).)
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HelperChannel, SpawnHelper } from './helper-pool';
import { HELPER_EXEC_ARGV, helperEnv } from './helper-env';

/** The helper entry next to this module: helper-main.js when compiled, helper-main.ts from source. */
export function helperEntryPath(): string {
  return path.join(__dirname, `helper-main${path.extname(__filename) || '.js'}`);
}

export interface ForkHelperOptions {
  /** Module to fork (default helperEntryPath()); a .ts entry runs through tsx. */
  entry?: string;
  env?: NodeJS.ProcessEnv;
}

export function forkHelper(options: ForkHelperOptions = {}): SpawnHelper {
  const entry = options.entry ?? helperEntryPath();
  const execArgv = [...HELPER_EXEC_ARGV, ...entry.endsWith('.ts') ? ['--import', pathToFileURL(require.resolve('tsx')).href] : []];
  return index => {
    const child = fork(entry, [], {
      serialization: 'advanced',
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: helperEnv(process.env, { ...options.env, MATRIX_EXPLORER_HELPER_INDEX: String(index) }),
    });
    const exitListeners: Array<(code: number | null) => void> = [];
    let exited = false;
    const fireExit = (code: number | null) => {
      if (exited) return;
      exited = true;
      for (const l of exitListeners) l(code);
    };
    child.on('exit', code => fireExit(code));
    child.on('error', () => { if (child.exitCode !== null || child.signalCode !== null || !child.pid) fireExit(child.exitCode); });
    const channel: HelperChannel = {
      send(message) {
        if (!child.connected) return;
        try { child.send(message as never, undefined, undefined, () => { /* closed mid-send: the exit handler retries */ }); } catch { /* channel closed */ }
      },
      onMessage: l => { child.on('message', l); },
      onExit: l => { exitListeners.push(l); },
      kill: () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); },
      get pid() { return child.pid; },
    };
    return channel;
  };
}

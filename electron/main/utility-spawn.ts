// The helper pool's SpawnHelper for Electron: each helper is a utilityProcess child running helper-main.
// A helper that dies (crash, OOM, killed) reports its exit to the pool, which restarts it; the windows
// keep their ports to the backend and never notice beyond a retried request (a window whose direct port was on
// that helper falls back to the main port until it gets a new one: helper-ports.ts).
import { app, utilityProcess } from 'electron';
import { HELPER_EXEC_ARGV, helperEnv } from '../pool/helper-env';
import type { SpawnHelper } from '../pool/helper-pool';
import { utilityHelperChannel, type UtilityHelperChannel } from '../shell/process-channel';

const live = new Map<string, UtilityHelperChannel>();
let watching = false;

/** One listener for all our utility processes: a helper that is gone reports its exit exactly once. */
function watchGone(log: (line: string) => void): void {
  if (watching) return;
  watching = true;
  app.on('child-process-gone', (_event, details) => {
    if (details.type !== 'Utility' || !details.name) return;
    const channel = live.get(details.name);
    if (!channel) return;
    log(`${details.name} gone: ${details.reason} (exit ${details.exitCode})`);
    live.delete(details.name);
    channel.markGone(details.exitCode);
  });
}

/** Forks `entry` as a utility process named `serviceName` (with the helpers' environment and V8 flags), as a HelperChannel. */
export function forkUtility(entry: string, serviceName: string, env: Record<string, string>, log: (line: string) => void): UtilityHelperChannel {
  watchGone(log);
  const child = utilityProcess.fork(entry, [], {
    serviceName, stdio: 'inherit', env: helperEnv(process.env, env) as Record<string, string>, execArgv: [...HELPER_EXEC_ARGV],
  });
  const channel = utilityHelperChannel(child, log);
  live.set(serviceName, channel);
  channel.onExit(() => live.delete(serviceName));
  return channel;
}

export function utilitySpawn(entry: string, log: (line: string) => void): SpawnHelper {
  let generation = 0;
  return index => forkUtility(entry, `Matrix Explorer helper ${index}.${++generation}`, { MATRIX_EXPLORER_HELPER_INDEX: String(index) }, log);
}

/** A fresh utility process per conversion (electron/shell/convert-host-main), so the main process stays responsive. */
export function utilityConverter(entry: string, log: (line: string) => void): () => UtilityHelperChannel {
  let generation = 0;
  return () => forkUtility(entry, `Matrix Explorer converter ${++generation}`, {}, log);
}

// The helper pool's SpawnHelper for Electron: each helper is a utilityProcess child running helper-main.
// A helper that dies (crash, OOM, killed) reports its exit to the pool, which restarts it; the windows
// keep their ports to the backend and never notice beyond a retried request.
import { app, utilityProcess } from 'electron';
import type { SpawnHelper } from '../pool/helper-pool';
import { utilityHelperChannel, type UtilityHelperChannel } from '../shell/process-channel';

export function utilitySpawn(entry: string, log: (line: string) => void): SpawnHelper {
  const live = new Map<string, UtilityHelperChannel>();
  let generation = 0;
  app.on('child-process-gone', (_event, details) => {
    if (details.type !== 'Utility' || !details.name) return;
    const channel = live.get(details.name);
    if (!channel) return;
    log(`${details.name} gone: ${details.reason} (exit ${details.exitCode})`);
    live.delete(details.name);
    channel.markGone(details.exitCode);
  });
  return index => {
    const serviceName = `Matrix Explorer helper ${index}.${++generation}`;
    const child = utilityProcess.fork(entry, [], {
      serviceName,
      stdio: 'inherit',
      env: { ...process.env, MATRIX_EXPLORER_HELPER_INDEX: String(index) },
    });
    const channel = utilityHelperChannel(child, log);
    live.set(serviceName, channel);
    channel.onExit(() => live.delete(serviceName));
    return channel;
  };
}

// The helper's side of its channel to the parent — the ONE place that knows whether this helper is a
// Node `child_process.fork` child (process.send / process.on('message')) or an Electron
// `utilityProcess` child (process.parentPort.postMessage / on('message', e => e.data), which can also carry
// MessagePorts in e.ports: the windows' direct ports).
import type { PortLike } from './protocol';

export interface ParentPort {
  send(message: unknown): void;
  /** `ports`: MessagePorts transferred with the message (Electron only; always empty under Node's fork). */
  onMessage(listener: (message: unknown, ports: readonly PortLike[]) => void): void;
  /** Called when the parent goes away (Node: IPC disconnect). */
  onDisconnect(listener: () => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown; ports?: PortLike[] }) => void): void;
}

export function connectParentPort(): ParentPort {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      send: m => electronPort.postMessage(m),
      onMessage: l => electronPort.on('message', e => l(e.data, e.ports ?? [])),
      onDisconnect: () => { /* Electron kills utility processes with their parent */ },
    };
  }
  if (typeof process.send === 'function') {
    return {
      send: m => { if (process.connected) process.send!(m, undefined, undefined, () => { /* parent gone */ }); },
      onMessage: l => process.on('message', m => l(m, [])),
      onDisconnect: l => process.on('disconnect', l),
    };
  }
  throw new Error('this helper must be started by the helper pool (no IPC channel to a parent)');
}

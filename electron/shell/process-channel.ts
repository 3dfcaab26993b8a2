// The helper pool's HelperChannel over an Electron UtilityProcess (or anything shaped like one), so the
// lifecycle rules are testable under Node: messages sent before the child is up are queued; exit is reported
// once whether it comes from 'exit', a fatal 'error' or app's 'child-process-gone'; kill after exit is a no-op.
// It can carry MessagePorts (a window's direct port to a helper), which Node's fork cannot.
import type { HelperChannel } from '../pool/helper-pool';

/** The parts of Electron's UtilityProcess the channel uses. */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  postMessage(message: unknown, transfer?: unknown[]): void;
  kill(): boolean;
  on(event: 'spawn', listener: () => void): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'error', listener: (type: string, location: string, report: string) => void): unknown;
}

export interface UtilityHelperChannel extends HelperChannel {
  /** Report that the process is gone (from app 'child-process-gone'); fires exit listeners once. */
  markGone(code: number | null): void;
  readonly exited: boolean;
}

export function utilityHelperChannel(child: UtilityProcessLike, log: (line: string) => void = () => {}): UtilityHelperChannel {
  let spawned = false;
  let exited = false;
  const queue: Array<[unknown, unknown[]]> = [];
  const exitListeners: Array<(code: number | null) => void> = [];
  const messageListeners: Array<(m: unknown) => void> = [];

  const fireExit = (code: number | null) => {
    if (exited) return;
    exited = true;
    queue.length = 0;
    for (const l of exitListeners) {
      try { l(code); } catch (e) { log(`helper exit listener failed: ${(e as Error)?.message ?? e}`); }
    }
  };
  child.on('spawn', () => {
    spawned = true;
    for (const [m, ports] of queue.splice(0)) post(m, ports);
  });
  const post = (message: unknown, ports: unknown[]): boolean => {
    if (exited) return false;
    if (!spawned) { queue.push([message, ports]); return true; }
    try {
      if (ports.length) child.postMessage(message, ports); else child.postMessage(message);
      return true;
    } catch (e) {
      log(`helper send failed: ${(e as Error)?.message ?? e}`);
      return false;
    }
  };
  child.on('message', m => { for (const l of messageListeners) l(m); });
  child.on('exit', code => fireExit(code));
  child.on('error', (type, location) => { log(`helper ${child.pid ?? '?'} ${type} at ${location}`); });

  return {
    send: message => { post(message, []); },
    sendWithPorts: (message, ports) => post(message, ports),
    onMessage: l => { messageListeners.push(l); },
    onExit: l => { exitListeners.push(l); },
    kill: () => { if (!exited) child.kill(); },
    markGone: code => fireExit(code),
    get exited() { return exited; },
    get pid() { return child.pid; },
  };
}

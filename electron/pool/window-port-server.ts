// A helper's direct line to one window (Electron): the main process hands the helper one end of a MessageChannel
// and the window the other, and the window's small queries on its matrix (viewport, value, row, col) arrive here
// and are answered straight from this helper's engine, without passing through the main process. Same wire
// protocol as the window's port to the backend (shared/rpc, served by shared/rpc/rpc-server), same rules: a
// newer viewport request supersedes the older one still running, `cancel` stops a request, one answer each.
// Whole-matrix queries (histogram, stats, percentiles) and everything else stay on the main path.
import type { QueryName } from '../../shared/queries';
import { DIRECT_QUERIES } from '../../shared/rpc/direct-routing';
import { serveRpc } from '../../shared/rpc/rpc-server';
import { afterAnswer } from './garbage-watch';
import { PoolError, toErrorPayload } from './pool-error';
import type { PortLike } from './protocol';

/** Runs one query on a store in this helper (its engine cache). */
export type RunQuery = (storePath: string, name: QueryName, req: unknown, signal: AbortSignal) => Promise<unknown>;

export interface WindowAttachment { matrixId: string; storePath: string }

export interface WindowPortServer {
  /** Stops serving: running requests are cancelled, the port is closed. */
  close(): void;
  readonly closed: boolean;
}

export function serveWindowPort(port: PortLike, attachment: WindowAttachment, run: RunQuery, onClosed: () => void = () => {}): WindowPortServer {
  /** The viewport request running now, which a newer one supersedes (per port: this window). */
  let viewport: AbortController | null = null;

  const rpc = serveRpc({
    send: m => { port.postMessage(m); afterAnswer(); },
    errorPayload: toErrorPayload,
    async handle(request, signal) {
      if (request.method !== 'query') throw new PoolError('bad-input', `'${request.method}' is answered by the main process, not a helper port`);
      const { matrixId, name, req } = (request.params ?? {}) as { matrixId?: unknown; name?: unknown; req?: unknown };
      if (matrixId !== attachment.matrixId) throw new PoolError('bad-input', `this port serves matrix '${attachment.matrixId}', not '${String(matrixId)}'`);
      if (typeof name !== 'string' || !DIRECT_QUERIES.has(name as QueryName)) throw new PoolError('bad-input', `query '${String(name)}' is answered by the main process, not a helper port`);
      if (name !== 'viewport') return run(attachment.storePath, name as QueryName, req ?? {}, signal);
      const own = new AbortController();
      viewport?.abort();
      viewport = own;
      const superseded = () => new PoolError('superseded', 'superseded by a newer viewport request');
      try {
        const result = await run(attachment.storePath, 'viewport', req ?? {}, AbortSignal.any([signal, own.signal]));
        if (own.signal.aborted && !signal.aborted) throw superseded();
        return result;
      } catch (e) {
        throw own.signal.aborted && !signal.aborted ? superseded() : e;
      } finally {
        if (viewport === own) viewport = null;
      }
    },
  });

  const close = () => {
    if (rpc.closed) return;
    rpc.close();
    try { port.close(); } catch { /* already closed */ }
    onClosed();
  };
  port.on('message', e => rpc.receive(e.data));
  port.on('close', close);
  port.start();
  return { close, get closed() { return rpc.closed; } };
}

// Conversions run in their own process (an Electron utility process), so parsing a multi-gigabyte file never
// stalls the main process that relays every window's messages. This file is both sides of that:
// `runConvertHost` is the child's loop; `remoteResolveStore` is the parent's ResolveStore for the Backend.
import type { Progress } from '../../shared/queries';
import type { ErrorPayload } from '../../shared/queries';
import type { StoreManifest } from '../../shared/store-manifest';
import type { ResolveStore } from '../backend/backend';
import { BackendError, errorPayload } from '../backend/error-payload';
import type { HelperChannel } from '../pool/helper-pool';

type Resolved = { storePath: string; manifest: StoreManifest; reused: boolean };

/** Parent → child. */
export type ConvertRequest = { t: 'convert'; input: string } | { t: 'cancel' };
/** Child → parent. */
export type ConvertReply =
  | { t: 'progress'; progress: Progress }
  | { t: 'done'; result: Resolved }
  | { t: 'error'; error: ErrorPayload };

export interface HostPort {
  send(message: ConvertReply): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** The child's side: one conversion per process; progress is throttled to ~10 messages a second. */
export function runConvertHost(port: HostPort, resolveStore: ResolveStore, done: () => void = () => {}): void {
  const controller = new AbortController();
  let started = false;
  port.onMessage(raw => {
    const m = raw as ConvertRequest | null;
    if (m?.t === 'cancel') { controller.abort(); return; }
    if (m?.t !== 'convert' || typeof m.input !== 'string' || started) return;
    started = true;
    let last = 0;
    const onProgress = (progress: Progress) => {
      const now = Date.now();
      if (now - last < 100 && progress.fraction !== 1) return;
      last = now;
      port.send({ t: 'progress', progress });
    };
    resolveStore(m.input, { signal: controller.signal, onProgress })
      .then(r => port.send({ t: 'done', result: { storePath: r.storePath, manifest: r.manifest, reused: r.reused } }),
        e => port.send({ t: 'error', error: controller.signal.aborted ? { code: 'cancelled', message: 'cancelled' } : errorPayload(e) }))
      .finally(done);
  });
}

export interface RemoteConvertOptions {
  /** How long a cancelled conversion may take to clean up before its process is killed (ms). */
  cancelGraceMs?: number;
}

/** The parent's side: each conversion in a fresh process from `start()`; abort asks it to stop, then kills it. */
export function remoteResolveStore(start: () => HelperChannel, options: RemoteConvertOptions = {}): ResolveStore {
  const grace = options.cancelGraceMs ?? 5000;
  return (input, opts) => new Promise<Resolved>((resolve, reject) => {
    if (opts.signal?.aborted) { reject(new BackendError('cancelled', 'cancelled')); return; }
    const child = start();
    let settled = false;
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      child.send({ t: 'cancel' } satisfies ConvertRequest);
      killTimer = setTimeout(() => child.kill(), grace);
      settle(() => reject(new BackendError('cancelled', 'cancelled')));
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.onMessage(raw => {
      const m = raw as ConvertReply;
      if (m?.t === 'progress') { if (!settled) opts.onProgress?.(m.progress); return; }
      if (m?.t !== 'done' && m?.t !== 'error') return;
      // The child is finished (a cancelled one has cleaned up): end it now, once.
      clearTimeout(killTimer);
      if (m.t === 'done') settle(() => resolve(m.result));
      else settle(() => reject(new BackendError(m.error.code, m.error.message)));
      child.kill();
    });
    child.onExit(code => {
      clearTimeout(killTimer);
      settle(() => reject(new BackendError('internal', `the conversion of ${input} stopped unexpectedly (process exit ${code ?? 'signal'}); try again`)));
    });
    child.send({ t: 'convert', input } satisfies ConvertRequest);
  });
}

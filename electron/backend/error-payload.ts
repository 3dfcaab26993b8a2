// Any thrown value as the payload a window shows: a code and a readable message, never a stack.
import type { ErrorPayload } from '../../shared/queries';
import { isErrorCode } from '../../shared/rpc/protocol';

export function errorPayload(e: unknown): ErrorPayload {
  if (process.env.MATRIX_EXPLORER_DEBUG && e instanceof Error) console.error(e.stack);
  const err = e as (NodeJS.ErrnoException & { code?: unknown }) | null;
  const message = e instanceof Error ? e.message : String(e);
  if (err && isErrorCode(err.code)) return { code: err.code, message };
  const name = err?.name;
  if (name === 'InputError') return { code: 'bad-input', message };
  if (name === 'AbortError' || name === 'CancelledError') return { code: 'cancelled', message: 'cancelled' };
  if (name === 'StoreCorruptError') return { code: 'store-corrupt', message };
  if (err && typeof err.code === 'string') {
    const where = err.path ?? '';
    switch (err.code) {
      case 'ENOENT': return { code: 'not-found', message: `${where}: no such file` };
      case 'EISDIR': return { code: 'bad-input', message: `${where}: is a directory` };
      case 'ENOTDIR': return { code: 'not-found', message: `${where}: not a directory` };
      case 'EACCES': case 'EPERM': return { code: 'bad-input', message: `${where}: permission denied` };
    }
  }
  return { code: 'internal', message: message || 'internal error' };
}

/** An error that carries an ErrorPayload code (what the backend throws for requests it refuses). */
export class BackendError extends Error {
  constructor(readonly code: ErrorPayload['code'], message: string) {
    super(message);
    this.name = 'BackendError';
  }
}

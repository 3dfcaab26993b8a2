// The error a pool request rejects with: a readable message plus a machine-readable code
// (the same codes as shared/queries ErrorPayload), so callers can tell a timeout from a crash.
import type { ErrorPayload } from '../../shared/queries';

export type PoolErrorCode = ErrorPayload['code'];

const CODES: ReadonlySet<string> = new Set<PoolErrorCode>([
  'bad-input', 'not-found', 'cancelled', 'superseded', 'timeout', 'helper-crashed', 'store-corrupt', 'internal',
]);

export class PoolError extends Error {
  constructor(readonly code: PoolErrorCode, message: string) {
    super(message);
    this.name = 'PoolError';
  }
}

/** Any thrown value as a structured-cloneable payload (keeps a known `code`, else 'internal'). */
export function toErrorPayload(e: unknown): ErrorPayload {
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  if (typeof code === 'string' && CODES.has(code)) return { code: code as PoolErrorCode, message };
  if ((e as Error | null)?.name === 'AbortError' || (e as Error | null)?.name === 'CancelledError') return { code: 'cancelled', message };
  if ((e as Error | null)?.name === 'InputError') return { code: 'bad-input', message };
  return { code: 'internal', message };
}

export function fromErrorPayload(p: ErrorPayload): PoolError {
  return new PoolError(CODES.has(p?.code) ? p.code : 'internal', String(p?.message ?? 'unknown helper error'));
}

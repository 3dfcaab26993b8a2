// Turns any error into one line a person can read and an exit code; never a stack trace
// (set MATRIX_EXPLORER_DEBUG=1 to see one).

import { CancelledError, InputError } from '../importers/matrix-source';

export function describeError(e: unknown): { message: string; exitCode: number } {
  if (process.env.MATRIX_EXPLORER_DEBUG && e instanceof Error) console.error(e.stack);
  if (e instanceof InputError) return { message: e.message, exitCode: 2 };
  if (e instanceof CancelledError) return { message: 'cancelled', exitCode: 130 };
  const err = e as NodeJS.ErrnoException;
  if (err && (err.code === 'ENOENT' || err.code === 'EISDIR' || err.code === 'EACCES')) {
    return { message: `${err.path ?? ''}: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : 'permission denied'}`, exitCode: 2 };
  }
  // Errors that carry a user-facing code (store corrupt, bad request) are input problems.
  const code = (e as { code?: string })?.code;
  if (code === 'bad-input' || code === 'store-corrupt' || code === 'not-found') return { message: String((e as Error).message), exitCode: 2 };
  return { message: e instanceof Error ? e.message : String(e), exitCode: 1 };
}

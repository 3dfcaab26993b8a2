// Errors the engine raises for callers: a readable message plus a machine-readable code (see ErrorPayload).
import type { ErrorPayload } from '../../shared/queries';

export class EngineError extends Error {
  constructor(readonly code: ErrorPayload['code'], message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

export const badInput = (message: string): EngineError => new EngineError('bad-input', message);

export function cancelledError(): EngineError {
  return new EngineError('cancelled', 'query cancelled');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

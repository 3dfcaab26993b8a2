// Turning failures into text a person can read (never a stack trace).

export function isAbort(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const o = e as { name?: string; code?: string; message?: string };
  return o.name === 'AbortError' || o.code === 'cancelled' || o.code === 'superseded' || o.message === 'cancelled';
}

/** The readable message of an error-like value: its message, without "Error:" prefixes or stack frames. */
export function readable(e: unknown): string {
  let msg = e instanceof Error ? e.message : typeof e === 'object' && e && 'message' in e ? String((e as { message: unknown }).message) : String(e);
  msg = msg.split('\n').filter(l => !/^\s+at\s/.test(l)).join('\n').replace(/^(Uncaught\s+)?(\w*Error):\s*/, '').trim();
  return msg || 'Something went wrong (no details were given).';
}

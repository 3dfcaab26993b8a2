// Collects the garbage answers leave in a window. A viewport answer is a few MB of typed arrays, dead as
// soon as the page has drawn it; V8 collects array buffers only after ~32 MB of them in its young
// generation or ~64 MB of external memory, so a window held tens of MiB of old answers (memory bench:
// 25-50 MiB of ArrayBuffers per simulated window). The client counts the bytes of the answers it
// delivers and asks for a collection after every ANSWER_GARBAGE_BYTES of them — where the page can
// collect at all: Electron renderers start with --expose-gc (electron/shell/renderer-flags.ts);
// browsers have no gc(), and there this does nothing.

/**
 * Answer bytes delivered between two collections: about one full raster (800×600 cells are 7.7 MB), so a
 * page that pans collects about once per raster it draws (memory bench windows: 8 MB left 46-48 MiB
 * Private each, 4 MB 26-42 MiB).
 */
export const ANSWER_GARBAGE_BYTES = 4 << 20;

/** Bytes of the typed arrays and ArrayBuffers in an answer: its fields and theirs (answers are shallow). */
export function answerBytes(answer: unknown, depth = 2): number {
  if (answer === null || typeof answer !== 'object') return 0;
  if (ArrayBuffer.isView(answer) || answer instanceof ArrayBuffer) return answer.byteLength;
  if (depth === 0) return 0;
  let n = 0;
  for (const v of Array.isArray(answer) ? answer : Object.values(answer)) n += answerBytes(v, depth - 1);
  return n;
}

/** A counter that calls `collect` once every `limit` bytes of answers passed to it. */
export function answerGarbageWatch(collect: () => void, limit = ANSWER_GARBAGE_BYTES): (answer: unknown) => void {
  let since = 0;
  return answer => {
    since += answerBytes(answer);
    if (since < limit) return;
    since = 0;
    collect();
  };
}

/**
 * V8's gc() where this context has it (started with --expose-gc), run through `defer` (after the answer
 * that crossed the limit has reached the page); undefined elsewhere.
 */
export function globalCollector(defer: (run: () => void) => void): (() => void) | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  if (typeof gc !== 'function') return undefined;
  return () => defer(() => (gc as () => void)());
}

// Collects the garbage big answers leave behind. A helper builds each answer in fresh ArrayBuffers (rasters,
// slices, accumulators; MBs per query) and the backend decodes and re-encodes them on the way to a window;
// all of it is dead once sent. V8 only collects when its JS heap fills (a few MB here: a collection per
// hundreds of answers) or when external memory has grown by ~64 MB, so each process held tens of MiB of dead
// buffers (measured on the memory bench: helpers ~55 MiB, the parent ~57 MiB of dead array buffers). Here a
// full collection runs once external memory has grown by GARBAGE_BYTES since the last one, after the answer
// is sent (a few ms: the JS heaps here are small). A young-generation collection is not enough: V8 counts
// the freed buffers only once swept, and answers in flight at one are promoted, dead soon after.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** Growth of external memory that triggers a collection (one or two rasters' worth). */
export const GARBAGE_BYTES = 8 << 20;

type Collect = () => void;
let collectFn: Collect | null | undefined;

/**
 * V8's gc(): global where the process started with --expose-gc (helpers: HELPER_EXEC_ARGV), else enabled
 * now (the parent: the `serve` process or Electron's main process, whose flags are not ours to set), or
 * null where neither works.
 */
function collector(): Collect | null {
  if (collectFn !== undefined) return collectFn;
  const global = (globalThis as { gc?: Collect }).gc;
  if (typeof global === 'function') return (collectFn = global);
  try {
    v8.setFlagsFromString('--expose-gc');
    const fn = vm.runInNewContext('gc') as unknown;
    collectFn = typeof fn === 'function' ? fn as Collect : null;
  } catch {
    collectFn = null;
  }
  return collectFn;
}

/**
 * Memory outside the JS heap that V8 knows of: array buffers, and Buffers made over memory Node allocated
 * elsewhere (the IPC serializer's messages: as big as the answers, and not counted as array buffers).
 */
const externalBytes = (): number => process.memoryUsage().external;
/** External bytes right after the last collection. */
let afterLast = -1;
let scheduled = false;

/** Call after sending an answer: schedules one collection when dead buffers may have piled up. */
export function afterAnswer(): void {
  if (scheduled) return;
  const now = externalBytes();
  if (afterLast < 0 || now < afterLast) afterLast = now;
  if (now - afterLast < GARBAGE_BYTES || !collector()) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    collector()!();
    afterLast = externalBytes();
  });
}

// Pre-faults big fresh buffers on another thread (see prefault-worker) while this one does other work.
// Only an optimisation: the worker never holds the process open and its failures are ignored.
import { startWorker } from '../importers/start-worker';
import { adviseHugePages } from './huge-pages';

/** A zero-filled typed array of n elements on shared memory, backed by huge pages where it is big. */
export function sharedArray<T extends Uint32Array | Float64Array>(ctor: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, n: number): T {
  const a = new ctor(new SharedArrayBuffer(n * ctor.BYTES_PER_ELEMENT));
  adviseHugePages(a);
  return a;
}

/** Starts touching the pages of `arrays` (on shared memory), in order, on a worker thread. */
export function prefaultInBackground(arrays: (Uint32Array | Float64Array | undefined)[]): void {
  try {
    const w = startWorker(__dirname, 'prefault-worker');
    w.on('error', () => {});
    w.unref();
    w.postMessage(arrays.filter((a) => a !== undefined).map((a) => a!.buffer as SharedArrayBuffer));
  } catch { /* an optimisation only */ }
}

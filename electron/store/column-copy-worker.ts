// worker_threads entry: writes a dense store's column-major copy (column-copy.ts) from the values file
// while the builder's thread makes the pyramid and the stats, at a lower priority than that thread. Posts progress per band; stops between
// bands when the shared cancel flag is set.
import { parentPort } from 'node:worker_threads';
import { writeColumnCopy, type ColumnCopyJob } from './column-copy';
import { lowerThreadPriority } from './thread-priority';

export type ColumnCopyReply =
  | { t: 'progress'; done: number }
  | { t: 'done'; file: string; size: number }
  | { t: 'cancelled' }
  | { t: 'failed'; message: string; code?: string };

const CANCELLED = Symbol('cancelled');

parentPort?.on('message', ({ job, cancel }: { job: ColumnCopyJob; cancel: Int32Array }) => {
  lowerThreadPriority(); // the pyramid and stats pass on the builder's thread come first
  const post = (m: ColumnCopyReply) => parentPort!.postMessage(m);
  try {
    const r = writeColumnCopy(job, r0 => {
      if (Atomics.load(cancel, 0)) throw CANCELLED;
      post({ t: 'progress', done: r0 });
    });
    post({ t: 'done', ...r });
  } catch (e) {
    if (e === CANCELLED) post({ t: 'cancelled' });
    else post({ t: 'failed', message: e instanceof Error ? e.message : String(e), code: (e as NodeJS.ErrnoException).code });
  }
});

// worker_threads entry: writes a dense store's column-major copy (column-copy.ts) from the values file,
// read through its own descriptor, while the builder's thread makes the pyramid and the stats. Posts
// progress per band; stops between bands when the shared cancel flag is set.
import * as fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { writeColumnCopy, type ColumnCopyJob } from './column-copy';
import { readAllAt } from './positional-io';

export type ColumnCopyReply =
  | { t: 'progress'; done: number }
  | { t: 'done'; file: string; size: number }
  | { t: 'cancelled' }
  | { t: 'failed'; message: string; code?: string };

const CANCELLED = Symbol('cancelled');

parentPort?.on('message', ({ job, cancel }: { job: ColumnCopyJob; cancel: Int32Array }) => {
  const post = (m: ColumnCopyReply) => parentPort!.postMessage(m);
  let fd = -1;
  try {
    fd = fs.openSync(job.valuesPath, 'r');
    const r = writeColumnCopy(job, (bytes, pos) => readAllAt(fd, bytes, job.valuesDataOffset + pos), r0 => {
      if (Atomics.load(cancel, 0)) throw CANCELLED;
      post({ t: 'progress', done: r0 });
    });
    post({ t: 'done', ...r });
  } catch (e) {
    if (e === CANCELLED) post({ t: 'cancelled' });
    else post({ t: 'failed', message: e instanceof Error ? e.message : String(e), code: (e as NodeJS.ErrnoException).code });
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
});

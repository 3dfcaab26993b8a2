// worker_threads entry: touches every 4 KiB page of the shared buffers it is given, in order, so that the
// kernel maps them in on this thread instead of on the thread that fills them later (fresh memory costs
// a page fault per page on first write: ~1 s per 160 MB here, more than the copy that fills it).
// Each touch is an atomic add of 0: it never changes a value, even one written concurrently.
import { parentPort } from 'node:worker_threads';

parentPort?.once('message', (buffers: SharedArrayBuffer[]) => {
  for (const b of buffers) {
    const v = new Int32Array(b, 0, b.byteLength >> 2);
    for (let i = 0; i < v.length; i += 1024) Atomics.add(v, i, 0);
  }
  parentPort!.close();
});

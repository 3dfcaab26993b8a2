// Many small positional reads spread over helper threads. A column of a wide row-major matrix read
// positionally takes one read call per element (copying the rows between from the page cache would cost
// more: ~3 µs per call against ~7 µs for an 80 KB row here). Those calls are CPU-bound in the kernel, so
// the calling thread and helper threads sharing them finish sooner, where cores are free.
//
// Protocol (one SharedArrayBuffer of int32 control words): the caller writes the job (fd, first
// position, step, item bytes, count) and sets each worker's START word to 1; a worker that wakes turns
// it into 2 (compare-exchange) and takes chunks from the shared NEXT counter, as does the caller; when
// out of chunks it sets START back to 0. The caller withdraws workers that have not woken (1 → 0) and
// waits for the others, so a job's words never change under a worker. Items land in a shared buffer.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';

/** Fewer items than this are read by the calling thread alone (waking a thread costs ~0.1 ms). */
export const PARALLEL_MIN_ITEMS = 2048;
const CHUNK = 256;
const CAPACITY = 1 << 20;
/** A worker that has not finished its part of one job in this long is given up on. */
const STALL_MS = 10_000;

// Control words.
const NEXT = 0, FD = 1, ITEM = 2, COUNT = 3, FAILED = 4, START = 8;
// Float64 words: first position, step.
const POS = 0, STEP = 1;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const ctl = new Int32Array(workerData.ctl), num = new Float64Array(workerData.num), out = new Uint8Array(workerData.out);
const me = ${START} + workerData.index;
for (;;) {
  Atomics.wait(ctl, me, 0);
  if (Atomics.compareExchange(ctl, me, 1, 2) !== 1) continue;
  const fd = ctl[${FD}], ib = ctl[${ITEM}], count = ctl[${COUNT}], pos = num[${POS}], step = num[${STEP}];
  try {
    for (let c = Atomics.add(ctl, ${NEXT}, 1); c * ${CHUNK} < count; c = Atomics.add(ctl, ${NEXT}, 1)) {
      for (let k = c * ${CHUNK}, e = Math.min(count, k + ${CHUNK}); k < e; k++) {
        if (fs.readSync(fd, out, k * ib, ib, pos + k * step) !== ib) throw new Error('short read');
      }
    }
  } catch { Atomics.store(ctl, ${FAILED}, 1); }
  Atomics.store(ctl, me, 0);
  Atomics.notify(ctl, me);
}
`;

class ParallelReader {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(4 * (START + 8)));
  private readonly num = new Float64Array(new SharedArrayBuffer(16));
  private readonly shared = new Uint8Array(new SharedArrayBuffer(CAPACITY));
  private readonly workers: Worker[] = [];
  broken = false;

  constructor(threads: number) {
    for (let i = 0; i < Math.min(threads, 8); i++) {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { ctl: this.ctl.buffer, num: this.num.buffer, out: this.shared.buffer, index: i } });
      w.unref();
      w.on('error', () => { this.broken = true; });
      w.on('exit', () => { this.broken = true; });
      this.workers.push(w);
    }
  }

  /** Reads `count` items of out.length / count bytes at pos, pos + step, ... into `out`; false when it could not (read them yourself). */
  read(fd: number, pos: number, step: number, count: number, out: Uint8Array): boolean {
    const ib = out.length / count;
    const per = Math.floor(CAPACITY / ib);
    for (let k0 = 0; k0 < count; k0 += per) {
      const n = Math.min(per, count - k0);
      if (this.broken || !this.job(fd, pos + k0 * step, step, n, ib)) return false;
      out.set(this.shared.subarray(0, n * ib), k0 * ib);
    }
    return true;
  }

  private job(fd: number, pos: number, step: number, count: number, ib: number): boolean {
    const { ctl, num, shared } = this;
    ctl[FD] = fd; ctl[ITEM] = ib; ctl[COUNT] = count; ctl[FAILED] = 0; num[POS] = pos; num[STEP] = step;
    Atomics.store(ctl, NEXT, 0);
    for (let i = 0; i < this.workers.length; i++) { Atomics.store(ctl, START + i, 1); Atomics.notify(ctl, START + i); }
    let ok = true;
    try {
      for (let c = Atomics.add(ctl, NEXT, 1); c * CHUNK < count; c = Atomics.add(ctl, NEXT, 1)) {
        for (let k = c * CHUNK, e = Math.min(count, k + CHUNK); k < e; k++) {
          if (fs.readSync(fd, shared, k * ib, ib, pos + k * step) !== ib) ok = false;
        }
      }
    } catch { ok = false; }
    for (let i = 0; i < this.workers.length; i++) {
      if (Atomics.compareExchange(ctl, START + i, 1, 0) === 1) continue; // had not woken: withdrawn
      const t0 = Date.now();
      while (Atomics.load(ctl, START + i) !== 0) {
        if (Date.now() - t0 > STALL_MS) { this.broken = true; return false; }
        Atomics.wait(ctl, START + i, 2, 100);
      }
    }
    return ok && ctl[FAILED] === 0;
  }
}

let reader: ParallelReader | null | undefined;

/** The process's parallel reader (started on first use), or null where there is no second core or no threads. */
export function parallelReader(): ParallelReader | null {
  if (reader === undefined) {
    const threads = Math.min(3, (os.availableParallelism?.() ?? os.cpus().length) - 1);
    try { reader = threads >= 1 && process.env.MATRIX_EXPLORER_READ_THREADS !== '0' ? new ParallelReader(threads) : null; } catch { reader = null; }
  }
  return reader && !reader.broken ? reader : null;
}

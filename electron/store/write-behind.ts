// Positional writes done by a helper thread, so that the thread computing what to write keeps computing
// (the pyramid writes ~1 byte per element it aggregates; the write calls cost as much as the aggregation).
//
// Protocol (SharedArrayBuffers): the caller copies a write's bytes into slot HEAD % SLOTS, records
// (fd, position, length) and bumps HEAD; the helper writes job TAIL, then bumps TAIL. A slot is reused
// only once TAIL has passed it. If a write fails, the helper stops there (STATE = STOPPED) and the
// caller takes over: it redoes every job not done, on its own thread, so the error it throws is the
// usual one. A helper that has not started within START_MS is stopped the same way (it then never
// writes), so a missing thread costs speed, never a hang or a lost write.
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { writeAllAt } from './positional-io';

const SLOTS = 16;
export const SLOT_BYTES = 1 << 18;
const START_MS = 5000;
// Control words.
const HEAD = 0, TAIL = 1, STATE = 2;
const STARTING = 0, RUNNING = 1, STOPPED = 2;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const ctl = new Int32Array(workerData.ctl), jobs = new Float64Array(workerData.jobs), data = new Uint8Array(workerData.data);
if (Atomics.compareExchange(ctl, ${STATE}, ${STARTING}, ${RUNNING}) === ${STARTING}) {
  for (;;) {
    const tail = Atomics.load(ctl, ${TAIL});
    Atomics.wait(ctl, ${HEAD}, tail);
    if (Atomics.load(ctl, ${STATE}) !== ${RUNNING}) break;
    if (Atomics.load(ctl, ${HEAD}) === tail) continue;
    const s = tail % ${SLOTS}, fd = jobs[3 * s], pos = jobs[3 * s + 1], len = jobs[3 * s + 2];
    try {
      for (let done = 0; done < len; ) done += fs.writeSync(fd, data, s * ${SLOT_BYTES} + done, len - done, pos + done);
    } catch {
      Atomics.store(ctl, ${STATE}, ${STOPPED});
      Atomics.notify(ctl, ${TAIL});
      break;
    }
    Atomics.store(ctl, ${TAIL}, tail + 1);
    Atomics.notify(ctl, ${TAIL});
  }
}
`;

export class WriteBehind {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(4 * 4));
  private readonly jobs = new Float64Array(new SharedArrayBuffer(8 * 3 * SLOTS));
  private readonly data = new Uint8Array(new SharedArrayBuffer(SLOTS * SLOT_BYTES));
  private readonly started = Date.now();
  /** The helper stopped (or never ran): every write is done on the calling thread. */
  stopped = false;

  constructor() {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { ctl: this.ctl.buffer, jobs: this.jobs.buffer, data: this.data.buffer } });
    w.unref();
    w.on('error', () => {}); // seen through STATE (a helper that never starts is stopped after START_MS)
  }

  /** Writes `bytes` at `pos` of `fd`: later, on the helper thread (the bytes are copied now). */
  write(fd: number, bytes: Uint8Array, pos: number): void {
    for (let o = 0; o < bytes.length; o += SLOT_BYTES) {
      const part = bytes.subarray(o, o + SLOT_BYTES);
      const head = this.ctl[HEAD];
      if (this.stopped || !this.waitDone(head - SLOTS + 1)) { this.takeOver(); writeAllAt(fd, part, pos + o); continue; }
      const s = head % SLOTS;
      this.data.set(part, s * SLOT_BYTES);
      this.jobs[3 * s] = fd; this.jobs[3 * s + 1] = pos + o; this.jobs[3 * s + 2] = part.length;
      Atomics.store(this.ctl, HEAD, head + 1);
      Atomics.notify(this.ctl, HEAD);
    }
  }

  /** Returns when every write handed over is on its file (throwing the first write error, if any). */
  drain(): void {
    if (!this.stopped && !this.waitDone(this.ctl[HEAD])) this.takeOver();
  }

  /** Waits until TAIL ≥ n: true, or false once the helper has stopped or not started in time. */
  private waitDone(n: number): boolean {
    for (;;) {
      const tail = Atomics.load(this.ctl, TAIL);
      if (tail >= n) return true;
      const state = Atomics.load(this.ctl, STATE);
      if (state === STOPPED) return false;
      if (state === STARTING && Date.now() - this.started > START_MS &&
          Atomics.compareExchange(this.ctl, STATE, STARTING, STOPPED) === STARTING) return false;
      Atomics.wait(this.ctl, TAIL, tail, 50);
    }
  }

  /** The helper writes no more: the jobs it has not done are written here, in order; the first error is thrown after. */
  private takeOver(): void {
    if (this.stopped) return;
    this.stopped = true;
    Atomics.store(this.ctl, STATE, STOPPED);
    Atomics.notify(this.ctl, HEAD);
    let error: unknown;
    for (let j = this.ctl[TAIL]; j < this.ctl[HEAD]; j++) {
      const s = j % SLOTS;
      try {
        writeAllAt(this.jobs[3 * s], this.data.subarray(s * SLOT_BYTES, s * SLOT_BYTES + this.jobs[3 * s + 2]), this.jobs[3 * s + 1]);
      } catch (e) { error ??= e; }
    }
    this.ctl[TAIL] = this.ctl[HEAD];
    if (error) throw error;
  }
}

let shared: WriteBehind | null | undefined;

/**
 * The process's write-behind helper (a new one after a failure stopped the last), or null where there is
 * no second core or no threads (write on the calling thread then).
 */
export function writeBehind(): WriteBehind | null {
  if (shared === undefined || shared?.stopped) {
    try {
      shared = (os.availableParallelism?.() ?? os.cpus().length) >= 2 ? new WriteBehind() : null;
    } catch { shared = null; }
  }
  return shared;
}

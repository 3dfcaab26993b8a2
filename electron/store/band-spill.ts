// Per-band temporary files: entries are appended to the file of their band (through a small buffer
// per band), then each band is loaded back alone. Lets the builders sort any number of entries in
// bounded memory. A file holds blocks of `cap` entries (the last one shorter), each block storing
// its fields one after the other.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bytesOf, readAllAt, writeAllAt } from './positional-io';

type Field = Uint8Array | Uint16Array | Uint32Array | Float64Array;
type FieldCtor = { new (n: number): Field; readonly BYTES_PER_ELEMENT: number };
export interface FieldSpec { ctor: FieldCtor; width: number }

export class BandSpill {
  /** Per band, its buffer arrays (one per field), created on first use. */
  readonly bufs: (Field[] | undefined)[];
  private readonly fill: Float64Array;
  readonly counts: Float64Array;
  private readonly pos: Float64Array;
  private readonly fds: (number | undefined)[];
  private readonly files: string[];

  constructor(dir: string, name: string, nbands: number, private readonly fields: FieldSpec[], readonly cap: number) {
    this.bufs = new Array(nbands).fill(undefined);
    this.fill = new Float64Array(nbands);
    this.counts = new Float64Array(nbands);
    this.pos = new Float64Array(nbands);
    this.fds = new Array(nbands).fill(undefined);
    fs.mkdirSync(dir, { recursive: true });
    this.files = Array.from({ length: nbands }, (_, b) => path.join(dir, `${name}-${b}.bin`));
  }

  /** Bytes per entry in a spill file. */
  static entryBytes(fields: FieldSpec[]): number { return fields.reduce((s, f) => s + f.ctor.BYTES_PER_ELEMENT * f.width, 0); }

  /** Index in band b's buffer where the caller writes the next entry's fields. */
  slot(b: number): number {
    let buf = this.bufs[b];
    if (!buf) buf = this.bufs[b] = this.fields.map(f => new f.ctor(this.cap * f.width));
    if (this.fill[b] === this.cap) this.flush(b);
    this.counts[b]++;
    return this.fill[b]++;
  }

  private flush(b: number): void {
    const n = this.fill[b];
    const buf = this.bufs[b];
    if (n === 0 || !buf) return;
    let fd = this.fds[b];
    if (fd === undefined) fd = this.fds[b] = fs.openSync(this.files[b], 'w+');
    for (let i = 0; i < buf.length; i++) {
      const bytes = bytesOf(buf[i].subarray(0, n * this.fields[i].width));
      writeAllAt(fd, bytes, this.pos[b]);
      this.pos[b] += bytes.length;
    }
    this.fill[b] = 0;
  }

  /** Flushes every buffer and frees them. */
  finishWriting(): void {
    for (let b = 0; b < this.bufs.length; b++) { this.flush(b); this.bufs[b] = undefined; }
  }

  /** Band b's entries in append order, one array per field; deletes its file. */
  load(b: number): Field[] {
    const m = this.counts[b];
    const out = this.fields.map(f => new f.ctor(m * f.width));
    const fd = this.fds[b];
    if (fd === undefined) return out;
    let pos = 0;
    for (let start = 0; start < m; start += this.cap) {
      const n = Math.min(this.cap, m - start);
      for (let i = 0; i < out.length; i++) {
        const w = this.fields[i].width;
        const dst = bytesOf(out[i].subarray(start * w, (start + n) * w));
        readAllAt(fd, dst, pos);
        pos += dst.length;
      }
    }
    fs.closeSync(fd);
    this.fds[b] = undefined;
    fs.rmSync(this.files[b], { force: true });
    return out;
  }

  dispose(): void {
    for (let b = 0; b < this.fds.length; b++) {
      const fd = this.fds[b];
      if (fd !== undefined) { try { fs.closeSync(fd); } catch { /* closed */ } }
      fs.rmSync(this.files[b], { force: true });
    }
  }
}

/**
 * Splits [0, counts.length) into consecutive bands whose entry counts sum to at most `perBand`
 * (a single longer row/column gets a band of its own). Returns band starts plus the end.
 */
export function splitBands(counts: Float64Array | Uint32Array, perBand: number): number[] {
  const starts = [0];
  let acc = 0;
  for (let i = 0; i < counts.length; i++) {
    if (acc > 0 && acc + counts[i] > perBand) { starts.push(i); acc = 0; }
    acc += counts[i];
  }
  starts.push(counts.length);
  return starts;
}

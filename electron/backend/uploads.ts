// Files the user hands the page (drag and drop, file picker): written under `<cache>/uploads/`, named
// by a hash of their content so the same upload reuses its store. Big uploads arrive in chunks (any
// order, re-sendable after a reconnect) and are never held whole in memory here.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { BackendError } from './error-payload';

interface Pending { tmp: string; handle: fs.FileHandle; chunks: Map<number, number>; size: number; touched: number; writing: Promise<unknown> }

const ID = /^[A-Za-z0-9_-]{8,64}$/;

const covered = (p: Pending): number => { let n = 0; for (const len of p.chunks.values()) n += len; return n; };

export class Uploads {
  private readonly pending = new Map<string, Pending>();
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(readonly dir: string, readonly maxBytes: number, readonly idleMs = 10 * 60_000) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(idleMs, 60_000));
    this.sweeper.unref();
  }

  private tooBig(name: string, size: number): BackendError {
    return new BackendError('bad-input', `${name}: too big to upload (${size} bytes; the limit is ${this.maxBytes}); open it by path instead`);
  }

  /** Writes one chunk of upload `id` at `offset` (chunks must not overlap; a re-sent one replaces itself). Returns the bytes received so far. */
  async chunk(id: string, offset: number, bytes: Uint8Array): Promise<number> {
    if (!ID.test(id)) throw new BackendError('bad-input', 'upload: bad upload id');
    if (!Number.isSafeInteger(offset) || offset < 0) throw new BackendError('bad-input', 'upload: bad offset');
    if (offset + bytes.byteLength > this.maxBytes) throw this.tooBig('upload', offset + bytes.byteLength);
    let p = this.pending.get(id);
    if (!p) {
      await fs.mkdir(this.dir, { recursive: true });
      const tmp = path.join(this.dir, `.${id}.${process.pid}.part`);
      p = { tmp, handle: await fs.open(tmp, 'w'), chunks: new Map(), size: 0, touched: Date.now(), writing: Promise.resolve() };
      this.pending.set(id, p);
    }
    const entry = p;
    entry.touched = Date.now();
    const write = entry.writing.then(() => entry.handle.write(bytes, 0, bytes.byteLength, offset));
    entry.writing = write.catch(() => undefined);
    await write;
    entry.chunks.set(offset, bytes.byteLength);
    entry.size = Math.max(entry.size, offset + bytes.byteLength);
    return covered(entry);
  }

  /** Completes upload `id` of `size` bytes; returns the file to convert. */
  async finish(id: string, name: string, size: number): Promise<string> {
    const p = this.pending.get(id);
    if (!p) throw new BackendError('bad-input', `${name}: upload not found (it may have expired); drop the file again`);
    this.pending.delete(id);
    await p.writing;
    await p.handle.close();
    try {
      if (p.size !== size || covered(p) !== size) throw new BackendError('bad-input', `${name}: upload incomplete (${covered(p)} of ${size} bytes)`);
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(p.tmp)) hash.update(chunk as Buffer);
      return await this.place(name, hash.digest('hex'), size, async target => fs.rename(p.tmp, target));
    } finally {
      await fs.rm(p.tmp, { force: true });
    }
  }

  /** A whole upload in one piece. */
  async fromBytes(name: string, bytes: Uint8Array): Promise<string> {
    if (bytes.byteLength > this.maxBytes) throw this.tooBig(name, bytes.byteLength);
    const digest = createHash('sha256').update(bytes).digest('hex');
    return this.place(name, digest, bytes.byteLength, async target => {
      const tmp = `${target}.${process.pid}.${Date.now()}.part`;
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, target);
    });
  }

  private async place(name: string, digest: string, size: number, write: (target: string) => Promise<void>): Promise<string> {
    const safe = path.basename(name.replace(/\\/g, '/')).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '').slice(-100) || 'upload';
    const file = path.join(this.dir, `${digest.slice(0, 16)}-${safe}`);
    const existing = await fs.stat(file).catch(() => null);
    if (existing && existing.size === size) return file; // same content: keep the file (and its cached store)
    await fs.mkdir(this.dir, { recursive: true });
    await write(file);
    return file;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, p] of this.pending) {
      if (now - p.touched < this.idleMs) continue;
      this.pending.delete(id);
      void p.writing.then(() => p.handle.close()).catch(() => undefined).then(() => fs.rm(p.tmp, { force: true }));
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    for (const p of this.pending.values()) {
      await p.writing;
      await p.handle.close().catch(() => undefined);
      await fs.rm(p.tmp, { force: true });
    }
    this.pending.clear();
  }
}

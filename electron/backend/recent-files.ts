// The recent-files list: newest first, one entry per path, persisted as JSON (`recent.json` in the cache dir).
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { RecentEntry } from '../../shared/client';

export class RecentFiles {
  private entries: RecentEntry[] | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly file: string, readonly limit = 20) {}

  async list(): Promise<RecentEntry[]> {
    if (!this.entries) this.entries = await this.load();
    return this.entries.map(e => ({ ...e }));
  }

  /** Puts `path` at the top (replacing an older entry for it) and saves the list. */
  async add(entry: RecentEntry): Promise<void> {
    const current = await this.list();
    this.entries = [entry, ...current.filter(e => e.path !== entry.path)].slice(0, this.limit);
    const text = JSON.stringify(this.entries, null, 1);
    // Writes are chained so the file always ends up with the last list; a failed write is not fatal.
    this.writing = this.writing.then(() => this.save(text)).catch(() => undefined);
    await this.writing;
  }

  private async load(): Promise<RecentEntry[]> {
    try {
      const data = JSON.parse(await fs.readFile(this.file, 'utf8'));
      if (!Array.isArray(data)) return [];
      return data.filter((e): e is RecentEntry => !!e && typeof e.path === 'string' && typeof e.openedAt === 'string').slice(0, this.limit);
    } catch {
      return []; // missing or unreadable: start afresh
    }
  }

  private async save(text: string): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, this.file);
  }
}

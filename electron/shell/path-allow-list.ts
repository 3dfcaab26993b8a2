// File access only to files the user chose: through the Open dialog, drag and drop, the command line or the
// recent list. The renderer may ask to open a path; the main process checks it here first.
import * as path from 'node:path';

export type AllowReason = 'dialog' | 'drop' | 'argv' | 'recent' | 'store';

export class PathAllowList {
  private readonly allowed = new Map<string, AllowReason>();

  /** Normalised absolute form used for comparisons (case-folded on case-insensitive platforms). */
  static key(p: string, platform: NodeJS.Platform = process.platform): string {
    const abs = platform === 'win32' ? path.win32.resolve(p) : path.posix.resolve(p);
    return platform === 'win32' || platform === 'darwin' ? abs.toLowerCase() : abs;
  }

  constructor(private readonly platform: NodeJS.Platform = process.platform) {}

  allow(p: string, reason: AllowReason): string {
    if (typeof p !== 'string' || p.length === 0 || p.includes('\0')) throw new Error('not a file path');
    const key = PathAllowList.key(p, this.platform);
    this.allowed.set(key, reason);
    return key;
  }

  isAllowed(p: unknown): boolean {
    if (typeof p !== 'string' || p.length === 0 || p.includes('\0')) return false;
    return this.allowed.has(PathAllowList.key(p, this.platform));
  }

  reason(p: string): AllowReason | undefined { return this.allowed.get(PathAllowList.key(p, this.platform)); }

  /** Throws a readable error when the path was not chosen by the user. */
  check(p: unknown): string {
    if (!this.isAllowed(p)) throw new Error(`Not allowed to open ${typeof p === 'string' ? p : String(p)}: choose it with File › Open…, drag it onto the window, or pass it on the command line.`);
    return p as string;
  }

  get size(): number { return this.allowed.size; }
}

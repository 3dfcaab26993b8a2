// A source file's fingerprint: path, size, mtime and a hash of up to 64 KiB at its head, middle and
// tail. A store whose manifest records the same fingerprint is reused instead of converting again.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { SourceInfo } from '../../shared/store-manifest';

export type Fingerprint = Pick<SourceInfo, 'path' | 'size' | 'mtimeMs' | 'sample'>;

const SAMPLE = 64 * 1024;

export function fingerprint(file: string): Fingerprint {
  const abs = path.resolve(file);
  const fd = fs.openSync(abs, 'r');
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error(`${abs}: is a directory`), { code: 'EISDIR', path: abs });
    const hash = createHash('sha256');
    const size = st.size;
    const starts = size <= 3 * SAMPLE ? [0] : [0, Math.floor(size / 2 - SAMPLE / 2), size - SAMPLE];
    const buf = Buffer.alloc(Math.min(size, size <= 3 * SAMPLE ? size : SAMPLE));
    for (const start of starts) {
      let got = 0;
      while (got < buf.length) {
        const n = fs.readSync(fd, buf, got, buf.length - got, start + got);
        if (n === 0) break;
        got += n;
      }
      hash.update(buf.subarray(0, got));
    }
    return { path: abs, size, mtimeMs: st.mtimeMs, sample: hash.digest('hex').slice(0, 32) };
  } finally {
    fs.closeSync(fd);
  }
}

export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return a.path === b.path && a.size === b.size && a.mtimeMs === b.mtimeMs && a.sample === b.sample;
}

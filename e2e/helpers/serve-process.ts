// Starts the real browser-mode server (`matrix-explorer serve FILE --port 0 --no-open`) as a subprocess
// with its own store cache, and reads the URL it prints. With `file` null the server starts on no matrix
// (the page shows its open bar).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO = join(__dirname, '..', '..');

export interface Served {
  url: string;
  origin: string;
  token: string;
  cache: string;
  output(): string;
  /** The backend's counters (conversions, store opens, sessions). */
  stats(): Promise<{ conversions: number; storeOpens: number; sessions: number; opened: number }>;
  stop(): Promise<void>;
}

export async function startServe(file: string | null, opts: { cache?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<Served> {
  const cache = opts.cache ?? mkdtempSync(join(tmpdir(), 'mx-e2e-cache-'));
  const ownsCache = !opts.cache;
  const child: ChildProcess = spawn(process.execPath, [join(REPO, 'bin', 'matrix-explorer.js'), 'serve', ...(file === null ? [] : [file]), '--port', '0', '--no-open'], {
    cwd: REPO, env: { ...process.env, MATRIX_EXPLORER_CACHE: cache, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', d => { out += d; });
  child.stderr!.on('data', d => { out += d; });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within ${opts.timeoutMs ?? 120_000} ms:\n${out}`)), opts.timeoutMs ?? 120_000);
    const check = () => {
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)\s*$/m.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout!.on('data', check);
    child.on('exit', code => { clearTimeout(timer); reject(new Error(`serve exited (${code}) before printing a URL:\n${out}`)); });
  });
  const u = new URL(url);
  const token = u.searchParams.get('token')!;
  return {
    url, origin: u.origin, token, cache,
    output: () => out,
    async stats() {
      const r = await fetch(`${u.origin}/api/stats?token=${token}`);
      if (!r.ok) throw new Error(`/api/stats: ${r.status}`);
      return r.json() as never;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise<void>(r => { const t = setTimeout(() => { child.kill('SIGKILL'); r(); }, 5000); child.once('exit', () => { clearTimeout(t); r(); }); });
      }
      if (ownsCache) rmSync(cache, { recursive: true, force: true });
    },
  };
}

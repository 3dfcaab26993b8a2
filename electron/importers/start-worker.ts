// Starts a parse worker thread from its module next to the caller: the compiled `.js`, or, when running from
// TypeScript sources (tests, bench, unbuilt checkout), the `.ts` through tsx's require hook.
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';

export function startWorker(dir: string, name: string): Worker {
  const fromSource = __filename.endsWith('.ts');
  const file = join(dir, `${name}${fromSource ? '.ts' : '.js'}`);
  if (!fromSource) return new Worker(file);
  const code = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`;
  return new Worker(code, { eval: true });
}

// One cold slice, in a process of its own: `node --import tsx bench/cold-slice.ts STORE MODE AXIS INDEX` opens
// the store in MODE (mapped | paged), reads row or column INDEX once and prints the milliseconds it took. The
// engine bench drops the page cache before each run; a fresh process holds no mapping that would keep pages
// cached (drop_caches leaves pages a process has mapped), so the figure is a real first read.
import { openEngine, type SourceMode } from '../electron/engine/open-engine';

async function main(): Promise<void> {
  const [store, mode, axis, index] = process.argv.slice(2);
  const e = await openEngine(store, { mode: mode as SourceMode });
  const t = performance.now();
  await e.query(axis as 'row' | 'col', { index: Number(index) });
  console.log((performance.now() - t).toFixed(3));
  await e.close();
}
void main();

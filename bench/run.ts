// `npm run bench`: every benchmark, each printing its figures and, where there is one, the ratio
// against NumPy/SciPy measured in the same run. Big inputs are generated once into bench/.data/.
// `npm run bench -- import-mtx engine` runs only the named ones.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const all = ['import-mtx', 'import-dense', 'import', 'engine', 'memory', 'rpc', 'ui'];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : all;
  for (const name of names) {
    const file = join(__dirname, `${name}.ts`);
    if (!existsSync(file)) { console.log(`\n== ${name}: not present, skipped`); continue; }
    console.log(`\n== ${name}`);
    const mod = await import(file) as { bench?: () => Promise<void> };
    if (typeof mod.bench !== 'function') { console.log(`   ${name}.ts exports no bench()`); continue; }
    const t0 = Date.now();
    try { await mod.bench(); } catch (e) { console.log(`   FAILED: ${(e as Error).stack ?? e}`); process.exitCode = 1; }
    console.log(`   (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
}
void main();

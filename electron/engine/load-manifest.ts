// Reads a store's manifest. Uses the store module's verified reader; while that is still a stub,
// reads manifest.json directly (the switch-over is automatic).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StoreManifest } from '../../shared/store-manifest';
import { readStoreManifest } from '../store/open-store';
import { EngineError } from './engine-error';

export async function loadManifest(storePath: string): Promise<StoreManifest> {
  try {
    return await readStoreManifest(storePath);
  } catch (e) {
    if (!(e instanceof Error) || !/not implemented/.test(e.message)) throw e;
  }
  const file = path.join(storePath, 'manifest.json');
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch {
    throw new EngineError('not-found', `${storePath}: not a matrix store (no manifest.json)`);
  }
  try { return JSON.parse(text) as StoreManifest; } catch (e) {
    throw new EngineError('store-corrupt', `${file}: not valid JSON (${(e as Error).message})`);
  }
}

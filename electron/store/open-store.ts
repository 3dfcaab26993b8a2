// Opens a store's manifest and checks the store is whole (stub until written).
import type { StoreManifest } from '../../shared/store-manifest';

/** Reads and verifies `manifest.json` and the files it lists (sizes, .npy headers); O(1) in the store's size. Throws StoreCorruptError. */
export async function readStoreManifest(storePath: string): Promise<StoreManifest> {
  throw new Error(`store open not implemented yet (${storePath})`);
}

export class StoreCorruptError extends Error {
  readonly code = 'store-corrupt';
}

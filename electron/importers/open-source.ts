// Picks the importer for a file by its extension and first bytes (stub until written).
import type { MatrixSource } from './matrix-source';

export async function openSource(path: string): Promise<MatrixSource> {
  throw new Error(`import not implemented yet (${path})`);
}

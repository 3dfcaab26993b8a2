// Matrix Market importer (stub until written).
import type { MatrixSource } from '../matrix-source';

export async function openMtx(path: string): Promise<MatrixSource> {
  throw new Error(`Matrix Market import not implemented yet (${path})`);
}

// Where the e2e tests leave screenshots and exported files for a person to look at (gitignored).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

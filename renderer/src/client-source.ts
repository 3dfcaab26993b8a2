// Picks the MatrixClient: `?fake=1` (or `?fake=sparse`, `?fake=slow`) → synthetic data for development;
// otherwise the backend's client (renderer/src/backend/, written by the backend engineer).
import type { MatrixClient } from '../../shared/client';
import { createFakeClient } from './dev/fake-client';

type BackendModule = { getClient?: () => MatrixClient };
const backends = import.meta.glob<BackendModule>(['./backend/*.ts', '!./backend/*.test.ts'], { eager: true });

export function pickClient(): MatrixClient {
  const fake = new URLSearchParams(location.search).get('fake');
  if (fake) return createFakeClient(fake === '1' ? 'dense' : fake);
  for (const mod of Object.values(backends)) if (typeof mod.getClient === 'function') return mod.getClient();
  throw new Error('No backend client is available in this build (renderer/src/backend/ has no getClient). Open with ?fake=1 for synthetic data.');
}

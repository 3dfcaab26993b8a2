// Entry point of the explorer UI. Kept small on purpose: it connects to the backend and asks for the
// current matrix first, then loads React and the app (./boot, a separate chunk) while the socket opens,
// so the connection and the first answer no longer wait for ~300 KB of script to be parsed and run.
import type { MatrixInfo } from '../../shared/queries';
import type { MatrixClient } from '../../shared/client';
import { perfMark } from './perf-mark';
import { pickClient } from './client-source';
import { prefetchOverview } from './initial-viewport';
import './styles.css';

perfMark('main');
let client: MatrixClient | null = null;
let initial: Promise<MatrixInfo | null> | undefined;
let failure: unknown = null;
try {
  client = pickClient();
  perfMark('current-sent');
  initial = client.current();
  const c = client;
  initial.then(info => {
    perfMark('current-reply');
    if (info) { perfMark('viewport-sent'); prefetchOverview(c, info, { width: innerWidth, height: innerHeight }); }
  }, () => undefined); // failures are shown by the app once it is mounted
} catch (e) {
  failure = e;
}
void import('./boot').then(m => m.boot(client, initial, failure));

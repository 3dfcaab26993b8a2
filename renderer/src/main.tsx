// Entry point of the explorer UI. Kept small on purpose: it connects to the backend, asks for the current
// matrix and, as soon as that is known, for the first coarse raster; only then does it run React and the
// app (./boot, a separate chunk the browser already fetched and compiled, see vite.config.ts). Running the
// ~300 KB boot chunk blocks the page for a few hundred ms: started earlier it held up the answer to
// current() and so the raster request; now the server computes the raster while React mounts, and the app
// mounts straight onto the matrix instead of a "Connecting…" screen first.
import type { MatrixInfo } from '../../shared/queries';
import type { MatrixClient } from '../../shared/client';
import { perfMark } from './perf-mark';
import { pickClient } from './client-source';
import { prefetchOverview } from './initial-viewport';
import { warmUp } from './warm-up';
import './styles.css';

/** Longest the app waits for current() before mounting anyway (it then shows "Connecting…" and waits itself). */
const CURRENT_WAIT_MS = 1500;

perfMark('main');
let client: MatrixClient | null = null;
let initial: Promise<MatrixInfo | null> | undefined;
let failure: unknown = null;
let known: { info: MatrixInfo | null } | undefined;
try {
  client = pickClient();
  perfMark('current-sent');
  initial = client.current();
  const c = client;
  initial.then(info => {
    perfMark('current-reply');
    known = { info };
    if (info) { perfMark('viewport-sent'); prefetchOverview(c, info, { width: innerWidth, height: innerHeight }); }
  }, () => undefined); // failures are shown by the app once it is mounted
  warmUp(client); // while the server answers
} catch (e) {
  failure = e;
}
const answered = initial ? initial.then(() => undefined, () => undefined) : Promise.resolve();
void Promise.race([answered, new Promise<void>(r => setTimeout(r, CURRENT_WAIT_MS))])
  .then(() => import('./boot'))
  .then(m => m.boot(client, known ?? initial, failure));

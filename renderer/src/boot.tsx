// Mounts the app (loaded by main.tsx once the current matrix is known, or still being asked for).
import { createRoot } from 'react-dom/client';
import type { MatrixClient } from '../../shared/client';
import type { MatrixInfo } from '../../shared/queries';
import { App } from './App';
import { readable } from './errors';
import { perfMark } from './perf-mark';

/** `initial`: the current matrix as answered already, or the pending answer, or undefined (the app asks). */
export function boot(client: MatrixClient | null, initial: { info: MatrixInfo | null } | Promise<MatrixInfo | null> | undefined, failure: unknown): void {
  perfMark('boot');
  const root = createRoot(document.getElementById('root')!);
  try {
    if (!client) throw failure;
    root.render(<App client={client} initial={initial} />);
  } catch (e) {
    root.render(<div className="error banner" data-testid="open-error" role="alert">{readable(e)}</div>);
  }
}

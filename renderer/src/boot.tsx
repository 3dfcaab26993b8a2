// Mounts the app (loaded by main.tsx after it has started connecting).
import { createRoot } from 'react-dom/client';
import type { MatrixClient } from '../../shared/client';
import type { MatrixInfo } from '../../shared/queries';
import { App } from './App';
import { readable } from './errors';
import { perfMark } from './perf-mark';

export function boot(client: MatrixClient | null, initial: Promise<MatrixInfo | null> | undefined, failure: unknown): void {
  perfMark('boot');
  const root = createRoot(document.getElementById('root')!);
  try {
    if (!client) throw failure;
    root.render(<App client={client} initial={initial} />);
  } catch (e) {
    root.render(<div className="error banner" data-testid="open-error" role="alert">{readable(e)}</div>);
  }
}

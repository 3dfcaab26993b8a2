// The one client the UI uses: the Electron preload's bridge (`window.matrixExplorer`) when present,
// else the browser-mode WebSocket client (made once per page).
import type { MatrixClient } from '../../../shared/client';
import { connectBrowserClient } from './browser-client';

let browser: MatrixClient | null = null;

export function getClient(): MatrixClient {
  const bridge = (globalThis as { matrixExplorer?: MatrixClient }).matrixExplorer;
  if (bridge) return bridge;
  return (browser ??= connectBrowserClient());
}

// The UI's live state for tests and benchmarks, as `window.__explorer` (types in shared/view/explorer-probe).
import type { ExplorerHook } from '../../shared/view/explorer-probe';

export type { ExplorerHook, HeatmapProbe } from '../../shared/view/explorer-probe';

export function hook(): ExplorerHook {
  if (!window.__explorer) window.__explorer = { info: null, windowId: '', heatmaps: [], openedAt: performance.now() };
  return window.__explorer;
}

// A read-only window into the UI's live state for tests and benchmarks (what is drawn, what was asked).
import type { MatrixInfo, ViewportRequest } from '../../shared/queries';
import type { View } from '../../shared/tile-math';

export interface HeatmapProbe {
  view: View;
  /** Block of the raster currently drawn (0 before the first). */
  block: number;
  lastRequest: ViewportRequest | null;
  requests: number;
  /** performance.now() of the last raster paint. */
  paintedAt: number;
  /** Frame times (ms) of the last redraws. */
  frameTimes: number[];
}

export interface ExplorerHook {
  info: MatrixInfo | null;
  windowId: string;
  heatmaps: HeatmapProbe[];
  /** Time origin of the last open (performance.now()). */
  openedAt: number;
}

export function hook(): ExplorerHook {
  if (!window.__explorer) window.__explorer = { info: null, windowId: '', heatmaps: [], openedAt: performance.now() };
  return window.__explorer;
}

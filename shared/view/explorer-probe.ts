// Types of the read-only probe the UI exposes as `window.__explorer` for tests and benchmarks
// (what is drawn, what was asked). Types only.
import type { MatrixInfo, ViewportRequest } from '../queries';
import type { View } from '../tile-math';

export interface HeatmapProbe {
  view: View;
  /** Block of the raster currently drawn (0 before the first). */
  block: number;
  lastRequest: ViewportRequest | null;
  requests: number;
  /** performance.now() of the last raster paint, and of the first one. */
  paintedAt: number;
  firstPaintAt: number;
  /** performance.now() when the first viewport answer arrived. */
  firstResultAt: number;
  /** performance.now() when the first full-resolution (not coarse) viewport answer arrived; 0 before. */
  fullResultAt: number;
  /** performance.now() when the whole-matrix colour clamp (percentiles) arrived; 0 before. */
  clampedAt: number;
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

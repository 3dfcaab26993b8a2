// The first, coarse raster of a just-opened matrix, asked for as soon as the matrix is known (main.tsx,
// before React is loaded and the page laid out) so that the server works on it in parallel with the
// page's start-up. The first heatmap takes it (once) in place of its own coarse request; it only needs
// to cover the fitted view, which for a freshly opened matrix is the whole matrix.
import type { MatrixClient } from '../../shared/client';
import type { MatrixInfo, ViewportRequest, ViewportResult } from '../../shared/queries';
import { perfMark } from './perf-mark';
import { fitView, viewportRequest, type Size } from '../../shared/tile-math';

export interface Prefetched { id: string; req: ViewportRequest; result: Promise<ViewportResult> }

let pending: Prefetched | null = null;

/** The plot area the first heatmap will roughly get in a window of this size (see styles.css). */
export function guessPlotSize(win: { width: number; height: number }): Size {
  return { width: Math.max(64, Math.floor(win.width * 0.6) - 80), height: Math.max(64, win.height - 150) };
}

/** The coarse request (a quarter of the plot's pixels) for the fitted view of `shape` on a plot of `plot`. */
export function coarseOverview(shape: [number, number], plot: Size): ViewportRequest | null {
  const req = viewportRequest(fitView(shape, plot), shape, plot, 1);
  return req && { ...req, width: Math.max(1, Math.ceil(req.width / 4)), height: Math.max(1, Math.ceil(req.height / 4)) };
}

export function prefetchOverview(client: MatrixClient, info: MatrixInfo, win: { width: number; height: number }): void {
  const req = coarseOverview(info.shape, guessPlotSize(win));
  if (!req) return;
  const result = client.query(info.id, 'viewport', req);
  result.then(() => perfMark('overview-result'), () => undefined); // the heatmap handles failures when it takes it
  pending = { id: info.id, req, result };
}

/** The prefetched raster of matrix `id`, handed out once. */
export function takeOverview(id: string): Prefetched | null {
  const p = pending;
  if (!p || p.id !== id) return null;
  pending = null;
  return p;
}

// One-time costs of drawing the first heatmap, paid while the page waits for the server (for the current
// matrix, or for an open typed later) instead of between the first raster's arrival and its paint: the
// canvas font (the first text drawn on any canvas resolves the font family and its fallbacks) and the first
// read of the saved preferences (localStorage's first access loads its storage area). Small on purpose:
// main.tsx runs it before React is even loaded.
import type { MatrixClient } from '../../shared/client';
import { FONT } from './canvas-font';

export function warmUp(client: MatrixClient | null): void {
  try {
    const ctx = document.createElement('canvas').getContext('2d');
    if (ctx) { ctx.font = FONT; ctx.fillText('0.5−1e+3', 0, 10); }
    void client?.prefs?.().catch(() => undefined);
  } catch { /* only a head start: the heatmap does all of this itself when it needs it */ }
}

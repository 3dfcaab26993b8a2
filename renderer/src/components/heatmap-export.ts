// Exports of the canvas heatmap: PNG at 1×/2×/4× (plot + axes + colour bar redrawn at that scale), SVG
// (the raster as an embedded PNG image, axes and colour bar as vector text), and the visible raster as CSV.
import type { MatrixClient } from '../../../shared/client';
import type { MatrixInfo } from '../../../shared/queries';
import type { Size, View } from '../../../shared/tile-math';
import { scaleValueAt, type ColorScale } from '../../../shared/view/color-scale';
import type { CellMode } from '../../../shared/view/cell-values';
import type { ColormapName } from '../../../shared/colormaps';
import { colToX, rowToY } from '../../../shared/tile-math';
import { niceTicks, formatNumber } from '../../../shared/view/ticks';
import { COLORBAR, drawColorbar, drawFrame, MARGIN, type Marks, type Raster } from './heatmap-draw';
import { exportStem, canvasToPng, MIME, saveBytes, toCsv } from '../save-bytes';

export interface HeatmapExportContext {
  client: MatrixClient;
  info: MatrixInfo;
  view: View;
  size: Size;
  raster: Raster;
  marks: Marks;
  scale: ColorScale;
  colormap: ColormapName | 'spy';
  title: string;
  mode: CellMode;
}

/** The whole figure (plot, axes, colour bar) drawn at `scale` device pixels per CSS pixel. */
export function renderFigure(c: HeatmapExportContext, scale: number, withMarks = true): HTMLCanvasElement {
  const W = c.size.width + COLORBAR.width, H = c.size.height;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(W * scale); canvas.height = Math.round(H * scale);
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  drawFrame(ctx, c.size, c.view, c.info.shape, c.raster, withMarks ? { ...c.marks, box: null } : { cursor: null, selection: null, box: null });
  ctx.setTransform(scale, 0, 0, scale, c.size.width * scale, 0);
  drawColorbar(ctx, { width: COLORBAR.width, height: H }, c.scale, c.colormap, c.title);
  return canvas;
}

export async function exportHeatmapPng(c: HeatmapExportContext, scale: number): Promise<string> {
  const bytes = await canvasToPng(renderFigure(c, scale));
  return saveBytes(c.client, `${exportStem(c.info)}-heatmap@${scale}x.png`, bytes, MIME.png);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function exportHeatmapSvg(c: HeatmapExportContext): Promise<string> {
  const plot = { width: c.size.width - MARGIN.left - MARGIN.right, height: c.size.height - MARGIN.top - MARGIN.bottom };
  // the plot area (cells only) as an image at 2× for crispness
  const fig = renderFigure(c, 2, false);
  const crop = document.createElement('canvas');
  crop.width = plot.width * 2; crop.height = plot.height * 2;
  crop.getContext('2d')!.drawImage(fig, MARGIN.left * 2, MARGIN.top * 2, plot.width * 2, plot.height * 2, 0, 0, plot.width * 2, plot.height * 2);
  const plotPng = crop.toDataURL('image/png');
  const bar = document.createElement('canvas');
  bar.width = COLORBAR.barWidth * 2; bar.height = (c.size.height - COLORBAR.top - COLORBAR.bottom) * 2;
  bar.getContext('2d')!.drawImage(fig, (c.size.width + 6) * 2, COLORBAR.top * 2, bar.width, bar.height, 0, 0, bar.width, bar.height);
  const W = c.size.width + COLORBAR.width, H = c.size.height;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="11">`);
  parts.push(`<title>${esc(exportStem(c.info))} heatmap</title>`);
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  parts.push(`<image x="${MARGIN.left}" y="${MARGIN.top}" width="${plot.width}" height="${plot.height}" preserveAspectRatio="none" href="${plotPng}"/>`);
  parts.push(`<rect x="${MARGIN.left + 0.5}" y="${MARGIN.top + 0.5}" width="${plot.width - 1}" height="${plot.height - 1}" fill="none" stroke="#4b5563"/>`);
  const v = c.view, shape = c.info.shape;
  for (const t of niceTicks(Math.max(0, v.c0), Math.min(shape[1], v.c1), Math.max(2, Math.floor(plot.width / 90)), true)) {
    const x = MARGIN.left + colToX(v, plot, t + 0.5 * Number(v.c1 - v.c0 < 40));
    if (x < MARGIN.left - 1 || x > MARGIN.left + plot.width + 1) continue;
    parts.push(`<line x1="${x}" y1="${MARGIN.top - 4}" x2="${x}" y2="${MARGIN.top}" stroke="#374151"/><text x="${x}" y="${MARGIN.top - 6}" text-anchor="middle" fill="#374151">${esc(formatNumber(t))}</text>`);
  }
  for (const t of niceTicks(Math.max(0, v.r0), Math.min(shape[0], v.r1), Math.max(2, Math.floor(plot.height / 50)), true)) {
    const y = MARGIN.top + rowToY(v, plot, t + 0.5 * Number(v.r1 - v.r0 < 40));
    if (y < MARGIN.top - 1 || y > MARGIN.top + plot.height + 1) continue;
    parts.push(`<line x1="${MARGIN.left - 4}" y1="${y}" x2="${MARGIN.left}" y2="${y}" stroke="#374151"/><text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#374151">${esc(formatNumber(t))}</text>`);
  }
  const bx = c.size.width + 6, by = COLORBAR.top, bh = H - COLORBAR.top - COLORBAR.bottom;
  parts.push(`<text x="${c.size.width + 2}" y="${COLORBAR.top - 8}" fill="#374151">${esc(c.title)}</text>`);
  parts.push(`<image x="${bx}" y="${by}" width="${COLORBAR.barWidth}" height="${bh}" preserveAspectRatio="none" href="${bar.toDataURL('image/png')}"/>`);
  if (c.colormap !== 'spy') {
    const n = Math.max(2, Math.min(6, Math.floor(bh / 45)));
    for (let k = 0; k <= n; k++) {
      const y = by + (1 - k / n) * bh;
      parts.push(`<text x="${bx + COLORBAR.barWidth + 5}" y="${Math.min(Math.max(y, by + 5), by + bh - 5)}" dominant-baseline="middle" fill="#374151">${esc(formatNumber(+scaleValueAt(c.scale, k / n).toPrecision(4)))}</text>`);
    }
  }
  parts.push('</svg>');
  return saveBytes(c.client, `${exportStem(c.info)}-heatmap.svg`, new TextEncoder().encode(parts.join('\n')), MIME.svg);
}

/** The visible raster as CSV: one line per cell (row range, column range, value shown, min, max, mean, count). */
export async function exportHeatmapCsv(c: HeatmapExportContext, values: ArrayLike<number>): Promise<string> {
  const r = c.raster.result, shape = c.info.shape;
  const rows: (number | null)[][] = [];
  for (let a = 0; a < r.rows; a++) for (let b = 0; b < r.cols; b++) {
    const k = a * r.cols + b;
    const i0 = r.rowStart + a * r.block, j0 = r.colStart + b * r.block;
    rows.push([i0, Math.min(shape[0], i0 + r.block), j0, Math.min(shape[1], j0 + r.block), values[k], r.min[k], r.max[k], r.mean[k], r.count[k]]);
  }
  const bytes = toCsv(['row_start', 'row_end', 'col_start', 'col_end', c.mode, 'min', 'max', 'mean', 'count'], rows);
  return saveBytes(c.client, `${exportStem(c.info)}-heatmap-block${r.block}.csv`, bytes, MIME.csv);
}

// Draws a heatmap frame on a 2-D canvas: the last raster scaled to the current view (so panning and
// zooming never show a blank frame), the matrix outline, cursor/selection marks and the axes.
import type { ViewportResult } from '../../../shared/queries';
import { colToX, rasterExtent, rowToY, type Size, type View } from '../../../shared/tile-math';
import { formatNumber, niceTicks } from '../../../shared/view/ticks';
import { getColormap, LUT_SIZE, type ColormapName } from '../../../shared/colormaps';
import { colorize, scaleValueAt, type ColorScale } from '../../../shared/view/color-scale';
import { FONT } from '../canvas-font';

export const MARGIN = { left: 60, top: 30, right: 12, bottom: 12 };

export interface Raster {
  result: ViewportResult;
  /** cols × rows image of the coloured cells. */
  image: HTMLCanvasElement;
}

/** Colours a raster's cell values into an image (one pixel per cell). */
export function paintRaster(result: ViewportResult, values: ArrayLike<number>, scale: ColorScale, lut: Uint8Array, reuse?: HTMLCanvasElement): Raster {
  const image = reuse ?? document.createElement('canvas');
  image.width = Math.max(1, result.cols); image.height = Math.max(1, result.rows);
  const ctx = image.getContext('2d')!;
  const data = ctx.createImageData(image.width, image.height);
  colorize(values, scale, lut, data.data);
  ctx.putImageData(data, 0, 0);
  return { result, image };
}

export interface Marks {
  cursor: { i: number; j: number } | null;
  selection: { i: number; j: number } | null;
  box: { x0: number; y0: number; x1: number; y1: number } | null;
}

/** Draws one frame. `size` is the whole canvas in CSS pixels; ctx is already scaled to CSS pixels. */
export function drawFrame(ctx: CanvasRenderingContext2D, size: Size, view: View, shape: [number, number], raster: Raster | null, marks: Marks): void {
  const plot: Size = { width: Math.max(1, size.width - MARGIN.left - MARGIN.right), height: Math.max(1, size.height - MARGIN.top - MARGIN.bottom) };
  ctx.save();
  ctx.clearRect(0, 0, size.width, size.height);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, size.width, size.height);
  ctx.translate(MARGIN.left, MARGIN.top);
  // plot background (outside the matrix)
  ctx.fillStyle = '#eceff3';
  ctx.fillRect(0, 0, plot.width, plot.height);
  const X = (c: number) => colToX(view, plot, c), Y = (r: number) => rowToY(view, plot, r);
  const mx0 = X(0), my0 = Y(0), mx1 = X(shape[1]), my1 = Y(shape[0]);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, plot.width, plot.height);
  ctx.clip();
  ctx.beginPath();
  ctx.rect(mx0, my0, mx1 - mx0, my1 - my0);
  ctx.clip();
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(mx0, my0, mx1 - mx0, my1 - my0);
  if (raster) {
    const r = raster.result;
    ctx.imageSmoothingEnabled = false;
    const x0 = X(r.colStart), y0 = Y(r.rowStart);
    ctx.drawImage(raster.image, 0, 0, r.cols, r.rows, x0, y0, X(r.colStart + r.cols * r.block) - x0, Y(r.rowStart + r.rows * r.block) - y0);
  }
  ctx.restore();
  // matrix outline
  ctx.strokeStyle = '#9aa3ad';
  ctx.lineWidth = 1;
  ctx.strokeRect(Math.round(mx0) + 0.5, Math.round(my0) + 0.5, Math.round(mx1 - mx0) - 1, Math.round(my1 - my0) - 1);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, plot.width, plot.height);
  ctx.clip();
  const mark = (cell: { i: number; j: number }, color: string, dashed: boolean) => {
    const x0 = X(cell.j), x1 = X(cell.j + 1), y0 = Y(cell.i), y1 = Y(cell.i + 1);
    ctx.strokeStyle = color;
    ctx.lineWidth = 1;
    ctx.setLineDash(dashed ? [4, 3] : []);
    ctx.beginPath();
    ctx.moveTo((x0 + x1) / 2, 0); ctx.lineTo((x0 + x1) / 2, plot.height);
    ctx.moveTo(0, (y0 + y1) / 2); ctx.lineTo(plot.width, (y0 + y1) / 2);
    ctx.globalAlpha = 0.55;
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.setLineDash([]);
    ctx.lineWidth = 2;
    if (x1 - x0 >= 4) ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
  };
  if (marks.selection) mark(marks.selection, '#d6336c', false);
  if (marks.cursor) mark(marks.cursor, '#111827', true);
  if (marks.box) {
    const b = marks.box;
    ctx.fillStyle = 'rgba(59,130,246,0.12)';
    ctx.strokeStyle = '#3b82f6';
    ctx.lineWidth = 1;
    ctx.fillRect(Math.min(b.x0, b.x1), Math.min(b.y0, b.y1), Math.abs(b.x1 - b.x0), Math.abs(b.y1 - b.y0));
    ctx.strokeRect(Math.min(b.x0, b.x1), Math.min(b.y0, b.y1), Math.abs(b.x1 - b.x0), Math.abs(b.y1 - b.y0));
  }
  ctx.restore();
  ctx.strokeStyle = '#4b5563';
  ctx.strokeRect(0.5, 0.5, plot.width - 1, plot.height - 1);
  // axes: columns along the top, rows down the left
  ctx.fillStyle = '#374151';
  ctx.font = FONT;
  ctx.textBaseline = 'bottom';
  ctx.textAlign = 'center';
  const visC0 = Math.max(0, view.c0), visC1 = Math.min(shape[1], view.c1);
  for (const t of niceTicks(visC0, visC1, Math.max(2, Math.floor(plot.width / 90)), true)) {
    const x = X(t + 0.5 * Number(view.c1 - view.c0 < 40));
    if (x < -1 || x > plot.width + 1) continue;
    ctx.fillRect(Math.round(x), -4, 1, 4);
    ctx.fillText(formatNumber(t), x, -6);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const visR0 = Math.max(0, view.r0), visR1 = Math.min(shape[0], view.r1);
  for (const t of niceTicks(visR0, visR1, Math.max(2, Math.floor(plot.height / 50)), true)) {
    const y = Y(t + 0.5 * Number(view.r1 - view.r0 < 40));
    if (y < -1 || y > plot.height + 1) continue;
    ctx.fillRect(-4, Math.round(y), 4, 1);
    ctx.fillText(formatNumber(t), -6, y);
  }
  ctx.restore();
}

export const COLORBAR = { width: 78, barWidth: 14, top: MARGIN.top, bottom: MARGIN.bottom };

/** Draws the colour bar (gradient + labelled ticks). */
export function drawColorbar(ctx: CanvasRenderingContext2D, size: Size, scale: ColorScale, colormap: ColormapName | 'spy', title: string): void {
  ctx.save();
  ctx.clearRect(0, 0, size.width, size.height);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, size.width, size.height);
  const h = Math.max(1, size.height - COLORBAR.top - COLORBAR.bottom);
  const x = 6;
  ctx.font = FONT;
  ctx.fillStyle = '#374151';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  ctx.fillText(title, 2, COLORBAR.top - 8);
  if (colormap === 'spy') {
    ctx.fillStyle = SPY_CSS;
    ctx.fillRect(x, COLORBAR.top, COLORBAR.barWidth, 14);
    ctx.strokeStyle = '#9aa3ad';
    ctx.strokeRect(x + 0.5, COLORBAR.top + 20.5, COLORBAR.barWidth - 1, 13);
    ctx.fillStyle = '#374151';
    ctx.textBaseline = 'middle';
    ctx.fillText('stored', x + COLORBAR.barWidth + 5, COLORBAR.top + 7);
    ctx.fillText('empty', x + COLORBAR.barWidth + 5, COLORBAR.top + 27);
    ctx.restore();
    return;
  }
  const lut = getColormap(colormap).lut;
  const img = ctx.createImageData(1, LUT_SIZE);
  for (let k = 0; k < LUT_SIZE; k++) for (let c = 0; c < 4; c++) img.data[k * 4 + c] = lut[(LUT_SIZE - 1 - k) * 4 + c];
  const tmp = document.createElement('canvas');
  tmp.width = 1; tmp.height = LUT_SIZE;
  tmp.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tmp, x, COLORBAR.top, COLORBAR.barWidth, h);
  ctx.strokeStyle = '#9aa3ad';
  ctx.strokeRect(x + 0.5, COLORBAR.top + 0.5, COLORBAR.barWidth - 1, h - 1);
  ctx.fillStyle = '#374151';
  ctx.textBaseline = 'middle';
  const n = Math.max(2, Math.min(6, Math.floor(h / 45)));
  for (let k = 0; k <= n; k++) {
    const t = k / n, y = COLORBAR.top + (1 - t) * h;
    ctx.fillRect(x + COLORBAR.barWidth, Math.round(y), 3, 1);
    ctx.fillText(formatNumber(+scaleValueAt(scale, t).toPrecision(4)), x + COLORBAR.barWidth + 5, Math.min(Math.max(y, COLORBAR.top + 5), COLORBAR.top + h - 5));
  }
  ctx.restore();
}

export const SPY_CSS = '#1f2937';
/** LUT where every entry is the spy colour. */
export const SPY_LUT: Uint8Array = (() => {
  const l = new Uint8Array(LUT_SIZE * 4);
  for (let k = 0; k < LUT_SIZE; k++) l.set([31, 41, 55, 255], k * 4);
  return l;
})();

export { rasterExtent };

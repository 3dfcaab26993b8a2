// Plotly is big: load it on demand so the heatmap (drawn on a canvas) paints first.
import type * as PlotlyNS from 'plotly.js';
import { afterFirstPaint } from './first-paint';

export type PlotlyApi = typeof PlotlyNS;
let loading: Promise<PlotlyApi> | null = null;

export function loadPlotly(): Promise<PlotlyApi> {
  loading ??= afterFirstPaint().then(() => import('plotly.js-dist-min')).then(m => ((m as { default?: PlotlyApi }).default ?? (m as unknown as PlotlyApi)));
  return loading;
}

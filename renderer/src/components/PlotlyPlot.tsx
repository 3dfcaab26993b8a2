// A Plotly figure in a div that follows its container's size; exposes PNG/SVG export via Plotly.toImage.
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import type { Data, Layout } from 'plotly.js';
import { loadPlotly } from '../plotly';
import { dataUrlToBytes } from '../save-bytes';

export interface PlotHandle {
  toImage(format: 'png' | 'svg', scale: number): Promise<Uint8Array>;
}

const BASE_LAYOUT: Partial<Layout> = {
  margin: { l: 56, r: 12, t: 10, b: 36 },
  font: { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', size: 11, color: '#374151' },
  paper_bgcolor: '#ffffff',
  plot_bgcolor: '#ffffff',
  showlegend: false,
};

export const PlotlyPlot = forwardRef<PlotHandle, { data: Data[]; layout: Partial<Layout>; testid: string }>(function PlotlyPlot(props, ref) {
  const div = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    let cancelled = false;
    loadPlotly().then(P => {
      if (cancelled || !div.current) return;
      const l = latest.current.layout;
      P.react(div.current, latest.current.data, { ...BASE_LAYOUT, ...l, xaxis: { gridcolor: '#eef0f3', zeroline: false, ...l.xaxis }, yaxis: { gridcolor: '#eef0f3', zeroline: false, ...l.yaxis } }, { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['lasso2d', 'select2d', 'toImage'] });
    });
    return () => { cancelled = true; };
  }, [props.data, props.layout]);

  useEffect(() => {
    const el = div.current!;
    const ro = new ResizeObserver(() => { loadPlotly().then(P => { if ((el as unknown as { data?: unknown }).data) P.Plots.resize(el); }); });
    ro.observe(el);
    return () => { ro.disconnect(); loadPlotly().then(P => P.purge(el)); };
  }, []);

  useImperativeHandle(ref, () => ({
    async toImage(format, scale) {
      const P = await loadPlotly();
      const el = div.current!;
      const r = el.getBoundingClientRect();
      const url = await P.toImage(el, { format, width: Math.max(200, Math.round(r.width)), height: Math.max(150, Math.round(r.height)), scale: format === 'png' ? scale : 1 });
      return dataUrlToBytes(url);
    },
  }), []);

  return <div className="plot" ref={div} data-testid={props.testid} />;
});

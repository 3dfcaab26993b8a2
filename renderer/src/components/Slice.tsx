// Row or column profile through the selected cell: exact values when they fit the plot, otherwise a
// min/max envelope band (the engine reduces it; we ask for about one point per pixel).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { MatrixClient } from '../../../shared/client';
import type { MatrixInfo, SliceResult } from '../../../shared/queries';
import { formatNumber } from '../../../shared/view/ticks';
import { PlotlyPlot, type PlotHandle } from './PlotlyPlot';
import { ExportMenu } from './ExportMenu';
import { exportStem, MIME, saveBytes, toCsv } from '../save-bytes';
import { isAbort, readable } from '../errors';

const POINTS = 2048;

export function Slice(props: { client: MatrixClient; info: MatrixInfo; axis: 'row' | 'col'; selection: { i: number; j: number } | null; onStatus(s: string): void }) {
  const { client, info, axis, selection } = props;
  const index = selection ? (axis === 'row' ? selection.i : selection.j) : null;
  const at = selection ? (axis === 'row' ? selection.j : selection.i) : null;
  const [res, setRes] = useState<SliceResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [scale, setScale] = useState(2);
  const plot = useRef<PlotHandle>(null);

  useEffect(() => {
    if (index === null) { setRes(null); return; }
    const ac = new AbortController();
    client.query(info.id, axis, { index, points: POINTS }, ac.signal).then(r => { setRes(r); setError(null); }, e => { if (!isAbort(e)) setError(readable(e)); });
    return () => ac.abort();
  }, [client, info.id, axis, index]);

  const { data, layout } = useMemo(() => {
    if (!res) return { data: [] as Data[], layout: {} as Partial<Layout> };
    const d: Data[] = [];
    const color = axis === 'row' ? '#4c6ef5' : '#0ca678';
    if (res.step === 1 && res.values) {
      const x = Array.from({ length: res.values.length }, (_, k) => res.start + k);
      d.push({ type: 'scatter', mode: res.values.length <= 200 ? 'lines+markers' : 'lines', x, y: Array.from(res.values), line: { color, width: 1.5 }, marker: { size: 4 }, name: 'value', hovertemplate: `${axis === 'row' ? 'col' : 'row'} %{x}: %{y:.6g}<extra></extra>` });
    } else if (res.min && res.max) {
      const x = Array.from({ length: res.min.length }, (_, k) => res.start + (k + 0.5) * res.step);
      d.push({ type: 'scatter', mode: 'lines', x, y: Array.from(res.min), line: { color, width: 0.8 }, name: 'min', hovertemplate: 'min %{y:.6g}<extra></extra>' });
      d.push({ type: 'scatter', mode: 'lines', x, y: Array.from(res.max), line: { color, width: 0.8 }, fill: 'tonexty', fillcolor: axis === 'row' ? 'rgba(76,110,245,0.25)' : 'rgba(12,166,120,0.25)', name: 'max', hovertemplate: 'max %{y:.6g}<extra></extra>' });
    }
    const l: Partial<Layout> = {
      xaxis: { title: { text: axis === 'row' ? 'column' : 'row' }, range: [res.start - 0.5, res.end - 0.5] },
      yaxis: { title: { text: 'value' } },
      shapes: at !== null ? [{ type: 'line', x0: at, x1: at, yref: 'paper', y0: 0, y1: 1, line: { color: '#d6336c', width: 1, dash: 'dot' } }] : [],
    };
    return { data: d, layout: l };
  }, [res, axis, at]);

  const doExport = async (kind: 'png' | 'svg' | 'csv') => {
    if (!res) return;
    try {
      const name = `${exportStem(info)}-${axis}${res.index}`;
      if (kind === 'csv') {
        const rows: (number | null)[][] = res.step === 1 && res.values
          ? Array.from(res.values, (v, k) => [res.start + k, v])
          : Array.from(res.min ?? [], (v, k) => [res.start + k * res.step, Math.min(res.end, res.start + (k + 1) * res.step), v, res.max![k]]);
        const header = res.step === 1 ? [axis === 'row' ? 'col' : 'row', 'value'] : ['start', 'end', 'min', 'max'];
        props.onStatus(await saveBytes(client, `${name}.csv`, toCsv(header, rows), MIME.csv));
      } else {
        const bytes = await plot.current!.toImage(kind, scale);
        props.onStatus(await saveBytes(client, `${name}${kind === 'png' ? `@${scale}x` : ''}.${kind}`, bytes, MIME[kind]));
      }
    } catch (e) { props.onStatus(`Export failed: ${readable(e)}`); }
  };

  const title = index === null ? (axis === 'row' ? 'Row profile' : 'Column profile') : `${axis === 'row' ? 'Row' : 'Column'} ${index}`;
  return (
    <div className="slice" data-testid={`slice-${axis}`}>
      <div className="toolbar">
        <b data-testid={`slice-${axis}-title`}>{title}</b>
        {res ? <span className="muted">{res.step === 1 ? `${formatNumber(res.end - res.start)} exact values` : `min/max envelope, ${formatNumber(res.step)} per point`}</span> : null}
        <span className="spacer" />
        <ExportMenu scale={scale} onScale={setScale} onExport={doExport} testid={`slice-${axis}`} csv />
      </div>
      {error ? <div className="error">{error}</div> : null}
      {selection ? <PlotlyPlot ref={plot} data={data} layout={layout} testid={`slice-${axis}-plot`} />
        : <div className="placeholder">Click a cell in the heatmap to plot its {axis === 'row' ? 'row' : 'column'}.</div>}
    </div>
  );
}

// Histogram of the whole matrix (every element, implicit zeros included): bins, range, log-y, log bins;
// NaN / ±Inf / zero counts as text.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { MatrixClient } from '../../../shared/client';
import type { HistogramRequest, HistogramResult, MatrixInfo } from '../../../shared/queries';
import { formatCount, formatNumber } from '../../../shared/view/ticks';
import { PlotlyPlot, type PlotHandle } from './PlotlyPlot';
import { ExportMenu } from './ExportMenu';
import { exportStem, MIME, saveBytes, toCsv } from '../save-bytes';
import { isAbort, readable } from '../errors';
import { afterFirstPaint } from '../first-paint';

export function Histogram(props: { client: MatrixClient; info: MatrixInfo; onStatus(s: string): void }) {
  const { client, info } = props;
  const [bins, setBins] = useState(100);
  const [logY, setLogY] = useState(true);
  const [logX, setLogX] = useState(false);
  const [range, setRange] = useState<[string, string]>(['', '']);
  const [res, setRes] = useState<HistogramResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [scale, setScale] = useState(2);
  const plot = useRef<PlotHandle>(null);

  const req = useMemo<HistogramRequest>(() => {
    const lo = parseFloat(range[0]), hi = parseFloat(range[1]);
    const r: HistogramRequest = { bins: Math.max(1, Math.min(2000, Math.round(bins) || 1)) };
    if (Number.isFinite(lo) && Number.isFinite(hi) && hi > lo) r.range = [lo, hi];
    else if (logX) {
      const max = info.stats.max ?? 1;
      r.range = [Math.max(max * 1e-6, Number.MIN_VALUE), max > 0 ? max : 1];
    }
    if (logX) r.log = true;
    return r;
  }, [bins, range, logX, info.stats.max]);

  useEffect(() => {
    const ac = new AbortController();
    setBusy(true);
    const t = setTimeout(() => {
      afterFirstPaint(info.id).then(() => ac.signal.aborted ? Promise.reject(new DOMException('superseded', 'AbortError')) : client.query(info.id, 'histogram', req, ac.signal)).then(r => { setRes(r); setError(null); setBusy(false); }, e => { if (!isAbort(e)) { setError(readable(e)); setBusy(false); } });
    }, 200);
    return () => { clearTimeout(t); ac.abort(); };
  }, [client, info.id, req]);

  const { data, layout } = useMemo(() => {
    if (!res) return { data: [] as Data[], layout: {} as Partial<Layout> };
    const x: number[] = [], w: number[] = [];
    for (let k = 0; k < res.counts.length; k++) {
      const a = res.edges[k], b = res.edges[k + 1];
      x.push(logX ? Math.sqrt(a * b) : (a + b) / 2); w.push(b - a);
    }
    const d: Data[] = [{ type: 'bar', x, y: res.counts, width: w, marker: { color: '#4c6ef5', line: { width: 0 } }, hovertemplate: '%{x:.4g}: %{y:,} elements<extra></extra>' }];
    const l: Partial<Layout> = {
      bargap: 0,
      xaxis: { type: logX ? 'log' : 'linear', title: { text: 'value' } },
      yaxis: { type: logY ? 'log' : 'linear', title: { text: 'elements' } },
    };
    return { data: d, layout: l };
  }, [res, logX, logY]);

  const doExport = async (kind: 'png' | 'svg' | 'csv') => {
    try {
      const name = `${exportStem(info)}-histogram`;
      if (kind === 'csv') {
        if (!res) return;
        const rows = res.counts.map((c, k) => [res.edges[k], res.edges[k + 1], c]);
        props.onStatus(await saveBytes(client, `${name}.csv`, toCsv(['edge_low', 'edge_high', 'count'], rows), MIME.csv));
      } else {
        const bytes = await plot.current!.toImage(kind, scale);
        props.onStatus(await saveBytes(client, `${name}${kind === 'png' ? `@${scale}x` : ''}.${kind}`, bytes, MIME[kind]));
      }
    } catch (e) { props.onStatus(`Export failed: ${readable(e)}`); }
  };

  const inRange = res ? res.counts.reduce((a, b) => a + b, 0) : 0;
  return (
    <div className="histogram" data-testid="histogram">
      <div className="toolbar">
        <label>Bins <input type="number" min={1} max={2000} data-testid="hist-bins" value={bins} onChange={e => setBins(Number(e.target.value))} style={{ width: 64 }} /></label>
        <label>Range <input aria-label="histogram range low" placeholder={formatNumber(info.stats.min)} value={range[0]} onChange={e => setRange([e.target.value, range[1]])} style={{ width: 70 }} />
          – <input aria-label="histogram range high" placeholder={formatNumber(info.stats.max)} value={range[1]} onChange={e => setRange([range[0], e.target.value])} style={{ width: 70 }} /></label>
        <label><input type="checkbox" data-testid="hist-logy" checked={logY} onChange={e => setLogY(e.target.checked)} /> log y</label>
        <label><input type="checkbox" data-testid="hist-logx" checked={logX} onChange={e => setLogX(e.target.checked)} /> log bins</label>
        {busy ? <span className="muted">computing…</span> : null}
        <span className="spacer" />
        <ExportMenu scale={scale} onScale={setScale} onExport={doExport} testid="histogram" csv />
      </div>
      {error ? <div className="error" data-testid="histogram-error">{error}</div> : null}
      <PlotlyPlot ref={plot} data={data} layout={layout} testid="histogram-plot" />
      {res ? (
        <div className="counts" data-testid="histogram-counts">
          <span>total <b data-testid="histogram-total">{formatCount(res.total)}</b></span>
          <span>in bins <b data-testid="histogram-inbins">{formatCount(inRange)}</b></span>
          <span>zeros <b data-testid="histogram-zeros">{formatCount(res.zeros)}</b></span>
          <span>NaN <b data-testid="histogram-nan">{formatCount(res.nan)}</b></span>
          <span>+Inf <b>{formatCount(res.posinf)}</b></span>
          <span>−Inf <b>{formatCount(res.neginf)}</b></span>
          <span>below <b>{formatCount(res.below)}</b></span>
          <span>above <b>{formatCount(res.above)}</b></span>
        </div>
      ) : null}
    </div>
  );
}

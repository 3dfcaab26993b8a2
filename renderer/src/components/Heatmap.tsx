// The heatmap view: fetches only the visible part of the matrix at the pyramid level that fits the plot,
// draws it on a canvas (client-side colour mapping), pans/zooms smoothly by redrawing the last raster
// scaled while the next one loads. Newer requests abort older ones.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { MatrixClient } from '../../../shared/client';
import type { MatrixInfo, ValueResult, ViewportRequest, ViewportResult } from '../../../shared/queries';
import { COLORMAP_LABELS, COLORMAP_NAMES, getColormap, type ColormapName } from '../../../shared/colormaps';
import { cellAt, clampView, fitView, panView, rasterCell, sameView, viewportRequest, visibleRect, zoomView, type Size, type View } from '../../../shared/tile-math';
import type { ColorScale, ScaleKind } from '../../../shared/view/color-scale';
import { cellValues, finiteRange, type CellMode } from '../../../shared/view/cell-values';
import { formatNumber } from '../../../shared/view/ticks';
import { COLORBAR, drawColorbar, drawFrame, MARGIN, paintRaster, SPY_LUT, type Raster } from './heatmap-draw';
import { exportHeatmapCsv, exportHeatmapPng, exportHeatmapSvg } from './heatmap-export';
import { hook, type HeatmapProbe } from '../explorer-hook';
import { ExportMenu } from './ExportMenu';
import { isAbort } from '../errors';
import { afterFirstPaint, firstPainted } from '../first-paint';
import { perfMark } from '../perf-mark';
import { takeOverview } from '../initial-viewport';

type Cell = { i: number; j: number };

export interface HeatmapProps {
  client: MatrixClient;
  info: MatrixInfo;
  index: number;
  active: boolean;
  onActivate(): void;
  cursor: Cell | null;
  selection: Cell | null;
  onCursor(c: Cell | null): void;
  onSelect(c: Cell): void;
  /** A view pushed from outside (lock zoom); applied when its seq changes. */
  linkedView: { view: View; seq: number } | null;
  onView(v: View): void;
  onStatus(s: string): void;
}

const CLAMP_P: [number, number] = [2.5, 97.5];

export function Heatmap(props: HeatmapProps) {
  const { client, info } = props;
  const shape = info.shape;
  const sparse = info.kind === 'sparse';
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const barRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  const plotSize = useMemo<Size>(() => ({ width: Math.max(1, size.width - MARGIN.left - MARGIN.right), height: Math.max(1, size.height - MARGIN.top - MARGIN.bottom) }), [size]);
  const viewRef = useRef<View | null>(null);
  const [view, setViewState] = useState<View | null>(null);
  const [colormap, setColormap] = useState<ColormapName>('viridis');
  const [scaleKind, setScaleKind] = useState<ScaleKind>('linear');
  const [mode, setMode] = useState<CellMode>(sparse ? 'density' : 'mean');
  const [follow, setFollow] = useState(false);
  const [autoClamp, setAutoClamp] = useState<[number, number] | null>(null);
  const [manualClamp, setManualClamp] = useState<[string, string] | null>(null);
  const [result, setResult] = useState<ViewportResult | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [hover, setHover] = useState<{ cell: Cell; value: ValueResult | null } | null>(null);
  const [exportScale, setExportScale] = useState(2);
  const rasterRef = useRef<Raster | null>(null);
  const marksRef = useRef({ cursor: null as Cell | null, selection: null as Cell | null, box: null as null | { x0: number; y0: number; x1: number; y1: number } });
  const probe = useRef<HeatmapProbe>({ view: { r0: 0, c0: 0, r1: 0, c1: 0 }, block: 0, lastRequest: null, requests: 0, paintedAt: 0, firstPaintAt: 0, firstResultAt: 0, fullResultAt: 0, clampedAt: 0, frameTimes: [] });

  useEffect(() => {
    client.prefs?.().then(p => { if (p.colormap && (COLORMAP_NAMES as string[]).includes(p.colormap)) setColormap(p.colormap as ColormapName); }, () => { /* no prefs */ });
  }, [client]);
  const chooseColormap = (c: ColormapName) => { setColormap(c); client.setPrefs?.({ colormap: c }); };

  useEffect(() => {
    perfMark('heatmap-mounted');
    const h = hook();
    h.heatmaps[props.index] = probe.current;
  }, [props.index]);

  // --- size: measured in the commit that mounts the heatmap (so the view is fitted and the raster asked for
  // before the browser paints, not a frame later when the observer first reports), then on every resize.
  // The layout effects below (fit, raster, colour bar) keep that chain in one task.
  useLayoutEffect(() => {
    const el = wrapRef.current!;
    const measure = () => {
      const r = el.getBoundingClientRect();
      setSize(s => (Math.abs(s.width - r.width) < 1 && Math.abs(s.height - r.height) < 1 ? s : { width: Math.floor(r.width), height: Math.floor(r.height) }));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // --- drawing (coalesced to animation frames)
  const frame = useRef(0);
  const draw = useCallback(() => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const canvas = canvasRef.current, v = viewRef.current;
      if (!canvas || !v || size.width < 2) return;
      const t0 = performance.now();
      const dpr = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(size.width * dpr) || canvas.height !== Math.round(size.height * dpr)) {
        canvas.width = Math.round(size.width * dpr); canvas.height = Math.round(size.height * dpr);
      }
      const ctx = canvas.getContext('2d')!;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      drawFrame(ctx, size, v, shape, rasterRef.current, marksRef.current);
      const ft = probe.current.frameTimes;
      ft.push(performance.now() - t0);
      if (ft.length > 200) ft.splice(0, ft.length - 200);
    });
  }, [size, shape]);

  const setView = useCallback((v: View, publish = true) => {
    const c = clampView(v, shape);
    viewRef.current = c;
    probe.current.view = c;
    setViewState(c);
    draw();
    if (publish) props.onView(c);
  }, [shape, draw, props.onView]);

  // initial view / new matrix / resize before any interaction
  const fitted = useRef(false);
  useLayoutEffect(() => { fitted.current = false; rasterRef.current = null; setResult(null); }, [info.id]);
  useLayoutEffect(() => {
    if (size.width < 2) return;
    if (!fitted.current) { fitted.current = true; perfMark('layout'); setView(fitView(shape, plotSize), false); }
    else draw();
  }, [size, plotSize, shape, setView, draw]);

  // linked view (lock zoom)
  useEffect(() => {
    if (props.linkedView && viewRef.current && !sameView(props.linkedView.view, viewRef.current)) setView(props.linkedView.view, false);
  }, [props.linkedView, setView]);

  // --- fetching the raster for the view
  const abortRef = useRef<AbortController | null>(null);
  const lastKey = useRef('');
  const shownSeq = useRef(0);
  const seqRef = useRef(0);
  const fetchRaster = useCallback((req: ViewportRequest, coarse: boolean, asked?: Promise<ViewportResult>): Promise<void> => {
    const seq = ++seqRef.current;
    const ac = new AbortController();
    if (!coarse) { abortRef.current?.abort(); abortRef.current = ac; }
    probe.current.requests++;
    if (!coarse) probe.current.lastRequest = req;
    setLoading(true);
    perfMark('viewport-sent');
    return (asked ?? client.query(info.id, 'viewport', req, ac.signal)).then(res => {
      perfMark('viewport-result');
      if (!probe.current.firstResultAt) probe.current.firstResultAt = performance.now();
      if (!coarse && !probe.current.fullResultAt) probe.current.fullResultAt = performance.now();
      if (seq < shownSeq.current) return;
      shownSeq.current = seq;
      // the first raster is rendered and painted in this task, not after whatever the page has queued
      if (rasterRef.current) setResult(res); else flushSync(() => setResult(res));
      if (!coarse) { setLoading(false); setError(null); }
    }, e => {
      if (isAbort(e) || ac.signal.aborted) return;
      setLoading(false);
      setError(e instanceof Error ? e.message : String(e));
    });
  }, [client, info.id]);

  useEffect(() => {
    if (!view || size.width < 2) return;
    const req = viewportRequest(view, shape, plotSize, 1);
    if (!req) return;
    const key = JSON.stringify(req);
    if (key === lastKey.current) return;
    const first = lastKey.current === '' || !rasterRef.current;
    if (first) {
      lastKey.current = key;
      // coarse first (the server would supersede it if both were in flight), then the full raster; the
      // first heatmap's coarse raster was usually asked for already, before the page was laid out
      const early = props.index === 0 ? takeOverview(info.id) : null;
      const coarse = early?.req ?? { ...req, width: Math.max(1, Math.ceil(req.width / 4)), height: Math.max(1, Math.ceil(req.height / 4)) };
      let cancelled = false;
      let fullSent = false;
      void fetchRaster(coarse, true, early?.result).then(() => { if (!cancelled && lastKey.current === key) { fullSent = true; void fetchRaster(req, false); } });
      return () => { cancelled = true; if (!fullSent && lastKey.current === key) lastKey.current = ''; };
    }
    const t = setTimeout(() => { lastKey.current = key; fetchRaster(req, false); }, 30);
    return () => clearTimeout(t);
  }, [view, plotSize, shape, size.width, fetchRaster, props.index, info.id]);
  useEffect(() => () => abortRef.current?.abort(), []);

  // --- colour clamp
  useEffect(() => {
    setAutoClamp(null);
    if (mode === 'density' || mode === 'spy') return;
    const ac = new AbortController();
    const rect = follow && view ? visibleRect(view, shape) : null;
    const t = setTimeout(() => {
      afterFirstPaint(info.id).then(() => client.query(info.id, 'percentiles', { p: CLAMP_P, ...(rect ? { rect } : {}) }, ac.signal)).then(r => {
        let [lo, hi] = r.values;
        if (lo === null || hi === null || !(hi > lo)) { lo = info.stats.min; hi = info.stats.max; }
        if (lo !== null && hi !== null) setAutoClamp([lo, hi === lo ? lo + 1 : hi]);
        probe.current.clampedAt = performance.now();
      }, () => { /* superseded or failed: keep the fallback */ });
    }, follow ? 150 : 0);
    return () => { clearTimeout(t); ac.abort(); };
    // follow: re-ask when the visible region changes
  }, [client, info.id, mode, follow, follow ? view : null, shape, info.stats.min, info.stats.max]);

  const values = useMemo(() => result ? cellValues(result, mode, shape) : null, [result, mode, shape]);
  const scale: ColorScale = useMemo(() => {
    const cm = getColormap(colormap);
    let lo: number, hi: number;
    const manual = manualClamp ? [parseFloat(manualClamp[0]), parseFloat(manualClamp[1])] : null;
    if (manual && Number.isFinite(manual[0]) && Number.isFinite(manual[1])) [lo, hi] = manual;
    else if (mode === 'spy') [lo, hi] = [0, 1];
    else if (mode === 'density') { const r = values ? finiteRange(values) : null; [lo, hi] = [0, r && r[1] > 0 ? r[1] : 1]; }
    else if (autoClamp) [lo, hi] = autoClamp;
    else { const r = values ? finiteRange(values) : null; [lo, hi] = r ?? [info.stats.min ?? 0, info.stats.max ?? 1]; }
    return { kind: scaleKind, lo, hi, diverging: cm.diverging && mode !== 'density' && mode !== 'spy' };
  }, [colormap, scaleKind, manualClamp, mode, values, autoClamp, info.stats.min, info.stats.max]);

  // recolour (no refetch) whenever the raster or the colour settings change; in the commit that brings them,
  // so the frame the browser paints next has them
  useLayoutEffect(() => {
    if (!result || !values) return;
    const lut = mode === 'spy' ? SPY_LUT : getColormap(colormap).lut;
    rasterRef.current = paintRaster(result, values, scale, lut, rasterRef.current?.image);
    probe.current.block = result.block;
    probe.current.paintedAt = performance.now();
    const first = !probe.current.firstPaintAt;
    draw();
    if (first) requestAnimationFrame(() => { if (!probe.current.firstPaintAt) probe.current.firstPaintAt = performance.now(); perfMark('first-paint'); firstPainted(info.id); });
  }, [result, values, scale, colormap, mode, draw, info.id]);

  // colour bar
  useLayoutEffect(() => {
    const c = barRef.current;
    if (!c || size.height < 2) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = COLORBAR.width * dpr; c.height = Math.round(size.height * dpr);
    const ctx = c.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawColorbar(ctx, { width: COLORBAR.width, height: size.height }, scale, mode === 'spy' ? 'spy' : colormap, colorbarTitle(mode));
  }, [scale, colormap, mode, size.height]);

  // marks from props
  useEffect(() => { marksRef.current.cursor = props.cursor; marksRef.current.selection = props.selection; draw(); }, [props.cursor, props.selection, draw]);

  // --- value under the cursor (throttled)
  const valueTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pendingCell = useRef<Cell | null>(null);
  const valueAbort = useRef<AbortController | null>(null);
  const askValue = useCallback((cell: Cell) => {
    pendingCell.current = cell;
    if (valueTimer.current) return;
    valueTimer.current = setTimeout(() => {
      valueTimer.current = null;
      const c = pendingCell.current;
      if (!c) return;
      valueAbort.current?.abort();
      const ac = new AbortController();
      valueAbort.current = ac;
      client.query(info.id, 'value', c, ac.signal).then(v => {
        if (pendingCell.current && pendingCell.current.i === v.i && pendingCell.current.j === v.j) setHover({ cell: c, value: v });
      }, () => { /* superseded */ });
    }, 60);
  }, [client, info.id]);

  // --- pointer interaction
  // A press remembers where it was in both frames: the plot (for the box and the cell under it) and the screen
  // (to tell a click from a drag). Focusing the canvas on press may scroll the page, which moves the plot under a
  // still pointer: measuring the drag on screen and taking the cell at the press keep a click a click, on its cell.
  const drag = useRef<{ x: number; y: number; sx: number; sy: number; cell: { i: number; j: number } | null; view: View; moved: boolean; box: boolean } | null>(null);
  const localXY = (e: { clientX: number; clientY: number }) => {
    const r = canvasRef.current!.getBoundingClientRect();
    return { x: e.clientX - r.left - MARGIN.left, y: e.clientY - r.top - MARGIN.top };
  };
  const onPointerDown = (e: React.PointerEvent) => {
    props.onActivate();
    if (!viewRef.current || e.button !== 0) return;
    (e.target as Element).setPointerCapture?.(e.pointerId);
    const p = localXY(e);
    const cell = cellAt(viewRef.current, plotSize, p.x, p.y, shape);
    drag.current = { ...p, sx: e.clientX, sy: e.clientY, cell, view: viewRef.current, moved: false, box: e.shiftKey };
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const v = viewRef.current;
    if (!v) return;
    const p = localXY(e);
    const d = drag.current;
    if (d) {
      const dx = e.clientX - d.sx, dy = e.clientY - d.sy;
      if (Math.abs(dx) + Math.abs(dy) > 3) d.moved = true;
      if (d.moved) {
        if (d.box) { marksRef.current.box = { x0: d.x, y0: d.y, x1: d.x + dx, y1: d.y + dy }; draw(); }
        else setView(panView(d.view, -dx / plotSize.width, -dy / plotSize.height));
        return;
      }
    }
    const inside = p.x >= 0 && p.y >= 0 && p.x < plotSize.width && p.y < plotSize.height;
    const cell = inside ? cellAt(v, plotSize, p.x, p.y, shape) : null;
    if (!cell) { if (hover) setHover(null); props.onCursor(null); return; }
    if (!hover || hover.cell.i !== cell.i || hover.cell.j !== cell.j) {
      setHover(h => ({ cell, value: h && h.value && h.value.i === cell.i && h.value.j === cell.j ? h.value : null }));
      props.onCursor(cell);
      askValue(cell);
    }
  };
  const onPointerUp = (e: React.PointerEvent) => {
    const d = drag.current;
    drag.current = null;
    const v = viewRef.current;
    if (!d || !v) return;
    const p = { x: d.x + e.clientX - d.sx, y: d.y + e.clientY - d.sy };
    if (d.box && d.moved) {
      marksRef.current.box = null;
      const fx0 = Math.min(d.x, p.x) / plotSize.width, fx1 = Math.max(d.x, p.x) / plotSize.width;
      const fy0 = Math.min(d.y, p.y) / plotSize.height, fy1 = Math.max(d.y, p.y) / plotSize.height;
      const nv = { c0: v.c0 + fx0 * (v.c1 - v.c0), c1: v.c0 + fx1 * (v.c1 - v.c0), r0: v.r0 + fy0 * (v.r1 - v.r0), r1: v.r0 + fy1 * (v.r1 - v.r0) };
      // keep the plot's aspect: grow the smaller side
      const sc = nv.c1 - nv.c0, sr = nv.r1 - nv.r0, aspect = (v.c1 - v.c0) / (v.r1 - v.r0);
      if (sc / sr < aspect) { const g = (sr * aspect - sc) / 2; nv.c0 -= g; nv.c1 += g; } else { const g = (sc / aspect - sr) / 2; nv.r0 -= g; nv.r1 += g; }
      setView(nv);
      return;
    }
    if (!d.moved && d.cell) props.onSelect(d.cell);
  };
  const onPointerLeave = () => { if (!drag.current) { setHover(null); props.onCursor(null); } };

  // wheel zoom (non-passive listener so the page does not scroll)
  useEffect(() => {
    const c = canvasRef.current!;
    const onWheel = (e: WheelEvent) => {
      const v = viewRef.current;
      if (!v) return;
      e.preventDefault();
      const r = c.getBoundingClientRect();
      const fx = (e.clientX - r.left - MARGIN.left) / plotSize.width, fy = (e.clientY - r.top - MARGIN.top) / plotSize.height;
      const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
      setView(zoomView(v, factor, Math.min(1, Math.max(0, fx)), Math.min(1, Math.max(0, fy))));
    };
    c.addEventListener('wheel', onWheel, { passive: false });
    return () => c.removeEventListener('wheel', onWheel);
  }, [plotSize, setView]);

  // keyboard: arrows pan, +/- zoom, 0 resets (only the active heatmap)
  useEffect(() => {
    if (!props.active) return;
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const v = viewRef.current;
      if (!v) return;
      const step = e.shiftKey ? 0.5 : 0.1;
      let nv: View | null = null;
      switch (e.key) {
        case 'ArrowLeft': nv = panView(v, -step, 0); break;
        case 'ArrowRight': nv = panView(v, step, 0); break;
        case 'ArrowUp': nv = panView(v, 0, -step); break;
        case 'ArrowDown': nv = panView(v, 0, step); break;
        case '+': case '=': nv = zoomView(v, 1.5); break;
        case '-': case '_': nv = zoomView(v, 1 / 1.5); break;
        case '0': nv = fitView(shape, plotSize); break;
        default: return;
      }
      e.preventDefault();
      setView(nv);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [props.active, setView, shape, plotSize]);

  // --- export
  const doExport = async (kind: 'png' | 'svg' | 'csv') => {
    const v = viewRef.current, raster = rasterRef.current;
    if (!v || !raster) return;
    const ctx = { client, info, view: v, size, raster, marks: marksRef.current, scale, colormap: mode === 'spy' ? 'spy' as const : colormap, title: colorbarTitle(mode), mode };
    try {
      const msg = kind === 'png' ? await exportHeatmapPng(ctx, exportScale) : kind === 'svg' ? await exportHeatmapSvg(ctx) : await exportHeatmapCsv(ctx, values!);
      props.onStatus(msg);
    } catch (e) { props.onStatus(`Export failed: ${e instanceof Error ? e.message : String(e)}`); }
  };

  const hoverAgg = hover && result ? (() => {
    const rc = rasterCell(result, hover.cell.i, hover.cell.j);
    if (!rc || result.block === 1) return null;
    const k = rc.a * result.cols + rc.b;
    return { block: result.block, mean: result.mean[k], min: result.min[k], max: result.max[k], count: result.count[k] };
  })() : null;

  return (
    <div className="heatmap" data-testid={`heatmap-${props.index}`}>
      <div className="toolbar">
        <label>Colormap <select data-testid="colormap-select" value={colormap} onChange={e => chooseColormap(e.target.value as ColormapName)}>
          {COLORMAP_NAMES.map(n => <option key={n} value={n}>{COLORMAP_LABELS[n]}</option>)}
        </select></label>
        <label>Scale <select data-testid="scale-select" value={scaleKind} onChange={e => setScaleKind(e.target.value as ScaleKind)}>
          <option value="linear">linear</option><option value="log">log</option><option value="symlog">symlog</option>
        </select></label>
        <label>Show <select data-testid="mode-select" value={mode} onChange={e => { setMode(e.target.value as CellMode); setManualClamp(null); }}>
          <option value="mean">mean</option><option value="min">min</option><option value="max">max</option>
          <option value="density">stored density</option><option value="spy">spy (stored = dark)</option>
        </select></label>
        <span className="clamp">
          <input aria-label="colour range low" data-testid="clamp-lo" value={manualClamp ? manualClamp[0] : formatNumber(scale.lo)} onChange={e => setManualClamp([e.target.value, manualClamp ? manualClamp[1] : String(scale.hi)])} />
          <span>–</span>
          <input aria-label="colour range high" data-testid="clamp-hi" value={manualClamp ? manualClamp[1] : formatNumber(scale.hi)} onChange={e => setManualClamp([manualClamp ? manualClamp[0] : String(scale.lo), e.target.value])} />
          {manualClamp ? <button onClick={() => setManualClamp(null)} title="Back to the 2.5–97.5 percentiles">auto</button> : null}
        </span>
        <label title="Clamp to the percentiles of the visible region"><input type="checkbox" data-testid="follow-visible" checked={follow} onChange={e => setFollow(e.target.checked)} /> follow visible</label>
        <span className="spacer" />
        <button title="Zoom out (-)" onClick={() => viewRef.current && setView(zoomView(viewRef.current, 1 / 1.5))}>−</button>
        <button title="Zoom in (+)" data-testid="zoom-in" onClick={() => viewRef.current && setView(zoomView(viewRef.current, 1.5))}>+</button>
        <button title="Reset view (0)" data-testid="reset-view" onClick={() => setView(fitView(shape, plotSize))}>Fit</button>
        <ExportMenu scale={exportScale} onScale={setExportScale} onExport={doExport} testid="heatmap" csv />
      </div>
      <div className="heatmap-body">
        <div className="heatmap-canvas-wrap" ref={wrapRef}>
          <canvas ref={canvasRef} data-testid="heatmap-canvas" data-block={result?.block ?? 0} data-loading={loading ? '1' : '0'}
            style={{ width: size.width, height: size.height, cursor: drag.current?.moved ? 'grabbing' : 'crosshair' }}
            onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp} onPointerLeave={onPointerLeave} tabIndex={0} />
          {error ? <div className="overlay-error" data-testid="heatmap-error">{error}</div> : null}
          {loading ? <div className="loading-dot" title="loading" /> : null}
        </div>
        <canvas ref={barRef} className="colorbar" data-testid="colorbar" style={{ width: COLORBAR.width, height: size.height }} />
      </div>
      <div className="readout" data-testid="cursor-readout">
        {hover ? <>
          <span>row <b>{hover.cell.i}</b></span><span>col <b>{hover.cell.j}</b></span>
          <span>value <b data-testid="cursor-value">{hover.value ? formatNumber(hover.value.value) + (hover.value.imag !== undefined ? ` ${hover.value.imag < 0 ? '−' : '+'} ${formatNumber(Math.abs(hover.value.imag))}i` : '') : '…'}</b>
            {hover.value?.stored === false ? <em> (not stored)</em> : null}</span>
          {hoverAgg ? <span className="muted fill" title={`block ${hoverAgg.block}: mean ${formatNumber(hoverAgg.mean)}, min ${formatNumber(hoverAgg.min)}, max ${formatNumber(hoverAgg.max)}, stored ${formatNumber(hoverAgg.count)}`}>block {hoverAgg.block}: mean {formatNumber(hoverAgg.mean)}, min {formatNumber(hoverAgg.min)}, max {formatNumber(hoverAgg.max)}, stored {formatNumber(hoverAgg.count)}</span> : null}
        </> : <span className="muted fill">Drag to pan, wheel or +/− to zoom, shift-drag to box-zoom, click a cell for its row and column, 0 to reset.</span>}
        <span className="spacer" />
        <span className="muted" data-testid="heatmap-level">{result ? `block ${result.block} · ${result.rows}×${result.cols} cells` : 'loading…'}</span>
      </div>
    </div>
  );
}

function colorbarTitle(mode: CellMode): string {
  return mode === 'density' ? 'stored / cell' : mode === 'spy' ? 'spy' : mode;
}

// The analysis window: open bar, heatmap(s), row/column slices, histogram, stats; linked with the other
// windows on the same matrix through the client.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LinkState, MatrixClient, OpenOptions, RecentEntry } from '../../shared/client';
import type { MatrixInfo } from '../../shared/queries';
import type { View } from '../../shared/tile-math';
import { Heatmap } from './components/Heatmap';
import { Histogram } from './components/Histogram';
import { Slice } from './components/Slice';
import { StatsPanel } from './components/StatsPanel';
import { OpenBar, type OpenState } from './components/OpenBar';
import { sourceName } from './save-bytes';
import { hook } from './explorer-hook';
import { isAbort, readable } from './errors';
import { perfMark } from './perf-mark';
import { afterFirstPaint } from './first-paint';
import { prefetchOverview } from './initial-viewport';
import { formatCount } from '../../shared/view/ticks';

type Cell = { i: number; j: number };

const windowId = `w-${Math.random().toString(36).slice(2, 10)}`;

/**
 * `initial`: when main.tsx already asked `client.current()` (before React was loaded), its answer, or the
 * answer still on its way.
 */
export function App({ client, initial }: { client: MatrixClient; initial?: { info: MatrixInfo | null } | Promise<MatrixInfo | null> }) {
  const answered = initial && 'info' in initial ? initial : undefined;
  const [info, setInfo] = useState<MatrixInfo | null>(answered?.info ?? null);
  const [booting, setBooting] = useState(!answered);
  const [opening, setOpening] = useState<OpenState | null>(null);
  const [openError, setOpenError] = useState<string | null>(null);
  const [recent, setRecent] = useState<RecentEntry[]>([]);
  const [status, setStatus] = useState('');
  const [cursor, setCursor] = useState<Cell | null>(null);
  const [selection, setSelection] = useState<Cell | null>(null);
  const [lockZoom, setLockZoom] = useState(false);
  const [linkedView, setLinkedView] = useState<{ view: View; seq: number } | null>(null);
  const [heatmaps, setHeatmaps] = useState(1);
  const [active, setActive] = useState(0);
  const [show, setShow] = useState({ slices: true, histogram: true, stats: true });
  const [dragOver, setDragOver] = useState(false);
  const lastView = useRef<View | null>(null);
  const seq = useRef(0);
  const initialRef = useRef(initial);

  useEffect(() => { hook().windowId = windowId; }, []);
  useEffect(() => {
    hook().info = info;
    document.title = info ? `${sourceName(info)} — Matrix Explorer` : 'Matrix Explorer';
  }, [info]);

  const refreshRecent = useCallback(() => { client.recent().then(setRecent, () => { /* no recent list */ }); }, [client]);
  useEffect(() => {
    hook().openedAt = performance.now();
    const early = initialRef.current;
    initialRef.current = undefined;
    if (early && 'info' in early) { refreshRecent(); return; } // mounted on it already
    if (!early) perfMark('current-sent');
    (early ?? client.current()).then(i => { perfMark('current-reply'); setInfo(i); setBooting(false); }, e => { setOpenError(readable(e)); setBooting(false); });
    refreshRecent();
  }, [client, refreshRecent]);

  // --- linking with other windows
  // Read the latest cursor/selection when sending, not when the send was scheduled: a cursor update queued for the
  // next animation frame must not carry the selection as it was before a click (it would undo the click elsewhere).
  const latest = useRef({ cursor, selection });
  latest.current = { cursor, selection };
  const publish = useCallback((patch: Partial<LinkState>) => {
    if (!info) return;
    client.publishLink({ matrixId: info.id, ...latest.current, ...(lockZoom && lastView.current ? { view: lastView.current } : {}), ...patch, from: windowId });
  }, [client, info, lockZoom]);
  const lockRef = useRef(lockZoom);
  lockRef.current = lockZoom;
  useEffect(() => {
    if (!info) return;
    return client.onLink(s => {
      if (s.from === windowId || s.matrixId !== info.id) return;
      setCursor(s.cursor);
      setSelection(s.selection);
      if (lockRef.current && s.view) setLinkedView({ view: s.view, seq: ++seq.current });
    });
  }, [client, info]);

  const onCursor = useCallback((c: Cell | null) => {
    setCursor(prev => (prev?.i === c?.i && prev?.j === c?.j ? prev : c));
  }, []);
  const cursorPub = useRef(0);
  useEffect(() => {
    if (!info) return;
    cancelAnimationFrame(cursorPub.current);
    cursorPub.current = requestAnimationFrame(() => publish({ cursor }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cursor]);
  const onSelect = useCallback((c: Cell) => { setSelection(c); latest.current = { ...latest.current, selection: c }; publish({ selection: c }); }, [publish]);
  const onView = useCallback((v: View) => {
    lastView.current = v;
    if (lockRef.current) {
      setLinkedView({ view: v, seq: ++seq.current });
      publish({ view: v });
    }
  }, [publish]);

  // --- opening
  const runOpen = useCallback(async (name: string, start: (opts: OpenOptions) => Promise<MatrixInfo>) => {
    const ac = new AbortController();
    setOpenError(null);
    setOpening({ name, progress: null, cancel: () => ac.abort() });
    hook().openedAt = performance.now();
    perfMark('open-sent');
    try {
      // whenCancelled: an AbortSignal does not survive Electron's context bridge, a callback does.
      const i = await start({
        signal: ac.signal,
        whenCancelled: cancel => ac.signal.addEventListener('abort', cancel, { once: true }),
        onProgress: p => setOpening(o => (o ? { ...o, progress: p } : o)),
      });
      perfMark('open-reply');
      setSelection(null); setCursor(null); setLinkedView(null);
      // the first coarse raster: asked for now, computed while React lays out the new heatmap
      prefetchOverview(client, i, { width: innerWidth, height: innerHeight });
      setInfo(i);
      refreshRecent();
    } catch (e) {
      setOpenError(ac.signal.aborted || isAbort(e) ? `Opening ${name} was cancelled.` : readable(e));
    } finally {
      setOpening(null);
    }
  }, [client, refreshRecent]);
  const openPath = (path: string) => runOpen(path.split(/[\\/]/).pop() ?? path, o => client.open(path, o));
  const openFile = (file: File) => runOpen(file.name, async o => client.openBytes!(file.name, new Uint8Array(await file.arrayBuffer()), o));

  // --- keyboard: n / Ctrl+N new window
  const newWindow = useCallback(() => {
    if (!info) return;
    if (client.newWindow) client.newWindow(info.id); else window.open(location.href, '_blank');
  }, [client, info]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
      if ((e.key === 'n' && !e.altKey && !e.metaKey) || (e.key === 'N' && e.ctrlKey)) { e.preventDefault(); newWindow(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [newWindow]);

  const statusTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const onStatus = useCallback((s: string) => {
    setStatus(s);
    clearTimeout(statusTimer.current);
    statusTimer.current = setTimeout(() => setStatus(''), 6000);
  }, []);

  // the side panels mount once the heatmap has painted: their mount and layout are not on the way to it
  const [sideFor, setSideFor] = useState<string | null>(null);
  useEffect(() => {
    if (!info) return;
    let live = true;
    void afterFirstPaint(info.id).then(() => { if (live) setSideFor(info.id); });
    return () => { live = false; };
  }, [info]);
  const sideReady = !!info && sideFor === info.id;

  const heatmapIdx = useMemo(() => Array.from({ length: heatmaps }, (_, k) => k), [heatmaps]);

  return (
    <div className={`app${dragOver ? ' drag-over' : ''}`}
      onDragOver={e => { if (client.openBytes && e.dataTransfer.types.includes('Files')) { e.preventDefault(); setDragOver(true); } }}
      onDragLeave={() => setDragOver(false)}
      onDrop={e => { e.preventDefault(); setDragOver(false); const f = e.dataTransfer.files[0]; if (f && client.openBytes) openFile(f); }}>
      <header className="topbar">
        <span className="brand">Matrix Explorer</span>
        {info ? <span className="title" data-testid="matrix-title" title={info.sourcePath}>{sourceName(info)} <span className="muted">{formatCount(info.shape[0])} × {formatCount(info.shape[1])} {info.kind} {info.dtype}</span></span> : null}
        <OpenBar recent={recent} opening={opening} canOpenBytes={!!client.openBytes} onOpenPath={openPath} onOpenFile={openFile} onRefreshRecent={refreshRecent} />
        {info ? <span className="toggles">
          <label><input type="checkbox" checked={show.slices} onChange={e => setShow({ ...show, slices: e.target.checked })} /> slices</label>
          <label><input type="checkbox" checked={show.histogram} onChange={e => setShow({ ...show, histogram: e.target.checked })} /> histogram</label>
          <label><input type="checkbox" checked={show.stats} onChange={e => setShow({ ...show, stats: e.target.checked })} /> stats</label>
          <label title="Share the visible region with the other heatmaps and windows on this matrix"><input type="checkbox" data-testid="lock-zoom" checked={lockZoom} onChange={e => setLockZoom(e.target.checked)} /> lock zoom</label>
          <button data-testid="toggle-second-heatmap" onClick={() => setHeatmaps(heatmaps === 1 ? 2 : 1)}>{heatmaps === 1 ? '+ heatmap' : '− heatmap'}</button>
          <button data-testid="new-window" title="Another window on this matrix (n)" onClick={newWindow}>New window</button>
        </span> : null}
      </header>
      {openError ? <div className="error banner" data-testid="open-error" role="alert">{openError}<button className="close" onClick={() => setOpenError(null)} aria-label="dismiss">×</button></div> : null}
      {info ? (
        <main className={`workspace${show.slices || show.histogram || show.stats ? '' : ' only-heatmap'}`} key={info.id}>
          <section className="heatmaps" style={{ gridTemplateColumns: `repeat(${heatmaps}, minmax(0, 1fr))` }}>
            {heatmapIdx.map(k => (
              <div className="panel" key={k}>
                <Heatmap client={client} info={info} index={k} active={active === k} onActivate={() => setActive(k)}
                  cursor={cursor} selection={selection} onCursor={onCursor} onSelect={onSelect}
                  linkedView={linkedView} onView={onView} onStatus={onStatus} />
              </div>
            ))}
          </section>
          <aside className="side">
            {!sideReady ? null : <>
            {show.slices ? <>
              <div className="panel"><Slice client={client} info={info} axis="row" selection={selection} onStatus={onStatus} /></div>
              <div className="panel"><Slice client={client} info={info} axis="col" selection={selection} onStatus={onStatus} /></div>
            </> : null}
            {show.histogram ? <div className="panel"><Histogram client={client} info={info} onStatus={onStatus} /></div> : null}
            {show.stats ? <div className="panel"><StatsPanel info={info} /></div> : null}
            </>}
          </aside>
        </main>
      ) : (
        <main className="welcome" data-testid="welcome">
          {booting ? <p className="muted">Connecting…</p> : <>
            <h1>Open a matrix</h1>
            <p>Type a path above, choose a file{client.openBytes ? ' or drop one here' : ''}. Matrix Market (.mtx), NumPy (.npy) and CSV files are converted once into a store, then opened from any number of windows.</p>
            {recent.length ? <ul className="recent-list" data-testid="recent-list">{recent.map(r => <li key={r.path}><button className="link" onClick={() => openPath(r.path)}>{r.path}</button>{r.shape ? <span className="muted"> {r.shape[0]}×{r.shape[1]}</span> : null}</li>)}</ul> : null}
          </>}
        </main>
      )}
      <footer className="statusbar" data-testid="status">{status || (selection ? `selected row ${selection.i}, col ${selection.j}` : '')}<span className="spacer" /><span className="muted">{windowId}</span></footer>
    </div>
  );
}

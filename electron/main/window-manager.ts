// Creates and tracks the analysis windows: secure webPreferences, one MessagePort per page load wired to a
// backend session through the PortRouter, navigation/new-window blocking, saved size/position, and opening files
// the user chose (in an empty window, else a new one).
import { BrowserWindow, MessageChannelMain, screen, type MessagePortMain } from 'electron';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Progress } from '../../shared/queries';
import { IPC } from '../shell/ipc-channels';
import type { AllowReason, PathAllowList } from '../shell/path-allow-list';
import type { PortRouter } from '../shell/port-router';
import { APP_ORIGIN, isAppUrl } from '../shell/sender-check';
import type { WindowRecord, WindowRegistry } from '../shell/window-registry';
import { placeWindow, type AppState } from '../shell/window-state';

export interface WindowManagerDeps {
  registry: WindowRegistry;
  router: PortRouter;
  allowList: PathAllowList;
  state: AppState;
  /** Persist `state` (debounced by the caller). */
  saveState(): void;
  preloadPath: string;
  /** Something changed that the menu shows (focus, a window's matrix). */
  onChange(): void;
  log(line: string): void;
}

export class WindowManager {
  private readonly windows = new Map<string, BrowserWindow>();
  private readonly ports = new Map<string, MessagePortMain>();

  constructor(private readonly deps: WindowManagerDeps) {}

  get(windowId: string): BrowserWindow | undefined { return this.windows.get(windowId); }

  count(): number { return this.windows.size; }

  /** The focused window (or the most recent one) and its record. */
  focused(): { win: BrowserWindow; rec: WindowRecord } | undefined {
    const win = BrowserWindow.getFocusedWindow() ?? [...this.windows.values()].pop();
    if (!win) return undefined;
    const rec = this.deps.registry.byWebContents(win.webContents.id);
    return rec ? { win, rec } : undefined;
  }

  /** A new window: empty, on an opened matrix (New Window), or about to open a chosen file. */
  create(opts: { matrixId?: string | null; pendingPath?: string | null } = {}): BrowserWindow {
    const { registry, state } = this.deps;
    const displays = screen.getAllDisplays().map(d => d.workArea);
    const bounds = placeWindow(state.window, displays, 30 * this.windows.size);
    const win = new BrowserWindow({
      ...bounds,
      minWidth: 480,
      minHeight: 360,
      show: false,
      title: 'Matrix Explorer',
      backgroundColor: '#15171c',
      webPreferences: {
        preload: this.deps.preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
      },
    });
    const rec = registry.add(win.webContents.id, opts.matrixId ?? null, opts.pendingPath ?? null);
    const id = rec.windowId;
    this.windows.set(id, win);
    if (state.window.maximized && this.windows.size === 1) win.maximize();
    win.once('ready-to-show', () => win.show());

    const wc = win.webContents;
    wc.on('did-finish-load', () => this.givePort(id, win));
    let lastCrash = 0;
    wc.on('render-process-gone', (_e, details) => {
      this.deps.log(`window ${id} renderer gone: ${details.reason}`);
      this.dropPort(id);
      // Reload a crashed page (its session and matrix are kept), but not in a loop.
      const now = Date.now();
      if (details.reason !== 'clean-exit' && !win.isDestroyed() && now - lastCrash > 10_000) wc.reload();
      lastCrash = now;
    });
    wc.on('will-navigate', (event, url) => {
      event.preventDefault();
      // A file dropped where the page did not take it: treat it as a drop (navigateOnDragDrop is off, so rare).
      if (url.startsWith('file:')) {
        try { this.openChosen(fileURLToPath(url), 'drop', id); } catch { /* not a local file */ }
      }
    });
    wc.on('will-redirect', (event, url) => { if (!isAppUrl(url)) event.preventDefault(); });
    wc.setWindowOpenHandler(() => ({ action: 'deny' }));
    wc.on('will-attach-webview', event => event.preventDefault());
    win.on('focus', () => this.deps.onChange());
    const remember = () => {
      if (win.isDestroyed() || win.isMinimized()) return;
      const b = win.getNormalBounds();
      state.window = { x: b.x, y: b.y, width: b.width, height: b.height, ...(win.isMaximized() ? { maximized: true } : {}) };
      this.deps.saveState();
    };
    win.on('resized', remember);
    win.on('moved', remember);
    win.on('maximize', remember);
    win.on('unmaximize', remember);
    win.on('close', remember);
    win.on('closed', () => {
      this.dropPort(id);
      this.windows.delete(id);
      registry.remove(id);
      this.deps.onChange();
    });

    void win.loadURL(`${APP_ORIGIN}/index.html`);
    return win;
  }

  /**
   * Opens a file the user chose (dialog, drop, argv, recent): allow-listed, then shown in `preferId` if that
   * window is empty, else in any empty window, else in a new one. The window's page loads and asks `current()`,
   * which converts/opens the file on its session.
   */
  openChosen(file: string, reason: AllowReason, preferId?: string): void {
    const abs = path.resolve(file);
    this.deps.allowList.allow(abs, reason);
    const empty = this.deps.registry.emptyWindow(preferId);
    const win = empty && this.windows.get(empty.windowId);
    if (empty && win && !win.isDestroyed()) {
      this.deps.registry.setPending(empty.windowId, abs);
      win.webContents.reload();
      win.focus();
      return;
    }
    this.create({ pendingPath: abs });
  }

  /** Progress of an open running for a window: taskbar/dock progress and the title. */
  showProgress(windowId: string, p: Progress | null): void {
    const win = this.windows.get(windowId);
    if (!win || win.isDestroyed()) return;
    if (!p) { win.setProgressBar(-1); return; }
    win.setProgressBar(p.fraction === null ? 2 : Math.max(0, Math.min(1, p.fraction)));
    const pct = p.fraction === null ? '' : ` ${Math.round(p.fraction * 100)}%`;
    const name = path.basename(this.deps.registry.get(windowId)?.pendingPath ?? '');
    win.setTitle(`${p.phase}${pct}${name ? ` — ${name}` : ''} — Matrix Explorer`);
  }

  private givePort(windowId: string, win: BrowserWindow): void {
    if (win.isDestroyed()) return;
    // Only our own page gets a port to the backend.
    if (!isAppUrl(win.webContents.getURL())) { this.dropPort(windowId); return; }
    this.ports.get(windowId)?.close();
    const { port1, port2 } = new MessageChannelMain();
    this.ports.set(windowId, port1);
    const sessionId = this.deps.router.attach(windowId, message => {
      try { port1.postMessage(message); } catch (e) { this.deps.log(`window ${windowId}: ${(e as Error)?.message ?? e}`); }
    });
    if (!sessionId) { port1.close(); return; }
    port1.on('message', event => this.deps.router.fromWindow(windowId, event.data));
    port1.on('close', () => { if (this.ports.get(windowId) === port1) this.dropPort(windowId); });
    port1.start();
    win.webContents.postMessage(IPC.port, null, [port2]);
  }

  private dropPort(windowId: string): void {
    this.deps.router.detach(windowId);
    const port = this.ports.get(windowId);
    this.ports.delete(windowId);
    try { port?.close(); } catch { /* already closed */ }
  }

  closeAll(): void {
    for (const win of this.windows.values()) if (!win.isDestroyed()) win.close();
  }
}

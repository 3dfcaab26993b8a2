// Bookkeeping for the app's windows: which window shows which matrix, which session (port) it owns,
// and lookups by webContents id for checking IPC senders. Plain data; electron/main wires it to BrowserWindows.

export interface WindowRecord {
  /** Stable id for this window (also the `from` of its link messages). */
  windowId: string;
  /** Electron webContents id, to map an IPC sender back to its window. */
  webContentsId: number;
  /** The matrix (store id) shown, or null for a window with nothing open yet. */
  matrixId: string | null;
  /** A source file the window is about to open (set before the renderer loads), or null. */
  pendingPath: string | null;
  /** Backend session currently connected to this window's port; replaced when the page reloads. */
  sessionId: string | null;
  /** How many ports this window has been given (a reload gets a fresh one). */
  portGeneration: number;
}

export class WindowRegistry {
  private readonly byId = new Map<string, WindowRecord>();
  private nextId = 1;

  /** Registers a new window and returns its record. */
  add(webContentsId: number, matrixId: string | null = null, pendingPath: string | null = null): WindowRecord {
    const rec: WindowRecord = { windowId: `w${this.nextId++}`, webContentsId, matrixId, pendingPath, sessionId: null, portGeneration: 0 };
    this.byId.set(rec.windowId, rec);
    return rec;
  }

  remove(windowId: string): WindowRecord | undefined {
    const rec = this.byId.get(windowId);
    this.byId.delete(windowId);
    return rec;
  }

  get(windowId: string): WindowRecord | undefined { return this.byId.get(windowId); }

  byWebContents(webContentsId: number): WindowRecord | undefined {
    for (const rec of this.byId.values()) if (rec.webContentsId === webContentsId) return rec;
    return undefined;
  }

  all(): WindowRecord[] { return [...this.byId.values()]; }

  get size(): number { return this.byId.size; }

  /** Windows showing `matrixId`. */
  windowsOn(matrixId: string): WindowRecord[] {
    return this.all().filter(r => r.matrixId === matrixId);
  }

  /** Matrices still shown by at least one window. */
  openMatrices(): string[] {
    return [...new Set(this.all().map(r => r.matrixId).filter((m): m is string => m !== null))];
  }

  setMatrix(windowId: string, matrixId: string | null): void {
    const rec = this.byId.get(windowId);
    if (rec) { rec.matrixId = matrixId; rec.pendingPath = null; }
  }

  setPending(windowId: string, path: string | null): void {
    const rec = this.byId.get(windowId);
    if (rec) rec.pendingPath = path;
  }

  /**
   * Starts a new port generation for a window (first load or a reload): returns the session id the new port
   * should be connected to and the previous one (to disconnect), or null when the window is unknown.
   */
  nextSession(windowId: string): { sessionId: string; previous: string | null } | null {
    const rec = this.byId.get(windowId);
    if (!rec) return null;
    const previous = rec.sessionId;
    rec.portGeneration += 1;
    rec.sessionId = `${rec.windowId}.${rec.portGeneration}`;
    return { sessionId: rec.sessionId, previous };
  }

  /** A window with nothing open (to reuse for an Open… instead of opening another window), if any. */
  emptyWindow(preferId?: string): WindowRecord | undefined {
    const preferred = preferId ? this.byId.get(preferId) : undefined;
    if (preferred && preferred.matrixId === null && preferred.pendingPath === null) return preferred;
    return this.all().find(r => r.matrixId === null && r.pendingPath === null);
  }
}

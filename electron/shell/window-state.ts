// Persisted app state (JSON in userData): window size/position and the last colormap. (The recent-files list
// belongs to the backend.)
// Reading never fails: a missing or damaged file gives defaults. Bounds are clamped onto a visible display.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Bounds { x?: number; y?: number; width: number; height: number }
export interface Rectangle { x: number; y: number; width: number; height: number }

export interface AppState {
  window: Bounds & { maximized?: boolean };
  colormap?: string;
}

export const DEFAULT_BOUNDS: Bounds = { width: 1280, height: 860 };
export const MIN_SIZE = { width: 480, height: 360 };

export function defaultState(): AppState {
  return { window: { ...DEFAULT_BOUNDS } };
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Validates parsed JSON into an AppState, dropping anything malformed. */
export function sanitizeState(raw: unknown): AppState {
  const s = defaultState();
  if (typeof raw !== 'object' || raw === null) return s;
  const r = raw as Record<string, unknown>;
  const w = r.window as Record<string, unknown> | undefined;
  if (w && num(w.width) && num(w.height)) {
    s.window = { width: Math.max(MIN_SIZE.width, Math.round(w.width)), height: Math.max(MIN_SIZE.height, Math.round(w.height)) };
    if (num(w.x) && num(w.y)) { s.window.x = Math.round(w.x); s.window.y = Math.round(w.y); }
    if (w.maximized === true) s.window.maximized = true;
  }
  if (typeof r.colormap === 'string' && /^[A-Za-z0-9_-]{1,40}$/.test(r.colormap)) s.colormap = r.colormap;
  return s;
}

export function loadState(file: string): AppState {
  try { return sanitizeState(JSON.parse(fs.readFileSync(file, 'utf8'))); } catch { return defaultState(); }
}

/** Writes atomically (temp file + rename) so a crash never leaves half a file. */
export function saveState(file: string, state: AppState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2));
  fs.renameSync(tmp, file);
}

/**
 * Bounds to open a window with: the saved size, and the saved position only if the window would still be
 * mostly visible on one of `displays` (work areas); otherwise centred by the OS. New windows are cascaded by `offset`.
 */
export function placeWindow(saved: Bounds, displays: Rectangle[], offset = 0): Bounds {
  const width = Math.max(MIN_SIZE.width, saved.width);
  const height = Math.max(MIN_SIZE.height, saved.height);
  if (saved.x === undefined || saved.y === undefined) return { width, height };
  const x = saved.x + offset, y = saved.y + offset;
  const visible = displays.some(d => {
    const ix = Math.min(x + width, d.x + d.width) - Math.max(x, d.x);
    const iy = Math.min(y + height, d.y + d.height) - Math.max(y, d.y);
    return ix >= Math.min(200, width / 2) && iy >= Math.min(100, height / 2) && y >= d.y - 10;
  });
  if (!visible) return { width: Math.min(width, displays[0]?.width ?? width), height: Math.min(height, displays[0]?.height ?? height) };
  return { x, y, width, height };
}

// IPC channel names shared by the main process and the preload. Everything else (open, current, recent,
// queries, links) goes over the window's MessagePort to the backend, or straight to a helper (helperPort).
export const IPC = {
  /** main → renderer: the window's MessagePort to the backend (ports[0]). Sent on every page load. */
  port: 'matrix-explorer:port',
  /**
   * main → renderer: a port straight to the helper serving this window's small queries on `{ matrixId }`
   * (ports[0]), or none: that matrix's helper port is gone (helper died, window moved) — use the main port.
   */
  helperPort: 'matrix-explorer:helper-port',
  /** renderer → main (invoke): save exported bytes through the native save dialog → path or null. */
  saveExport: 'matrix-explorer:save-export',
  /** renderer → main: open another window on the same matrix. */
  newWindow: 'matrix-explorer:new-window',
  /** renderer → main: files dropped on the window (paths from webUtils.getPathForFile). */
  dropped: 'matrix-explorer:dropped',
  /** renderer → main (invoke): saved UI preferences. */
  prefs: 'matrix-explorer:prefs',
  /** renderer → main: remember UI preferences. */
  setPrefs: 'matrix-explorer:set-prefs',
} as const;

export type IpcChannel = (typeof IPC)[keyof typeof IPC];

/** Largest export the main process accepts from a renderer (a PNG/SVG/CSV of a view, not the matrix). */
export const MAX_EXPORT_BYTES = 512 * 1024 * 1024;

/** A file name safe to suggest in a save dialog: no directories, no control characters, an extension kept. */
export function safeExportName(name: unknown, fallback = 'export.png'): string {
  if (typeof name !== 'string') return fallback;
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f<>:"|?*]/g, '_').replace(/^\.+/, '').trim().slice(0, 200);
  return clean || fallback;
}

// IPC channel names shared by the main process and the preload. Everything else goes over the per-window
// MessagePort to the backend.
export const IPC = {
  /** main → renderer: the window's MessagePort to the backend (ports[0]); data: { windowId }. */
  port: 'matrix-explorer:port',
  /** renderer → main (invoke): the matrix this window was opened on, or null. */
  current: 'matrix-explorer:current',
  /** renderer → main (invoke): the recent files. */
  recent: 'matrix-explorer:recent',
  /** renderer → main (invoke): check a path may be opened, allow-list wise (returns true or throws). */
  checkOpen: 'matrix-explorer:check-open',
  /** renderer → main (invoke): the window opened a matrix (path, info) — for the recent list and link relaying. */
  opened: 'matrix-explorer:opened',
  /** renderer → main (invoke): save exported bytes through the native dialog. */
  saveExport: 'matrix-explorer:save-export',
  /** renderer → main: open another window on the same matrix. */
  newWindow: 'matrix-explorer:new-window',
  /** renderer → main: publish a link; main → renderer: a link from another window. */
  link: 'matrix-explorer:link',
} as const;

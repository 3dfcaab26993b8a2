// The one typed interface the renderer talks to. Implemented by the Electron preload bridge
// (electron/main/preload.ts) and by the browser-mode WebSocket client (shared/ws-client.ts).

import type { MatrixInfo, Progress, QueryMap, QueryName } from './queries';

/** Cursor and selection shared by all windows on the same matrix. */
export interface LinkState {
  matrixId: string;
  /** Cell under the pointer, or null. */
  cursor: { i: number; j: number } | null;
  /** Cell last clicked (drives the slice views), or null. */
  selection: { i: number; j: number } | null;
  /** Visible rectangle, for windows that lock zoom. */
  view?: { r0: number; c0: number; r1: number; c1: number };
  /** Who sent it (a window/tab id), so a window ignores its own echoes. */
  from: string;
}

export interface RecentEntry { path: string; openedAt: string; shape?: [number, number] }

/** Small UI preferences the desktop app keeps across runs (JSON in userData). */
export interface UiPrefs { colormap?: string }

export interface OpenOptions {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /**
   * Optional: called once with a function that cancels this open. For the Electron client, where an AbortSignal
   * cannot cross the context bridge (it arrives as an empty object): pass `c => signal.addEventListener('abort', c)`.
   */
  whenCancelled?: (cancel: () => void) => void;
}

export interface MatrixClient {
  /** The matrix this window was opened on (browser mode: the one the server serves), or null. */
  current(): Promise<MatrixInfo | null>;
  /** Convert (or reuse the cached store of) a file and open it. Rejects with a readable message on bad input. */
  open(path: string, options?: OpenOptions): Promise<MatrixInfo>;
  /** Convert a file the user dropped or picked in the page (browser mode: uploaded bytes). */
  openBytes?(name: string, bytes: Uint8Array, options?: OpenOptions): Promise<MatrixInfo>;
  recent(): Promise<RecentEntry[]>;
  query<Q extends QueryName>(matrixId: string, name: Q, req: QueryMap[Q]['req'], signal?: AbortSignal): Promise<QueryMap[Q]['res']>;
  /** Publish this window's cursor/selection/view to the other windows on the same matrix. */
  publishLink(state: LinkState): void;
  onLink(listener: (state: LinkState) => void): () => void;
  /** Save exported bytes; returns the path written, or null if the user cancelled. Browser mode downloads instead. */
  saveExport?(suggestedName: string, data: Uint8Array): Promise<string | null>;
  /** Ask for another window on the same matrix (Electron: a new BrowserWindow; browser: a new tab). */
  newWindow?(matrixId: string): void;
  /** Optional (desktop app): the saved UI preferences, e.g. the last colormap chosen. */
  prefs?(): Promise<UiPrefs>;
  /** Optional (desktop app): remember UI preferences for the next window/run. */
  setPrefs?(prefs: UiPrefs): void;
}

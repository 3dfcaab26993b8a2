// The sandboxed preload: exposes exactly the MatrixClient interface (shared/client.ts) as window.matrixExplorer —
// never ipcRenderer itself. Requests travel over the MessagePort the main process hands this page on load, and
// small queries (viewport, value, row, col) over a port straight to a helper process once the main process hands
// one over for the matrix (shared/rpc/direct-routing decides, and falls back to the main port); the few desktop-only calls (save dialog, new window, preferences, dropped files) are single IPC channels whose
// sender the main process checks. Bundled by scripts/build-preload.mjs (sandboxed preloads cannot require files).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { LinkState, MatrixClient, OpenOptions, UiPrefs } from '../../shared/client';
import type { QueryMap, QueryName } from '../../shared/queries';
import type { ClientMessage, ServerMessage } from '../../shared/rpc/protocol';
import { createDirectRouting } from '../../shared/rpc/direct-routing';
import { globalCollector } from '../../shared/rpc/answer-garbage';
import { createRpcClient, type RpcTransport } from '../../shared/rpc/rpc-client';
import { IPC } from '../shell/ipc-channels';

/** The DOM pieces used here (the project's Node-side tsconfig has no DOM lib). */
interface WebPort {
  postMessage(message: unknown): void; start(): void; close(): void; onmessage: ((e: { data: unknown }) => void) | null;
  addEventListener?(type: 'close', listener: () => void): void;
}
interface DropEvent { dataTransfer: { types: readonly string[]; files: ArrayLike<unknown> } | null; preventDefault(): void; stopPropagation(): void }
declare const window: { addEventListener(type: 'dragover' | 'drop', listener: (e: DropEvent) => void, capture: boolean): void };

// ---- the port to the backend (messages sent before it arrives are queued) ----
let port: WebPort | null = null;
const queue: ClientMessage[] = [];
let onServer: ((m: ServerMessage) => void) | null = null;
let onReconnect: (() => void) | null = null;

ipcRenderer.on(IPC.port, event => {
  const next = event.ports[0] as unknown as WebPort | undefined;
  if (!next) return;
  const reconnect = port !== null;
  port?.close();
  port = next;
  port.onmessage = e => onServer?.(e.data as ServerMessage);
  port.start();
  for (const m of queue.splice(0)) port.postMessage(m);
  if (reconnect) onReconnect?.();
});

const transport: RpcTransport = {
  send(message) { if (port) port.postMessage(message); else queue.push(message); },
  onMessage(listener) { onServer = listener; },
  onReconnect(listener) { onReconnect = listener; },
};
const routing = createDirectRouting(transport, {
  // a helper that hangs without dying: its requests go the main way, which has the pool's deadline
  schedule: (fn, ms) => { const t = setTimeout(fn, ms); return () => clearTimeout(t); },
});
// gc() exists here because main.ts starts renderers with RENDERER_JS_FLAGS (--expose-gc)
const rpc = createRpcClient(routing.transport, { collectGarbage: globalCollector(run => { setTimeout(run, 0); }) });

// ---- ports straight to a helper, one per matrix (none: that one is gone, use the main port) ----
ipcRenderer.on(IPC.helperPort, (event, message: { matrixId?: unknown } | null) => {
  const matrixId = message?.matrixId;
  if (typeof matrixId !== 'string') return;
  const direct = event.ports[0] as unknown as WebPort | undefined;
  if (!direct) { routing.detach(matrixId); return; }
  const events = routing.attach(matrixId, { send: m => direct.postMessage(m), close: () => direct.close() });
  direct.onmessage = e => events.message(e.data);
  direct.addEventListener?.('close', () => events.closed()); // when the helper process dies (where Chromium reports it)
  direct.start();
});

/**
 * An AbortSignal from the page arrives through the context bridge as a copy without its methods; use it only
 * when it still is one. Pages cancel an open with `whenCancelled` instead (functions do cross the bridge).
 */
function signalOf(s: unknown): AbortSignal | undefined {
  return s && typeof (s as AbortSignal).addEventListener === 'function' && typeof (s as AbortSignal).aborted === 'boolean' ? s as AbortSignal : undefined;
}
function openOptions(o: OpenOptions | undefined): OpenOptions {
  const out: OpenOptions = {};
  if (typeof o?.onProgress === 'function') out.onProgress = o.onProgress;
  const signal = signalOf(o?.signal);
  if (signal) out.signal = signal;
  else if (typeof o?.whenCancelled === 'function') {
    const controller = new AbortController();
    try { o.whenCancelled(() => controller.abort()); out.signal = controller.signal; } catch { /* the page's hook failed: no cancel */ }
  }
  return out;
}

const api: MatrixClient = {
  current: () => rpc.current(),
  open: (path: string, options?: OpenOptions) => rpc.open(String(path), openOptions(options)),
  recent: () => rpc.recent(),
  query: <Q extends QueryName>(matrixId: string, name: Q, req: QueryMap[Q]['req'], signal?: AbortSignal) =>
    rpc.query(matrixId, name, req, signalOf(signal)),
  publishLink: (state: LinkState) => rpc.publishLink(state),
  onLink: (listener: (state: LinkState) => void) => rpc.onLink(listener),
  saveExport: (suggestedName: string, data: Uint8Array) => ipcRenderer.invoke(IPC.saveExport, String(suggestedName), data) as Promise<string | null>,
  newWindow: (matrixId: string) => ipcRenderer.send(IPC.newWindow, String(matrixId)),
  prefs: () => ipcRenderer.invoke(IPC.prefs) as Promise<UiPrefs>,
  setPrefs: (prefs: UiPrefs) => ipcRenderer.send(IPC.setPrefs, { colormap: prefs?.colormap }),
};

contextBridge.exposeInMainWorld('matrixExplorer', api);

// ---- files dropped anywhere on the window: their paths go to the main process, which opens them ----
window.addEventListener('dragover', e => { if (e.dataTransfer?.types.includes('Files')) e.preventDefault(); }, true);
window.addEventListener('drop', e => {
  const files = Array.from(e.dataTransfer?.files ?? []);
  if (files.length === 0) return;
  e.preventDefault();
  e.stopPropagation();
  const paths = files.map(f => { try { return webUtils.getPathForFile(f as Parameters<typeof webUtils.getPathForFile>[0]); } catch { return ''; } }).filter(p => p);
  if (paths.length) ipcRenderer.send(IPC.dropped, paths);
}, true);

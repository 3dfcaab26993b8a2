// The few IPC channels besides the window's port. Every message's sender is checked: the top frame of one of our
// windows, showing our app:// page. Anything else is ignored (or rejected, for invokes).
import { app, dialog, ipcMain, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { UiPrefs } from '../../shared/client';
import { IPC, MAX_EXPORT_BYTES, safeExportName } from '../shell/ipc-channels';
import { trustedSender } from '../shell/sender-check';
import type { WindowRecord, WindowRegistry } from '../shell/window-registry';
import { sanitizeState, type AppState } from '../shell/window-state';
import type { WindowManager } from './window-manager';

export interface IpcDeps {
  registry: WindowRegistry;
  windows: WindowManager;
  state: AppState;
  saveState(): void;
  log(line: string): void;
}

const FILTERS: Record<string, { name: string; extensions: string[] }> = {
  '.png': { name: 'PNG image', extensions: ['png'] },
  '.svg': { name: 'SVG image', extensions: ['svg'] },
  '.csv': { name: 'CSV table', extensions: ['csv'] },
  '.json': { name: 'JSON', extensions: ['json'] },
  '.npy': { name: 'NumPy array', extensions: ['npy'] },
};

function sender(registry: WindowRegistry, event: IpcMainEvent | IpcMainInvokeEvent): WindowRecord | null {
  const frame = event.senderFrame;
  return trustedSender(registry, {
    webContentsId: event.sender.id,
    frameUrl: frame?.url,
    isMainFrame: !!frame && frame.parent === null,
  });
}

/** Writes bytes the renderer exported to a path the user picks in the native save dialog. */
export async function saveWithDialog(win: Electron.BrowserWindow | undefined, suggestedName: string, data: Uint8Array): Promise<string | null> {
  const name = safeExportName(suggestedName);
  const filter = FILTERS[path.extname(name).toLowerCase()];
  const options: Electron.SaveDialogOptions = {
    title: 'Export',
    defaultPath: path.join(app.getPath('documents'), name),
    filters: filter ? [filter, { name: 'All files', extensions: ['*'] }] : [{ name: 'All files', extensions: ['*'] }],
  };
  const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (result.canceled || !result.filePath) return null;
  await fs.writeFile(result.filePath, data);
  return result.filePath;
}

export function registerIpc(deps: IpcDeps): void {
  const { registry, windows } = deps;

  ipcMain.handle(IPC.saveExport, async (event, suggestedName: unknown, data: unknown) => {
    const rec = sender(registry, event);
    if (!rec) throw new Error('refused');
    if (!(data instanceof Uint8Array) || data.byteLength > MAX_EXPORT_BYTES) throw new Error('Export failed: nothing to save, or too big.');
    try {
      return await saveWithDialog(windows.get(rec.windowId), String(suggestedName ?? ''), data);
    } catch (e) {
      throw new Error(`Export failed: ${(e as Error)?.message ?? e}`);
    }
  });

  ipcMain.on(IPC.newWindow, (event, matrixId: unknown) => {
    const rec = sender(registry, event);
    if (!rec || typeof matrixId !== 'string') return;
    // Only a matrix this window shows (so a page cannot open windows on stores it never opened).
    if (rec.matrixId !== matrixId) { deps.log(`new-window for ${matrixId} refused: window ${rec.windowId} shows ${rec.matrixId}`); return; }
    windows.create({ matrixId });
  });

  ipcMain.on(IPC.dropped, (event, paths: unknown) => {
    const rec = sender(registry, event);
    if (!rec || !Array.isArray(paths)) return;
    for (const p of paths.slice(0, 16)) {
      if (typeof p === 'string' && path.isAbsolute(p)) windows.openChosen(p, 'drop', rec.windowId);
    }
  });

  ipcMain.handle(IPC.prefs, event => {
    if (!sender(registry, event)) throw new Error('refused');
    const prefs: UiPrefs = {};
    if (deps.state.colormap) prefs.colormap = deps.state.colormap;
    return prefs;
  });

  ipcMain.on(IPC.setPrefs, (event, prefs: unknown) => {
    if (!sender(registry, event)) return;
    const clean = sanitizeState({ window: deps.state.window, colormap: (prefs as UiPrefs | null)?.colormap });
    if (clean.colormap && clean.colormap !== deps.state.colormap) {
      deps.state.colormap = clean.colormap;
      deps.saveState();
    }
  });
}

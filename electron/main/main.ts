// Electron main process: wires the plain decisions in electron/shell/ to Electron objects. It owns the windows,
// the menu and the dialogs; the Backend (stores, conversions, the helper pool of utility processes) answers the
// windows over one MessagePort each, and each window gets a second port straight to a helper for its small
// queries (helper-ports.ts). `matrix-explorer file.mtx` arrives here in argv.
import { app, dialog, session } from 'electron';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RecentEntry } from '../../shared/client';
import { Backend } from '../backend/backend';
import { HelperPool } from '../pool/helper-pool';
import { filesFromArgv } from '../shell/argv-files';
import { remoteResolveStore } from '../shell/convert-host';
import { PathAllowList } from '../shell/path-allow-list';
import { PortRouter } from '../shell/port-router';
import { RENDERER_JS_FLAGS } from '../shell/renderer-flags';
import { WindowRegistry } from '../shell/window-registry';
import { loadState, saveState } from '../shell/window-state';
import { AppMenu } from './app-menu';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { wireHelperPorts } from './helper-ports';
import { registerIpc } from './ipc-handlers';
import { appRoot, convertHostPath, helperMainPath, PRELOAD_BANNER, preloadPath, rendererDir } from './paths';
import { utilityConverter, utilitySpawn } from './utility-spawn';
import { WindowManager } from './window-manager';

const log = (line: string) => { if (process.env.MATRIX_EXPLORER_DEBUG) console.error(`[matrix-explorer] ${line}`); };

app.setName('Matrix Explorer');
app.commandLine.appendSwitch('js-flags', RENDERER_JS_FLAGS.join(' '));
// Tests and portable runs may put all per-user state elsewhere.
if (process.env.MATRIX_EXPLORER_USER_DATA) app.setPath('userData', path.resolve(process.env.MATRIX_EXPLORER_USER_DATA));
registerAppScheme();

/** Files named on a command line (ours or a second instance's), without the app itself. */
function argvFiles(argv: string[], cwd: string): string[] {
  const skip = process.defaultApp ? 2 : 1;
  return filesFromArgv(argv, cwd, Math.min(skip, argv.length), [app.getAppPath(), __filename, appRoot]);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const early: string[] = [];
  let openFile: ((file: string) => void) | null = null;
  // macOS: files opened from Finder/Dock, possibly before 'ready'.
  app.on('open-file', (event, file) => { event.preventDefault(); if (openFile) openFile(file); else early.push(file); });

  void app.whenReady().then(async () => {
    const preload = fs.existsSync(preloadPath) ? fs.readFileSync(preloadPath, 'utf8') : '';
    if (!preload.startsWith(PRELOAD_BANNER)) {
      dialog.showErrorBox('Matrix Explorer is not built completely',
        `${preloadPath} is ${preload ? 'not the bundled preload' : 'missing'}. Run \`npm run build\` (it must run \`node scripts/build-preload.mjs\` after tsc).`);
      app.quit();
      return;
    }
    const stateFile = path.join(app.getPath('userData'), 'window-state.json');
    const state = loadState(stateFile);
    let saveTimer: NodeJS.Timeout | undefined;
    const persist = () => { try { saveState(stateFile, state); } catch (e) { log(`saving window state: ${(e as Error).message}`); } };
    const saveSoon = () => { clearTimeout(saveTimer); saveTimer = setTimeout(persist, 500); };

    handleAppProtocol(rendererDir);
    // No page gets any permission (camera, notifications, …), and nothing leaves the app.
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);

    const registry = new WindowRegistry();
    const allowList = new PathAllowList();
    const pool = new HelperPool({ spawn: utilitySpawn(helperMainPath, log) });
    const backend = new Backend({
      pool,
      // Conversions run in their own utility process: parsing a huge file never stalls this process.
      resolveStore: remoteResolveStore(utilityConverter(convertHostPath, log)),
      allowPath: p => allowList.isAllowed(p) || 'not a file you chose: use File › Open…, drag it onto the window, or pass it on the command line',
    });
    let recent: RecentEntry[] = [];
    const refreshRecent = async () => {
      recent = await backend.recent().catch(() => recent);
      for (const r of recent) allowList.allow(r.path, allowList.reason(r.path) ?? 'recent');
      menu.refresh();
    };

    let windows: WindowManager;
    const helperPorts = wireHelperPorts(pool, () => windows, log);
    const router = new PortRouter({
      registry,
      allowList,
      connect: (sessionId, send, options) => backend.connect(sessionId, send, options),
      onOpened: (windowId, info) => { void refreshRecent(); helperPorts.windowShows(windowId, info.id, info.storePath); },
      onDetached: windowId => helperPorts.windowGone(windowId),
      onProgress: (windowId, p) => windows.showProgress(windowId, p),
      log,
    });
    windows = new WindowManager({ registry, router, allowList, state, saveState: saveSoon, preloadPath, onChange: () => menu.refresh(), log });
    const menu = new AppMenu({ windows, recent: () => recent, log });
    registerIpc({ registry, windows, state, saveState: saveSoon, log });

    app.on('web-contents-created', (_event, contents) => {
      contents.setWindowOpenHandler(() => ({ action: 'deny' }));
      contents.on('will-attach-webview', e => e.preventDefault());
    });
    app.on('second-instance', (_event, argv, cwd) => {
      const files = argvFiles(argv, cwd);
      for (const f of files) windows.openChosen(f, 'argv');
      if (files.length === 0) { const f = windows.focused(); if (f) { if (f.win.isMinimized()) f.win.restore(); f.win.focus(); } else windows.create(); }
    });
    app.on('activate', () => { if (windows.count() === 0) windows.create(); });
    app.on('window-all-closed', () => { if (process.platform !== 'darwin') app.quit(); });
    let closing = false;
    app.on('will-quit', event => {
      if (closing) return;
      closing = true;
      event.preventDefault();
      clearTimeout(saveTimer);
      persist();
      void backend.close().then(() => pool.close()).catch(e => log(`closing backend: ${(e as Error).message}`)).finally(() => app.quit());
    });

    await refreshRecent();
    openFile = file => windows.openChosen(file, 'argv');
    const files = [...argvFiles(process.argv, process.cwd()), ...early.splice(0)];
    if (files.length === 0) windows.create();
    for (const f of files) windows.openChosen(f, 'argv');
    menu.refresh();
  }).catch(e => {
    dialog.showErrorBox('Matrix Explorer could not start', (e as Error)?.message ?? String(e));
    app.quit();
  });
}

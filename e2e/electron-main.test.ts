// The desktop app's main process (electron/main/main.ts) run under plain Node against a stand-in for the
// 'electron' module: real Backend, real conversion and helper processes (child_process.fork in place of
// utilityProcess.fork; helpers run in worker threads, which, like utility processes, can receive MessagePorts),
// the real bundled preload per window over real MessagePorts. Covers the wiring the unit tests cannot: argv →
// window → port → backend session → conversion → queries, each window's direct port to a helper, New Window,
// links, export, the app:// protocol, IPC sender checks, and a helper crash — everything but Chromium itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { build } from 'esbuild';
import type { MatrixClient } from '../shared/client';
import { MessagePortMain } from '../electron/test-support/message-port-main';
import { SHARED_TESTDATA } from '../electron/test-support/testdata';

const REPO = path.resolve(__dirname, '..');
const SAMPLE = `${SHARED_TESTDATA}/mtx/ginkgo-1138_bus.mtx`;
const TSX = pathToFileURL(require.resolve('tsx')).href;

// ---------------------------------------------------------------- the stand-in for 'electron'

const app = Object.assign(new EventEmitter(), {
  paths: new Map<string, string>(),
  quitting: false,
  whenReady: () => new Promise<void>(r => setImmediate(r)),
  setPath(name: string, p: string) { this.paths.set(name, p); },
  getPath(name: string) { return this.paths.get(name) ?? path.join(os.tmpdir(), `mx-fake-${name}`); },
  setName() {}, getName: () => 'Matrix Explorer', isPackaged: false,
  commandLine: { switches: new Map<string, string>(), appendSwitch(name: string, value = '') { this.switches.set(name, value); } },
  getAppPath: () => REPO, requestSingleInstanceLock: () => true,
  quit() { this.quitting = true; }, showAboutPanel() {},
});

/** Every process the app started (converters), for assertions and cleanup. */
const children: Array<{ serviceName: string; child: ChildProcess }> = [];
/** The helpers: worker threads (so they can receive MessagePorts, as utility processes can). */
const helpers: Array<{ serviceName: string; worker: Worker; exited: boolean; attached: string[] }> = [];
const utilityProcess = {
  fork(entry: string, _args: string[], opts: { serviceName: string; env?: NodeJS.ProcessEnv }) {
    // The app forks compiled files under dist/; here the sources run through tsx.
    const source = path.join(REPO, path.relative(path.join(REPO, 'dist'), entry)).replace(/\.js$/, '.ts');
    if (opts.serviceName.includes('helper')) return helperThread(source, opts);
    const child = fork(source, [], { serialization: 'advanced', execArgv: ['--import', TSX], env: opts.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push({ serviceName: opts.serviceName, child });
    const up = Object.assign(new EventEmitter(), {
      get pid() { return child.pid; },
      postMessage: (m: unknown) => { if (child.connected) child.send(m as never); },
      kill: () => child.kill('SIGKILL'),
    });
    child.on('spawn', () => up.emit('spawn'));
    child.on('message', m => up.emit('message', m));
    child.on('exit', code => up.emit('exit', code ?? -1));
    return up;
  },
};

/** A helper "utility process" in a worker thread (paged reads, as under Electron); ports travel with messages. */
function helperThread(source: string, opts: { serviceName: string; env?: NodeJS.ProcessEnv }) {
  const boot = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(path.join(REPO, 'e2e/helpers/utility-process-worker.ts'))});`;
  const worker = new Worker(boot, { eval: true, workerData: { entry: source }, env: { ...opts.env, MATRIX_EXPLORER_SOURCE: 'paged' } });
  const rec = { serviceName: opts.serviceName, worker, exited: false, attached: [] as string[] };
  helpers.push(rec);
  const up = Object.assign(new EventEmitter(), {
    pid: process.pid,
    postMessage: (m: unknown, transfer?: MessagePortMain[]) => {
      const ports = (transfer ?? []).map(p => p.port);
      const attach = (m as { attachWindow?: string }).attachWindow;
      if (attach && ports.length) rec.attached.push(attach);
      worker.postMessage({ data: m, ports }, ports);
    },
    kill: () => { void worker.terminate(); return true; },
  });
  worker.on('online', () => up.emit('spawn'));
  worker.on('message', m => up.emit('message', m));
  worker.on('error', e => console.error(`${opts.serviceName}: ${e.message}`));
  worker.on('exit', code => { rec.exited = true; up.emit('exit', code); });
  return up;
}

/** Messages the main process received from windows over their ports (a direct helper port's never arrive here). */
const mainSaw: Array<{ t: string; method?: string; params?: { name?: string } }> = [];
class MessageChannelMain {
  port1: MessagePortMain; port2: MessagePort;
  constructor() {
    const ch = new MessageChannel();
    this.port1 = new MessagePortMain(ch.port1);
    this.port1.on('message', (e: { data: (typeof mainSaw)[number] }) => mainSaw.push(e.data));
    this.port2 = ch.port2;
  }
}
const queriesSeenByMain = (name: string) => mainSaw.filter(m => m.t === 'req' && m.method === 'query' && m.params?.name === name).length;

const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
const ipcListeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
const ipcMain = {
  handle: (ch: string, fn: (event: unknown, ...args: unknown[]) => unknown) => { ipcHandlers.set(ch, fn); },
  on: (ch: string, fn: (event: unknown, ...args: unknown[]) => void) => { ipcListeners.set(ch, fn); },
};

let preloadCode = '';
let nextWcId = 1;
class FakeWebContents extends EventEmitter {
  id = nextWcId++;
  url = '';
  api: MatrixClient | null = null;
  private rendererListeners = new Map<string, (event: { ports: MessagePort[] }, message: unknown) => void>();
  /** Direct helper ports handed to this page: [matrixId, whether a port came (none: taken back)]. */
  helperPorts: Array<[string, boolean]> = [];
  mainFrame = { parent: null, get url() { return ''; } };
  constructor(readonly win: FakeBrowserWindow) { super(); }
  setWindowOpenHandler() {}
  getURL() { return this.url; }
  reload() { void this.load(this.url); }
  postMessage(channel: string, msg: unknown, ports: MessagePort[] = []) {
    if (channel === 'matrix-explorer:helper-port') this.helperPorts.push([(msg as { matrixId: string }).matrixId, ports.length > 0]);
    this.rendererListeners.get(channel)?.({ ports }, msg);
  }
  async capturePage() { return { toPNG: () => Buffer.from([0x89, 0x50, 0x4e, 0x47]) }; }
  /** Loading a page: run the preload in a fresh "world", then report did-finish-load. */
  async load(url: string) {
    this.url = url;
    const frame = { parent: null, url };
    const event = () => ({ sender: this, senderFrame: frame });
    const electron = {
      contextBridge: { exposeInMainWorld: (_n: string, api: MatrixClient) => { this.api = api; } },
      ipcRenderer: {
        on: (ch: string, l: (event: { ports: MessagePort[] }, message: unknown) => void) => { this.rendererListeners.set(ch, l); },
        send: (ch: string, ...args: unknown[]) => ipcListeners.get(ch)?.(event(), ...args),
        invoke: async (ch: string, ...args: unknown[]) => ipcHandlers.get(ch)!(event(), ...args),
      },
      webUtils: { getPathForFile: (f: { path: string }) => f.path },
    };
    const mod = { exports: {} };
    new Function('require', 'module', 'exports', 'window', preloadCode)((m: string) => electron, mod, mod.exports, { addEventListener() {} });
    await new Promise(r => setImmediate(r));
    this.emit('did-finish-load');
  }
}
const windows: FakeBrowserWindow[] = [];
class FakeBrowserWindow extends EventEmitter {
  static getFocusedWindow() { return windows.filter(w => !w.destroyed).pop() ?? null; }
  static getAllWindows() { return windows.filter(w => !w.destroyed); }
  webContents = new FakeWebContents(this);
  destroyed = false; title = ''; progress = -1;
  constructor(readonly options: Record<string, unknown>) { super(); windows.push(this); setImmediate(() => this.emit('ready-to-show')); }
  loadURL(url: string) { return this.webContents.load(url); }
  show() {} focus() {} maximize() {} restore() {}
  isDestroyed() { return this.destroyed; } isMinimized() { return false; } isMaximized() { return false; }
  getNormalBounds() { return { x: 10, y: 20, width: 1000, height: 700 }; }
  setProgressBar(p: number) { this.progress = p; }
  setTitle(t: string) { this.title = t; }
  close() { this.emit('close'); this.destroyed = true; this.emit('closed'); }
}

let protocolHandler: ((req: Request) => Promise<Response>) | null = null;
const dialog = {
  saveTo: '' as string,
  showErrorBox: (title: string, text: string) => { throw new Error(`${title}: ${text}`); },
  showSaveDialog: async () => ({ canceled: !dialog.saveTo, filePath: dialog.saveTo }),
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showMessageBox: async () => ({ response: 0 }),
};
let appMenu: unknown = null;
const fakeElectron = {
  app, utilityProcess, MessageChannelMain, ipcMain, BrowserWindow: FakeBrowserWindow, dialog,
  protocol: { registerSchemesAsPrivileged() {}, handle: (_s: string, h: (req: Request) => Promise<Response>) => { protocolHandler = h; } },
  session: { defaultSession: { setPermissionRequestHandler() {}, setPermissionCheckHandler() {} } },
  Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => { appMenu = m; } },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
};

// ---------------------------------------------------------------- helpers

async function until<T>(what: string, f: () => T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

test('the main process under a stand-in Electron: argv → window → conversion → queries, New Window, links, export, security', { timeout: 240_000 }, async t => {
  if (!fs.existsSync(SAMPLE)) { t.skip(`${SAMPLE} is missing`); return; }
  const builtPreload = path.join(REPO, 'dist/electron/main/preload.js');
  if (!fs.existsSync(builtPreload) || !fs.readFileSync(builtPreload, 'utf8').startsWith('// matrix-explorer preload bundle')) {
    t.skip(`${builtPreload} is not the bundled preload (the app refuses to start without it): run npm run build / node scripts/build-preload.mjs`);
    return;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mx-main-'));
  const saved = { argv: process.argv, defaultApp: process.defaultApp, env: { ...process.env } };
  const load = (Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown })._load;
  (Module as unknown as { _load: unknown })._load = function (req: string, ...rest: unknown[]) {
    return req === 'electron' ? fakeElectron : load.call(this, req, ...rest);
  };
  try {
    preloadCode = (await build({ entryPoints: [path.join(REPO, 'electron/main/preload.ts')], bundle: true, platform: 'node', format: 'cjs', external: ['electron'], write: false, logLevel: 'silent' })).outputFiles[0].text;
    process.env.MATRIX_EXPLORER_USER_DATA = path.join(tmp, 'user');
    process.env.MATRIX_EXPLORER_CACHE = path.join(tmp, 'cache');
    process.argv = [process.execPath, REPO, SAMPLE];
    (process as { defaultApp?: boolean }).defaultApp = true;
    require('../electron/main/main');

    // The file from argv opens in the first window: its page's current() converts it (in a converter process).
    const w1 = await until('the first window', () => windows[0]?.webContents.api && windows[0]);
    const info = await w1.webContents.api!.current();
    assert.ok(info, 'current() answered the argv file');
    assert.deepEqual(info.shape, [1138, 1138]);
    assert.match(info.id, /\.mxstore$/);
    assert.equal(children.filter(c => c.serviceName.includes('converter')).length, 1, 'one conversion process');
    assert.equal(w1.progress, -1, 'taskbar progress cleared');
    assert.ok(appMenu, 'menu installed');
    assert.equal(app.commandLine.switches.get('js-flags'), '--expose-gc', 'renderers can collect the answers\' garbage');

    // Queries go through the port to the backend and the helper pool (helper processes).
    const req = { r0: 0, c0: 0, r1: 1138, c1: 1138, width: 64, height: 64 };
    const vp = await w1.webContents.api!.query(info.id, 'viewport', req);
    assert.ok(vp.rows > 0 && vp.rows <= 64 && vp.count.length === vp.rows * vp.cols);
    assert.ok(helpers.length > 0, 'helpers are utility processes');

    // Once its matrix is known the window gets a port straight to a helper: small queries go there, not
    // through this process; whole-matrix ones still come here (split over the helpers, memoized).
    const hasDirect = (w: FakeBrowserWindow) => w.webContents.helperPorts.filter(([m]) => m === info.id).pop()?.[1] === true;
    await until('w1 direct helper port', () => hasDirect(w1));
    const seenViewports = queriesSeenByMain('viewport'), seenValues = queriesSeenByMain('value'), seenStats = queriesSeenByMain('stats');
    assert.deepEqual(await w1.webContents.api!.query(info.id, 'viewport', req), vp);
    assert.equal((await w1.webContents.api!.query(info.id, 'value', { i: 0, j: 0 })).i, 0);
    assert.equal(queriesSeenByMain('viewport'), seenViewports, 'the viewport went straight to the helper');
    assert.equal(queriesSeenByMain('value'), seenValues, 'the value went straight to the helper');
    await w1.webContents.api!.query(info.id, 'stats', {});
    assert.equal(queriesSeenByMain('stats'), seenStats + 1, 'whole-matrix queries go through the main process');

    // New Window: same store, no second conversion.
    w1.webContents.api!.newWindow!(info.id);
    const w2 = await until('the second window', () => windows[1]?.webContents.api && windows[1]);
    assert.equal((await w2.webContents.api!.current())?.id, info.id);
    assert.equal(children.filter(c => c.serviceName.includes('converter')).length, 1, 'no reconversion');
    await until('w2 direct helper port', () => hasDirect(w2));
    // A window may only ask for windows on its own matrix.
    w2.webContents.api!.newWindow!('/some/other.mxstore');
    await new Promise(r => setTimeout(r, 50));
    assert.equal(windows.length, 2);

    // Links relay between the two windows.
    const got = new Promise(r => w2.webContents.api!.onLink(r));
    w1.webContents.api!.publishLink({ matrixId: info.id, from: 'a', cursor: { i: 3, j: 4 }, selection: { i: 5, j: 6 } });
    assert.deepEqual(await got, { matrixId: info.id, from: 'a', cursor: { i: 3, j: 4 }, selection: { i: 5, j: 6 } });

    // Only files the user chose can be opened.
    await assert.rejects(w1.webContents.api!.open('/etc/hostname'), /Not allowed to open \/etc\/hostname/);

    // Export through the (stubbed) native save dialog.
    dialog.saveTo = path.join(tmp, 'out.png');
    assert.equal(await w1.webContents.api!.saveExport!('view.png', new Uint8Array([1, 2, 3])), dialog.saveTo);
    assert.deepEqual([...fs.readFileSync(dialog.saveTo)], [1, 2, 3]);

    // Colormap preference persists to userData.
    w1.webContents.api!.setPrefs!({ colormap: 'magma' });
    assert.deepEqual(await w2.webContents.api!.prefs!(), { colormap: 'magma' });

    // IPC from a frame that is not our app:// page is refused.
    const evil = { sender: w1.webContents, senderFrame: { parent: null, url: 'https://evil.example/' } };
    await assert.rejects(async () => ipcHandlers.get('matrix-explorer:save-export')!(evil, 'x.png', new Uint8Array(1)), /refused/);
    const iframe = { sender: w1.webContents, senderFrame: { parent: {}, url: 'app://renderer/index.html' } };
    await assert.rejects(async () => ipcHandlers.get('matrix-explorer:prefs')!(iframe), /refused/);

    // The app:// protocol: CSP on every response, no way out of dist/renderer.
    const res = await protocolHandler!(new Request('app://renderer/index.html'));
    if (fs.existsSync(path.join(REPO, 'dist/renderer/index.html'))) {
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'; script-src 'self'/);
    }
    assert.equal((await protocolHandler!(new Request('app://renderer/..%2f..%2fpackage.json'))).status, 404);
    assert.equal((await protocolHandler!(new Request('app://other/index.html'))).status, 404);

    // The helper serving w1's direct port crashes mid-request: the request is answered anyway (over the main
    // port), the window is told its port is gone, the helper is replaced, and w1 gets a new direct port.
    const helper = helpers.find(h => !h.exited && h.attached.some(a => a.startsWith('w1#')))!;
    assert.ok(helper, 'a helper holds w1\'s port');
    const portsBefore = w1.webContents.helperPorts.length;
    const inFlight = w1.webContents.api!.query(info.id, 'viewport', req);
    void helper.worker.terminate();
    await until('the helper to die', () => helper.exited);
    assert.deepEqual([...(await inFlight).count], [...vp.count]);
    const vp2 = await w2.webContents.api!.query(info.id, 'viewport', req);
    assert.deepEqual([...vp2.count], [...vp.count]);
    assert.deepEqual([...(await w1.webContents.api!.query(info.id, 'viewport', req)).count], [...vp.count]);
    await until('w1 back on a direct port', () => w1.webContents.helperPorts.length > portsBefore && hasDirect(w1));
    assert.deepEqual(w1.webContents.helperPorts.slice(portsBefore).map(([, p]) => p)[0], false, 'first told the old port is gone');
    const seen2 = queriesSeenByMain('viewport');
    assert.deepEqual([...(await w1.webContents.api!.query(info.id, 'viewport', req)).count], [...vp.count]);
    assert.equal(queriesSeenByMain('viewport'), seen2, 'direct again');

    // A file dropped on a window that shows a matrix opens in a new window; File › Open… likewise.
    const small = `${SHARED_TESTDATA}/mtx/fmm-matrices-kepner_gilbert_graph.mtx`;
    ipcListeners.get('matrix-explorer:dropped')!({ sender: w2.webContents, senderFrame: { parent: null, url: 'app://renderer/index.html' } }, [small]);
    const w3 = await until('the drop window', () => windows[2]?.webContents.api && windows[2]);
    assert.deepEqual((await w3.webContents.api!.current())?.shape, [7, 7]);
    const eye = `${SHARED_TESTDATA}/mtx/fmm-matrices-eye3.mtx`;
    dialog.showOpenDialog = async () => ({ canceled: false, filePaths: [eye] as never[] });
    const file = (appMenu as Array<{ label?: string; submenu?: Array<{ label?: string; click?: () => void }> }>).find(m => m.label === '&File')!;
    file.submenu!.find(i => i.label === 'Open…')!.click!();
    const w4 = await until('the Open… window', () => windows[3]?.webContents.api && windows[3]);
    assert.deepEqual((await w4.webContents.api!.current())?.shape, [3, 3]);
    const recent = (await w4.webContents.api!.recent()).map(r => r.path);
    assert.deepEqual(recent.slice(0, 3), [eye, small, SAMPLE]);

    // Window state was saved.
    w2.close();
    await until('window state', () => fs.existsSync(path.join(tmp, 'user', 'window-state.json')), 5000);
  } finally {
    for (const w of windows) if (!w.destroyed) w.close();
    let prevented = false;
    app.emit('will-quit', { preventDefault: () => { prevented = true; } });
    if (prevented) await until('the app to quit', () => app.quitting, 15_000).catch(() => undefined);
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    for (const h of helpers) if (!h.exited) await h.worker.terminate();
    (Module as unknown as { _load: unknown })._load = load;
    process.argv = saved.argv;
    (process as { defaultApp?: boolean }).defaultApp = saved.defaultApp;
    for (const k of Object.keys(process.env)) if (!(k in saved.env)) delete process.env[k];
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

// The bundled preload, run under Node with a stand-in for the 'electron' module: it exposes exactly the
// MatrixClient interface, and its requests reach a real Backend through the real PortRouter over a MessagePort.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { MatrixClient } from '../../shared/client';
import type { MatrixInfo } from '../../shared/queries';
import { Backend } from '../backend/backend';
import { IPC } from '../shell/ipc-channels';
import { PathAllowList } from '../shell/path-allow-list';
import { PortRouter } from '../shell/port-router';
import { WindowRegistry } from '../shell/window-registry';

async function bundle(): Promise<string> {
  const r = await build({ entryPoints: [path.join(__dirname, 'preload.ts')], bundle: true, platform: 'node', format: 'cjs', external: ['electron'], write: false, logLevel: 'silent' });
  return r.outputFiles[0].text;
}

interface Loaded {
  api: MatrixClient;
  exposedAs: string;
  sent: unknown[][];
  invoked: unknown[][];
  giveBackendPort(port: MessagePort): void;
  /** The main process hands over (or, without a port, takes back) a port straight to a helper for `matrixId`. */
  giveHelperPort(matrixId: string, port?: MessagePort): void;
  fire(type: 'dragover' | 'drop', event: unknown): void;
}

function load(code: string): Loaded {
  const listeners = new Map<string, (e: unknown) => void>();
  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  const sent: unknown[][] = [];
  const invoked: unknown[][] = [];
  let api: MatrixClient | undefined;
  let exposedAs = '';
  const electron = {
    contextBridge: { exposeInMainWorld: (name: string, value: MatrixClient) => { exposedAs = name; api = value; } },
    ipcRenderer: {
      on: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => { ipcHandlers.set(channel, l); },
      send: (...args: unknown[]) => { sent.push(args); },
      invoke: async (...args: unknown[]) => { invoked.push(args); return args[0] === IPC.prefs ? { colormap: 'magma' } : '/saved/here.png'; },
    },
    webUtils: { getPathForFile: (f: { path: string }) => f.path },
  };
  const fakeWindow = { addEventListener: (type: string, l: (e: unknown) => void) => { listeners.set(type, l); } };
  const requireFn = (m: string) => { if (m === 'electron') return electron; throw new Error(`sandboxed preload cannot require ${m}`); };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', 'window', code)(requireFn, module, module.exports, fakeWindow);
  assert.ok(api, 'preload exposed nothing');
  return {
    api, exposedAs, sent, invoked,
    giveBackendPort: port => ipcHandlers.get(IPC.port)!({ ports: [port] }),
    giveHelperPort: (matrixId, port) => ipcHandlers.get(IPC.helperPort)!({ ports: port ? [port] : [] }, { matrixId }),
    fire: (type, event) => listeners.get(type)!(event),
  };
}

const fakeInfo = (storePath: string): MatrixInfo => ({
  id: storePath, storePath, sourcePath: '/data/a.mtx', sourceFormat: 'mtx', shape: [4, 5], kind: 'sparse', dtype: 'f8',
  nnz: 3, density: 0.15, stats: {} as MatrixInfo['stats'], levels: [1], header: '%%MatrixMarket',
});

test('the preload exposes exactly the MatrixClient interface as window.matrixExplorer', async () => {
  const p = load(await bundle());
  assert.equal(p.exposedAs, 'matrixExplorer');
  assert.deepEqual(Object.keys(p.api).sort(), ['current', 'newWindow', 'onLink', 'open', 'prefs', 'publishLink', 'query', 'recent', 'saveExport', 'setPrefs']);
  for (const v of Object.values(p.api)) assert.equal(typeof v, 'function');
  assert.ok(!('ipcRenderer' in p.api) && !('send' in p.api) && !('invoke' in p.api));
});

test('desktop calls go over their IPC channels; dropped files send their paths', async () => {
  const p = load(await bundle());
  assert.equal(await p.api.saveExport!('view.png', new Uint8Array([1, 2])), '/saved/here.png');
  assert.deepEqual(p.invoked[0], [IPC.saveExport, 'view.png', new Uint8Array([1, 2])]);
  assert.deepEqual(await p.api.prefs!(), { colormap: 'magma' });
  p.api.setPrefs!({ colormap: 'viridis', junk: 1 } as never);
  p.api.newWindow!('store-1');
  assert.deepEqual(p.sent, [[IPC.setPrefs, { colormap: 'viridis' }], [IPC.newWindow, 'store-1']]);
  let prevented = 0;
  const ev = (files: unknown[]) => ({ dataTransfer: { types: ['Files'], files }, preventDefault: () => prevented++, stopPropagation: () => undefined });
  p.fire('dragover', ev([]));
  p.fire('drop', ev([{ path: '/data/a.mtx' }, { path: '' }]));
  assert.equal(prevented, 2);
  assert.deepEqual(p.sent[2], [IPC.dropped, ['/data/a.mtx']]);
});

test('requests queue until the port arrives, then reach a real Backend through the router', async () => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mx-preload-'));
  const registry = new WindowRegistry();
  const allowList = new PathAllowList();
  let conversions = 0;
  const backend = new Backend({
    cacheDir,
    pool: { async query() { throw new Error('no queries here'); }, async close() {} },
    resolveStore: async (input, o) => {
      conversions++;
      o.onProgress?.({ fraction: 0.5, phase: 'parsing' });
      return { storePath: `${input}.mxstore`, manifest: {} as never, reused: conversions > 1 };
    },
    matrixInfo: async storePath => fakeInfo(storePath),
    allowPath: p => allowList.isAllowed(p) || 'not chosen',
  });
  const router = new PortRouter({ registry, allowList, connect: (id, send, o) => backend.connect(id, send, o) });
  const channels: MessageChannel[] = [];
  const openWindow = (pendingPath: string | null, matrixId: string | null = null) => {
    const rec = registry.add(registry.size + 1, matrixId, pendingPath);
    const ch = new MessageChannel();
    channels.push(ch);
    router.attach(rec.windowId, m => ch.port2.postMessage(m));
    ch.port2.on('message', m => router.fromWindow(rec.windowId, m));
    return { rec, port: ch.port1 };
  };
  try {
    const code = await bundle();
    // A window opened on the command line: `current()` converts the pending file.
    allowList.allow('/data/a.mtx', 'argv');
    const w1 = openWindow('/data/a.mtx');
    const p1 = load(code);
    const current = p1.api.current();
    await new Promise(r => setTimeout(r, 20));
    p1.giveBackendPort(w1.port);
    const info = await current;
    assert.equal(info?.id, '/data/a.mtx.mxstore');
    assert.equal(registry.get(w1.rec.windowId)?.matrixId, info?.id);

    // A path nobody chose is refused with a readable message.
    await assert.rejects(p1.api.open('/etc/passwd'), /Not allowed to open \/etc\/passwd/);
    // A signal copied through the context bridge (a plain object) must not break the call.
    const again = await p1.api.open('/data/a.mtx', { signal: {} as AbortSignal, onProgress: () => undefined });
    assert.equal(again.id, info?.id);

    // Cancelling through whenCancelled (what crosses the context bridge) rejects the open as cancelled.
    allowList.allow('/data/slow.mtx', 'dialog');
    let cancel: () => void = () => { throw new Error('hook not called'); };
    const slow = p1.api.open('/data/slow.mtx', { signal: {} as AbortSignal, whenCancelled: c => { cancel = c; } });
    cancel();
    await assert.rejects(slow, (e: Error & { code?: string }) => e.code === 'cancelled');
    await new Promise(r => setTimeout(r, 100)); // let the backend settle what it had started

    // New Window: another page on the same store, without converting or reopening it.
    const opens = backend.stats().storeOpens, converted = conversions;
    const w2 = openWindow(null, info!.id);
    const p2 = load(code);
    p2.giveBackendPort(w2.port);
    assert.equal((await p2.api.current())?.id, info?.id);
    assert.equal(backend.stats().storeOpens, opens);
    assert.equal(conversions, converted);

    // Links relay from one window to the other.
    const got = new Promise(resolve => p2.api.onLink(resolve));
    p1.api.publishLink({ matrixId: info!.id, from: 'w1', cursor: { i: 1, j: 2 }, selection: null });
    assert.deepEqual(await got, { matrixId: info!.id, from: 'w1', cursor: { i: 1, j: 2 }, selection: null });
  } finally {
    for (const ch of channels) { ch.port1.close(); ch.port2.close(); }
    await backend.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('small queries go over a helper port once the main process hands one over, and back to the main port without it', async () => {
  const p = load(await bundle());
  const main = new MessageChannel(), helper = new MessageChannel(), dying = new MessageChannel();
  /** Answers each request with who answered it; `hold` keeps requests unanswered. */
  const serve = (port: MessagePort, by: string, hold = false) => port.on('message', (m: { t: string; id: number; params?: { name?: string } }) => {
    if (m.t === 'req' && !hold) port.postMessage({ t: 'res', id: m.id, result: { by, name: m.params?.name } });
  });
  serve(main.port2, 'main');
  serve(helper.port2, 'helper');
  serve(dying.port2, 'dying', true);
  try {
    p.giveBackendPort(main.port1);
    const vp = { r0: 0, c0: 0, r1: 1, c1: 1, width: 1, height: 1 };
    const by = async (q: Promise<unknown>) => ((await q) as { by: string }).by;
    assert.equal(await by(p.api.query('m', 'viewport', vp)), 'main');
    p.giveHelperPort('m', helper.port1);
    assert.equal(await by(p.api.query('m', 'viewport', vp)), 'helper');
    assert.equal(await by(p.api.query('m', 'row', { index: 0 })), 'helper');
    assert.equal(await by(p.api.query('m', 'stats', {})), 'main', 'whole-matrix queries stay on the main path');
    p.giveHelperPort('m'); // the helper is gone: the main process takes the port back
    assert.equal(await by(p.api.query('m', 'viewport', vp)), 'main');
    // A helper that dies with a request on its port: the request is answered over the main port.
    p.giveHelperPort('m', dying.port1);
    const waiting = p.api.query('m', 'value', { i: 0, j: 0 });
    await new Promise(r => setTimeout(r, 20));
    dying.port2.close();
    assert.equal(await by(waiting), 'main');
  } finally {
    for (const ch of [main, helper, dying]) { ch.port1.close(); ch.port2.close(); }
  }
});

// Direct ports from windows to helpers: wires the HelperPortBroker's decisions (electron/shell) to Electron. Each
// port is a MessageChannelMain: port1 goes to the helper's utility process through the pool, port2 to the window's
// preload on IPC.helperPort with the matrix id. Taking a port back tells the window `{ matrixId }` without a port.
import { MessageChannelMain } from 'electron';
import type { HelperPool } from '../pool/helper-pool';
import { HelperPortBroker } from '../shell/helper-port-broker';
import { IPC } from '../shell/ipc-channels';
import type { WindowManager } from './window-manager';

export function wireHelperPorts(pool: HelperPool, windows: () => WindowManager, log: (line: string) => void): HelperPortBroker {
  const page = (windowId: string) => {
    const win = windows().get(windowId);
    return win && !win.isDestroyed() ? win.webContents : null;
  };
  const broker = new HelperPortBroker({
    helpers: () => pool.helpers(),
    connect(windowId, helper, attach) {
      const wc = page(windowId);
      if (!wc) return false;
      const { port1, port2 } = new MessageChannelMain();
      if (!pool.sendPorts(helper, attach, [port1])) { port1.close(); port2.close(); return false; }
      wc.postMessage(IPC.helperPort, { matrixId: attach.matrixId }, [port2]);
      return true;
    },
    disconnect(windowId, helper, attach, tellWindow) {
      if (helper) pool.sendPorts(helper, { detachWindow: attach.attachWindow }, []);
      if (tellWindow) page(windowId)?.postMessage(IPC.helperPort, { matrixId: attach.matrixId });
    },
    log,
  });
  pool.onHelpers(e => { if (e.kind === 'ready') broker.helperReady(e.helper); else broker.helperGone(e.helper); });
  return broker;
}

// Decides which helper process serves each window's small queries over a direct port, and when ports are
// handed out and taken back. The main process only brokers: electron/main makes the MessageChannel, gives one
// end to the helper (through the pool) and the other to the window; tiles then go helper → window directly.
//
//   - A window gets a port once its matrix is known (the backend answered its open/current) and a helper that
//     can carry ports is ready; windows spread over helpers (fewest windows first).
//   - Its matrix changes: the old port is taken back (helper and window told), a new one handed out.
//   - Its helper dies: the window is told its port is gone (it falls back to the main port), and gets a port to
//     another ready helper, or to the next one that becomes ready.
//   - It reloads or closes: the helper is told to drop the attachment (the page, and its end, are gone).
import type { HelperInfo } from '../pool/helper-pool';
import type { AttachWindowMessage } from '../pool/protocol';

export interface BrokerDeps {
  /** Helpers ready now. */
  helpers(): HelperInfo[];
  /**
   * Hands out a port: one end to `helper` with `attach`, the other to window `windowId` for `attach.matrixId`.
   * False (and nothing sent) when either side cannot take it.
   */
  connect(windowId: string, helper: HelperInfo, attach: AttachWindowMessage): boolean;
  /**
   * Takes a port back: tells `helper` (null: it is gone) to drop `attach`, and, with `tellWindow`, the window
   * that its port for `attach.matrixId` is gone.
   */
  disconnect(windowId: string, helper: HelperInfo | null, attach: AttachWindowMessage, tellWindow: boolean): void;
  log?(line: string): void;
}

interface WindowPorts {
  matrixId: string;
  storePath: string;
  attached: { helper: HelperInfo; attach: AttachWindowMessage } | null;
}

const sameProcess = (a: HelperInfo, b: HelperInfo) => a.index === b.index && a.generation === b.generation;

export class HelperPortBroker {
  private readonly windows = new Map<string, WindowPorts>();
  private serial = 0;

  constructor(private readonly deps: BrokerDeps) {}

  /** Window `windowId` now shows `matrixId` (stored at `storePath`). */
  windowShows(windowId: string, matrixId: string, storePath: string): void {
    const w = this.windows.get(windowId);
    if (w && w.matrixId === matrixId && w.storePath === storePath) { if (!w.attached) this.tryAttach(windowId, w); return; }
    if (w?.attached) this.takeBack(windowId, w, true);
    const next: WindowPorts = { matrixId, storePath, attached: null };
    this.windows.set(windowId, next);
    this.tryAttach(windowId, next);
  }

  /** Window `windowId`'s page is gone (reload, close, crash): its port went with it. */
  windowGone(windowId: string): void {
    const w = this.windows.get(windowId);
    if (!w) return;
    this.windows.delete(windowId);
    if (w.attached) this.takeBack(windowId, w, false);
  }

  /** A helper became ready (started or restarted): windows without a port get one. */
  helperReady(_helper: HelperInfo): void {
    for (const [windowId, w] of this.windows) if (!w.attached) this.tryAttach(windowId, w);
  }

  /** A helper process is gone: its windows fall back to the main port, then move to a ready helper. */
  helperGone(helper: HelperInfo): void {
    const moved: Array<[string, WindowPorts]> = [];
    for (const [windowId, w] of this.windows) {
      if (!w.attached || !sameProcess(w.attached.helper, helper)) continue;
      const { attach } = w.attached;
      w.attached = null;
      this.deps.disconnect(windowId, null, attach, true);
      moved.push([windowId, w]);
    }
    for (const [windowId, w] of moved) this.tryAttach(windowId, w);
  }

  /** Which helper (index) serves each window now (tests, diagnostics). */
  assignments(): Record<string, number | null> {
    return Object.fromEntries([...this.windows].map(([id, w]) => [id, w.attached?.helper.index ?? null]));
  }

  private takeBack(windowId: string, w: WindowPorts, tellWindow: boolean): void {
    const { helper, attach } = w.attached!;
    w.attached = null;
    this.deps.disconnect(windowId, helper, attach, tellWindow);
  }

  private tryAttach(windowId: string, w: WindowPorts): void {
    const ready = this.deps.helpers().filter(h => h.acceptsPorts);
    if (ready.length === 0) return;
    const load = (h: HelperInfo) => [...this.windows.values()].filter(x => x.attached && sameProcess(x.attached.helper, h)).length;
    let best = ready[0], bestLoad = load(best);
    for (const h of ready.slice(1)) {
      const l = load(h);
      if (l < bestLoad) { best = h; bestLoad = l; }
    }
    const attach: AttachWindowMessage = { attachWindow: `${windowId}#${++this.serial}`, matrixId: w.matrixId, storePath: w.storePath };
    if (this.deps.connect(windowId, best, attach)) {
      w.attached = { helper: best, attach };
      this.deps.log?.(`window ${windowId}: direct port to helper ${best.index}.${best.generation} for ${w.matrixId}`);
    }
  }
}

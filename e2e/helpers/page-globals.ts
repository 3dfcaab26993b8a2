// Types for code that runs inside the page (page.evaluate / waitForFunction callbacks): the project's
// Node tsconfig has no DOM lib, so callbacks cast `globalThis` to this. Types only; nothing is imported at run time.
import type { ExplorerHook } from '../../shared/view/explorer-probe';

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface PageGlobals {
  __explorer?: ExplorerHook;
  document: { querySelector(selector: string): any };
  devicePixelRatio: number;
  requestAnimationFrame(cb: (t: number) => void): number;
  DOMParser: new () => { parseFromString(text: string, type: string): any };
  __frames: number[];
  __stop: boolean;
}

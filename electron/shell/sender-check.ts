// Validates the sender of every IPC message: it must be the top frame of one of our windows, showing a page
// from our own app:// origin. Anything else (a navigated-away frame, an iframe, an unknown webContents) is refused.
import type { WindowRecord, WindowRegistry } from './window-registry';

export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export interface SenderInfo {
  webContentsId: number;
  /** URL of the frame that sent the message (event.senderFrame.url), or undefined if the frame is gone. */
  frameUrl: string | undefined;
  /** Whether the sending frame is the top frame of its webContents. */
  isMainFrame: boolean;
}

/** True when `url` is on our app origin (exact scheme + host; no credentials, no port). */
export function isAppUrl(url: string | undefined, origin = APP_ORIGIN): boolean {
  if (!url) return false;
  let u: URL;
  try { u = new URL(url); } catch { return false; }
  const o = new URL(origin);
  return u.protocol === o.protocol && u.host === o.host && u.username === '' && u.password === '' && u.port === '';
}

/** The window a trusted message comes from, or null if the sender must be ignored. */
export function trustedSender(registry: WindowRegistry, sender: SenderInfo, origin = APP_ORIGIN): WindowRecord | null {
  if (!sender.isMainFrame) return null;
  if (!isAppUrl(sender.frameUrl, origin)) return null;
  return registry.byWebContents(sender.webContentsId) ?? null;
}

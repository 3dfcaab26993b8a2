// Relays cursor/selection/view links between windows showing the same matrix. The main process only
// brokers: it validates the message, then forwards it to every *other* window on that matrix.
import type { LinkState } from '../../shared/client';
import type { WindowRecord, WindowRegistry } from './window-registry';

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isCell = (v: unknown): boolean =>
  v === null || (typeof v === 'object' && v !== null && isIndex((v as { i?: unknown }).i) && isIndex((v as { j?: unknown }).j));
const isView = (v: unknown): boolean => {
  if (v === undefined) return true;
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return ['r0', 'c0', 'r1', 'c1'].every(k => typeof r[k] === 'number' && Number.isFinite(r[k] as number));
};

/** Returns a clean copy of a link message from an untrusted renderer, or null when it is malformed. */
export function parseLinkState(raw: unknown): LinkState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const m = raw as Record<string, unknown>;
  if (typeof m.matrixId !== 'string' || typeof m.from !== 'string') return null;
  if (!isCell(m.cursor) || !isCell(m.selection) || !isView(m.view)) return null;
  const cell = (c: unknown) => (c === null ? null : { i: (c as { i: number }).i, j: (c as { j: number }).j });
  const out: LinkState = { matrixId: m.matrixId, from: m.from, cursor: cell(m.cursor), selection: cell(m.selection) };
  if (m.view !== undefined) {
    const v = m.view as Record<string, number>;
    out.view = { r0: v.r0, c0: v.c0, r1: v.r1, c1: v.c1 };
  }
  return out;
}

/**
 * The windows a link published by `senderWindowId` goes to: every other window whose matrix is the link's
 * matrix. A window may only publish for the matrix it shows (otherwise nothing is relayed).
 */
export function linkTargets(registry: WindowRegistry, senderWindowId: string, state: LinkState): WindowRecord[] {
  const sender = registry.get(senderWindowId);
  if (!sender) return [];
  // A window learns its matrix from the renderer (it may have opened one itself); trust the first claim
  // only when the window had none, so a window cannot eavesdrop on another matrix's links later.
  if (sender.matrixId === null) registry.setMatrix(senderWindowId, state.matrixId);
  else if (sender.matrixId !== state.matrixId) return [];
  return registry.windowsOn(state.matrixId).filter(r => r.windowId !== senderWindowId);
}

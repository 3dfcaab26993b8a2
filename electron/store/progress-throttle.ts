// Throttles progress callbacks to at most `perSecond` calls, always passing a phase change and the end of a phase.
import type { Progress } from '../../shared/queries';

export function throttleProgress(fn: ((p: Progress) => void) | undefined, perSecond = 20): (phase: string, done: number, total: number) => void {
  if (!fn) return () => {};
  const gap = 1000 / perSecond;
  let last = -Infinity, lastPhase = '';
  return (phase, done, total) => {
    const now = Date.now();
    const end = total > 0 && done >= total;
    if (phase === lastPhase && now - last < gap && !(end && now - last >= gap / 4)) return;
    last = now; lastPhase = phase;
    fn({ phase, fraction: total > 0 ? Math.min(1, done / total) : null, done, total });
  };
}

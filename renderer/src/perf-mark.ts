// Named moments of opening the page (`performance.mark('mx:…')`, each only once), read by bench/ui.ts to
// show where the time from navigation to the first painted heatmap goes.
const seen = new Set<string>();

export function perfMark(name: string): void {
  if (seen.has(name)) return;
  seen.add(name);
  try { performance.mark(`mx:${name}`); } catch { /* no User Timing: nothing to record */ }
}

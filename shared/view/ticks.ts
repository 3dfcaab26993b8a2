// Axis ticks and number formatting for plots drawn by hand. Pure.

/** "Nice" tick positions (1, 2, 5 × 10^k steps) covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count: number, integer = false): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi) || count < 1) return Number.isFinite(lo) ? [lo] : [];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  let step = mag;
  for (const m of [1, 2, 5, 10]) { step = m * mag; if (step >= raw) break; }
  if (integer) step = Math.max(1, Math.round(step));
  const first = Math.ceil(lo / step) * step;
  const out: number[] = [];
  for (let t = first; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : +t.toPrecision(12));
  return out;
}

/** Compact, readable number: integers as is (with thin grouping), others to 4 significant digits. */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '−Inf';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (Number.isInteger(v) && a < 1e15) return grouped(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(3);
  return String(+v.toPrecision(5));
}

/**
 * An integer below 1e21 with comma thousands separators, like toLocaleString('en-US') but without Intl,
 * whose first use in a page costs 40-100 ms (ICU set-up) on the way to the first heatmap.
 */
function grouped(n: number): string {
  const s = String(Math.abs(n));
  if (!/^\d+$/.test(s)) return String(n); // exponent notation (|n| >= 1e21): as String() writes it
  let out = s.slice(0, s.length % 3 || 3);
  for (let k = out.length; k < s.length; k += 3) out += `,${s.slice(k, k + 3)}`;
  return n < 0 ? `-${out}` : out;
}

/** Integer with thousands separators. */
export const formatCount = (n: number): string => grouped(Math.round(n));

// Maps values to colours on the client: scale (linear / log / symlog), clamp range, colormap LUT.
// Changing any of these recolours the raster already fetched; nothing is refetched. Pure.
import { LUT_SIZE } from '../colormaps';

export type ScaleKind = 'linear' | 'log' | 'symlog';

export interface ColorScale {
  kind: ScaleKind;
  /** Clamp range (values outside take the end colours). */
  lo: number;
  hi: number;
  /** Diverging colormaps centre the range on 0: [-m, m], m = max(|lo|, |hi|). */
  diverging: boolean;
}

/** RGBA drawn for cells with no finite value (NaN, empty, or ≤ 0 under a log scale). */
export const NO_VALUE_RGBA: [number, number, number, number] = [0, 0, 0, 0];

/** symlog's linear threshold: 1/1000 of the largest magnitude of the range (1 when that is 0). */
export function symlogThreshold(lo: number, hi: number): number {
  const m = Math.max(Math.abs(lo), Math.abs(hi));
  return m > 0 ? m / 1000 : 1;
}

/** Returns f such that f(v) ∈ [0, 1] for values in the range (clamped), NaN for values with no colour. */
export function makeNormalizer(s: ColorScale): (v: number) => number {
  let lo = s.lo, hi = s.hi;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) { lo = 0; hi = 1; }
  if (lo > hi) [lo, hi] = [hi, lo];
  if (s.diverging) { const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1; lo = -m; hi = m; }
  let tf: (v: number) => number;
  if (s.kind === 'log') {
    if (hi <= 0) hi = 1;
    if (lo <= 0) lo = hi / 1e6;
    tf = Math.log10;
  } else if (s.kind === 'symlog') {
    const c = symlogThreshold(lo, hi);
    tf = v => Math.sign(v) * Math.log10(1 + Math.abs(v) / c);
  } else {
    tf = v => v;
  }
  const a = tf(lo), b = tf(hi);
  const span = b - a;
  const log = s.kind === 'log';
  return (v: number) => {
    if (!Number.isFinite(v) || (log && v <= 0)) return NaN;
    if (span === 0 || !Number.isFinite(span)) return 0.5;
    const t = (tf(v) - a) / span;
    return t < 0 ? 0 : t > 1 ? 1 : t;
  };
}

/** Fills `out` (RGBA, length values.length*4) with the colours of `values`. */
export function colorize(values: ArrayLike<number>, scale: ColorScale, lut: Uint8Array, out: Uint8ClampedArray | Uint8Array): void {
  const norm = makeNormalizer(scale);
  const top = LUT_SIZE - 1;
  for (let k = 0, o = 0; k < values.length; k++, o += 4) {
    const t = norm(values[k]);
    if (t !== t) { out[o] = NO_VALUE_RGBA[0]; out[o + 1] = NO_VALUE_RGBA[1]; out[o + 2] = NO_VALUE_RGBA[2]; out[o + 3] = NO_VALUE_RGBA[3]; continue; }
    const i = Math.round(t * top) * 4;
    out[o] = lut[i]; out[o + 1] = lut[i + 1]; out[o + 2] = lut[i + 2]; out[o + 3] = 255;
  }
}

/** The values at evenly spaced positions t∈[0,1] of the scale (for a colour bar's tick labels). */
export function scaleValueAt(s: ColorScale, t: number): number {
  let lo = s.lo, hi = s.hi;
  if (lo > hi) [lo, hi] = [hi, lo];
  if (s.diverging) { const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1; lo = -m; hi = m; }
  if (s.kind === 'log') {
    if (hi <= 0) hi = 1;
    if (lo <= 0) lo = hi / 1e6;
    return 10 ** (Math.log10(lo) + t * (Math.log10(hi) - Math.log10(lo)));
  }
  if (s.kind === 'symlog') {
    const c = symlogThreshold(lo, hi);
    const f = (v: number) => Math.sign(v) * Math.log10(1 + Math.abs(v) / c);
    const y = f(lo) + t * (f(hi) - f(lo));
    return Math.sign(y) * c * (10 ** Math.abs(y) - 1);
  }
  return lo + t * (hi - lo);
}

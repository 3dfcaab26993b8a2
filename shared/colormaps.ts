// Colormaps as 256-entry RGBA lookup tables, sampled from d3-scale-chromatic's interpolators
// (never hand-typed). Pure: no DOM, no Node.
import { interpolateGreys, interpolateMagma, interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';

export type ColormapName = 'viridis' | 'magma' | 'grey' | 'rdbu';

export interface Colormap {
  name: ColormapName;
  label: string;
  /** Diverging maps are centred on 0 (the middle entry is 0). */
  diverging: boolean;
  /** 256 × RGBA, entry 0 is the low end. */
  lut: Uint8Array;
}

export const LUT_SIZE = 256;

/** Parses d3's colour strings: `rgb(r, g, b)` or `#rrggbb`. */
export function parseColor(s: string): [number, number, number] {
  const m = /^rgb\(\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*\)$/.exec(s.trim());
  if (m) return [Math.round(+m[1]), Math.round(+m[2]), Math.round(+m[3])];
  const h = /^#([0-9a-f]{6})$/i.exec(s.trim());
  if (h) {
    const v = parseInt(h[1], 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }
  throw new Error(`unrecognised colour "${s}"`);
}

/** Samples an interpolator t∈[0,1] → colour at LUT_SIZE evenly spaced points. */
export function buildLut(interpolate: (t: number) => string, reverse = false): Uint8Array {
  const lut = new Uint8Array(LUT_SIZE * 4);
  for (let k = 0; k < LUT_SIZE; k++) {
    const t = k / (LUT_SIZE - 1);
    const [r, g, b] = parseColor(interpolate(reverse ? 1 - t : t));
    lut[k * 4] = r; lut[k * 4 + 1] = g; lut[k * 4 + 2] = b; lut[k * 4 + 3] = 255;
  }
  return lut;
}

const cache = new Map<ColormapName, Colormap>();

export const COLORMAP_NAMES: ColormapName[] = ['viridis', 'magma', 'grey', 'rdbu'];

/** The names shown in a colormap menu: listing the maps must not build every map's table. */
export const COLORMAP_LABELS: Record<ColormapName, string> = { viridis: 'Viridis', magma: 'Magma', grey: 'Grey', rdbu: 'RdBu (0-centred)' };

/** The colormap by name (built once). grey runs black → white; rdbu runs blue (negative) → red (positive). */
export function getColormap(name: ColormapName): Colormap {
  let c = cache.get(name);
  if (!c) {
    switch (name) {
      case 'viridis': c = { name, label: COLORMAP_LABELS.viridis, diverging: false, lut: buildLut(interpolateViridis) }; break;
      case 'magma': c = { name, label: COLORMAP_LABELS.magma, diverging: false, lut: buildLut(interpolateMagma) }; break;
      case 'grey': c = { name, label: COLORMAP_LABELS.grey, diverging: false, lut: buildLut(interpolateGreys, true) }; break;
      case 'rdbu': c = { name, label: COLORMAP_LABELS.rdbu, diverging: true, lut: buildLut(interpolateRdBu, true) }; break;
      default: throw new Error(`unknown colormap "${String(name)}"`);
    }
    cache.set(name, c);
  }
  return c;
}

/** CSS colour of LUT entry k (for legends). */
export function lutCss(lut: Uint8Array, k: number): string {
  const i = Math.max(0, Math.min(LUT_SIZE - 1, Math.round(k))) * 4;
  return `rgb(${lut[i]}, ${lut[i + 1]}, ${lut[i + 2]})`;
}

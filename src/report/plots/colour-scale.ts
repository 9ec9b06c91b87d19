/**
 * Colour scales shared by the vega heatmap and the raster heatmap, built from
 * vega's own schemes so both paths colour a value the same way.
 */
import * as vega from 'vega';

/** `diverging`: blue (low) - white (0) - red (high), for correlations; `sequential`: white to dark blue, for counts. */
export type HeatmapScheme = 'diverging' | 'sequential';

/** The vega scheme behind each heatmap scheme; `reverse` puts blue at the low end of red-blue. */
export const VEGA_SCHEMES: Readonly<Record<HeatmapScheme, { readonly name: string; readonly reverse: boolean }>> = {
  diverging: { name: 'redblue', reverse: true },
  sequential: { name: 'blues', reverse: false },
};

/** A lookup table of `size` colours, `[size * 3]` RGB bytes from the low end of the scale to the high end. */
export function colourTable(scheme: HeatmapScheme, size = 256): Uint8Array {
  const { name, reverse } = VEGA_SCHEMES[scheme];
  const interpolate = vega.scheme(name) as (t: number) => string;
  const table = new Uint8Array(size * 3);
  for (let i = 0; i < size; i++) {
    const t = size === 1 ? 0.5 : i / (size - 1);
    table.set(parseColour(interpolate(reverse ? 1 - t : t)), i * 3);
  }
  return table;
}

/** `rgb(1, 2, 3)` or `#010203` -> [1, 2, 3]. */
export function parseColour(css: string): [number, number, number] {
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/.exec(css);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css);
  if (hex) return [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16), parseInt(hex[3]!, 16)];
  throw new Error(`parseColour: cannot read colour '${css}'`);
}

/** Index into a table of `size` colours for `value` on `domain` (clamped); NaN -> -1. */
export function colourIndex(value: number, domain: readonly [number, number], size: number): number {
  if (Number.isNaN(value)) return -1;
  const [lo, hi] = domain;
  const t = hi > lo ? (value - lo) / (hi - lo) : 0.5;
  return Math.round(Math.min(1, Math.max(0, t)) * (size - 1));
}

/** Black or white, whichever reads better on the RGB colour (by WCAG relative luminance). */
export function textColourOn(rgb: readonly [number, number, number] | Uint8Array): '#000' | '#fff' {
  const linear = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * linear(rgb[0]!) + 0.7152 * linear(rgb[1]!) + 0.0722 * linear(rgb[2]!);
  return luminance > 0.179 ? '#000' : '#fff';
}

/**
 * The colour domain of a matrix: `diverging` is symmetric around 0
 * ([-m, m], m = max |v|); `sequential` spans [min, max]. Non-finite entries
 * are ignored; an empty or constant matrix gets a unit-wide domain.
 */
export function matrixDomain(matrix: readonly ArrayLike<number>[], scheme: HeatmapScheme): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of matrix) {
    for (let j = 0; j < row.length; j++) {
      const v = row[j]!;
      if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    }
  }
  if (lo > hi) return scheme === 'diverging' ? [-1, 1] : [0, 1];
  if (scheme === 'diverging') {
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    return m > 0 ? [-m, m] : [-1, 1];
  }
  return lo < hi ? [lo, hi] : [lo, lo + 1];
}

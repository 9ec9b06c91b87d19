import type { TopLevelSpec } from 'vega-lite';
import { checkSize, chartTitle, renderVegaLite, type ChartSize } from './vega-render.js';

export interface HistogramOptions extends ChartSize {
  readonly title: string;
  readonly xLabel: string;
  /** One histogram per group, overlaid with transparency on shared bins; non-finite values dropped. */
  readonly groups: readonly { readonly name: string; readonly values: ArrayLike<number> }[];
  /** Number of equal-width bins over the range of all values (default 30). */
  readonly bins?: number;
  /** Show each group's fraction of its values per bin instead of counts (for groups of different sizes). */
  readonly normalize?: boolean;
  /** y-axis title (default 'count', or 'fraction' when normalized). */
  readonly yLabel?: string;
}

/** Counts of `values` in `bins` equal-width bins over [lo, hi]; the last bin includes `hi`. */
export function binCounts(values: ArrayLike<number>, lo: number, hi: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const width = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v) || v < lo || v > hi) continue;
    const bin = width > 0 ? Math.min(bins - 1, Math.floor((v - lo) / width)) : 0;
    counts[bin]! += 1;
  }
  return counts;
}

/**
 * Histogram of one or more groups of values (per-unit KL, log-weights),
 * binned here so that large samples stay small in the SVG.
 *
 * @returns SVG markup
 * @example await histogram({ title: 'KL per unit', xLabel: 'nats', groups: [{ name: 'IWAE', values: [0.1, 2.3, 0.02] }], bins: 20 })
 */
export async function histogram(o: HistogramOptions): Promise<string> {
  checkSize('histogram', o);
  const bins = o.bins ?? 30;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`Argument 'bins' passed to 'histogram' must be a positive integer, got ${bins}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const g of o.groups) {
    for (let i = 0; i < g.values.length; i++) {
      const v = g.values[i]!;
      if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    }
  }
  if (lo > hi) [lo, hi] = [0, 1];
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  const width = (hi - lo) / bins;
  const values = o.groups.flatMap((g) => {
    const counts = binCounts(g.values, lo, hi, bins);
    const total = counts.reduce((a, b) => a + b, 0);
    return counts.map((count, i) => ({
      group: g.name,
      start: lo + i * width,
      end: lo + (i + 1) * width,
      y: o.normalize === true ? (total > 0 ? count / total : 0) : count,
    }));
  });
  const several = o.groups.length > 1;
  const spec: TopLevelSpec = {
    title: chartTitle(o.title),
    width: o.width ?? 480,
    height: o.height ?? 280,
    data: { values },
    mark: { type: 'bar', opacity: several ? 0.55 : 0.9, stroke: 'white', strokeWidth: 0.5, binSpacing: 0 },
    encoding: {
      x: { field: 'start', type: 'quantitative', title: o.xLabel, scale: { domain: [lo, hi], nice: false, zero: false } },
      x2: { field: 'end' },
      y: {
        field: 'y', type: 'quantitative', title: o.yLabel ?? (o.normalize === true ? 'fraction' : 'count'), stack: null, scale: { zero: true },
        ...(o.normalize === true ? {} : { axis: { tickMinStep: 1, format: 'd' } }), // counts: integer ticks only
      },
      y2: { datum: 0 },
      color: { field: 'group', type: 'nominal', title: null, sort: o.groups.map((g) => g.name), legend: several ? {} : null },
    },
  };
  return renderVegaLite(spec);
}

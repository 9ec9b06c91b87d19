import type { TopLevelSpec } from 'vega-lite';
import { checkSize, chartTitle, renderVegaLite, type ChartSize } from './vega-render.js';

/** Scale of a continuous axis. `log` drops points at or below zero. */
export type AxisScale = 'linear' | 'log';

export interface LineChartOptions extends ChartSize {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** One line per series, drawn in the order given; points as `[x, y]`, non-finite ones dropped. */
  readonly series: readonly { readonly name: string; readonly points: readonly (readonly [number, number])[] }[];
  readonly xScale?: AxisScale;
  readonly yScale?: AxisScale;
  /** Fixed y range; default fits the data (without forcing zero in). */
  readonly yDomain?: readonly [number, number];
  /** Mark each point with a dot (default: only when a series has at most 30 points). */
  readonly showPoints?: boolean;
}

/**
 * Line chart of one or more series (training curves, bounds against k), one
 * colour per series with a legend.
 *
 * @returns SVG markup
 * @example await lineChart({ title: 'Test bound', xLabel: 'epoch', yLabel: 'log p(x)', series: [{ name: 'IWAE k=5', points: [[1, -95], [2, -91]] }] })
 */
export async function lineChart(o: LineChartOptions): Promise<string> {
  checkSize('lineChart', o);
  const keep = (x: number, y: number): boolean =>
    Number.isFinite(x) && Number.isFinite(y) && (o.xScale !== 'log' || x > 0) && (o.yScale !== 'log' || y > 0);
  const values = o.series.flatMap((s, order) =>
    s.points.filter(([x, y]) => keep(x, y)).map(([x, y]) => ({ series: s.name, order, x, y })),
  );
  const longest = Math.max(0, ...o.series.map((s) => s.points.length));
  const showPoints = o.showPoints ?? longest <= 30;
  const spec: TopLevelSpec = {
    title: chartTitle(o.title),
    width: o.width ?? 480,
    height: o.height ?? 300,
    data: { values },
    mark: { type: 'line', strokeWidth: 2, point: showPoints ? { filled: true, size: 30 } : false, clip: o.yDomain !== undefined },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: o.xLabel, scale: { type: o.xScale ?? 'linear', ...(o.xScale === 'log' ? {} : { zero: false }), nice: true } },
      y: {
        field: 'y',
        type: 'quantitative',
        title: o.yLabel,
        scale: { type: o.yScale ?? 'linear', ...(o.yScale === 'log' ? {} : { zero: false }), nice: true, ...(o.yDomain ? { domain: [...o.yDomain] } : {}) },
      },
      color: { field: 'series', type: 'nominal', title: null, sort: o.series.map((s) => s.name) },
      order: { field: 'x', type: 'quantitative' },
    },
  };
  return renderVegaLite(spec);
}

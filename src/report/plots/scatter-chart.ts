import type { TopLevelSpec } from 'vega-lite';
import type { AxisScale } from './line-chart.js';
import { checkSize, chartTitle, renderVegaLite, type ChartSize } from './vega-render.js';

export interface ScatterChartOptions extends ChartSize {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** One dot per point, coloured by `group` (legend in first-seen order); non-finite points dropped. */
  readonly points: readonly { readonly x: number; readonly y: number; readonly group: string }[];
  readonly xScale?: AxisScale;
  readonly yScale?: AxisScale;
  /** Dot area in square pixels (default: 40, smaller for thousands of points). */
  readonly pointSize?: number;
  /** Draw the line y = x (for comparing two estimates of the same quantity). */
  readonly diagonal?: boolean;
}

/**
 * Scatter plot of points coloured by group (2-D latent codes by digit class,
 * one estimate against another).
 *
 * @returns SVG markup
 * @example await scatterChart({ title: 'Latent means', xLabel: 'z[0]', yLabel: 'z[1]', points: [{ x: 0.1, y: -1, group: '3' }] })
 */
export async function scatterChart(o: ScatterChartOptions): Promise<string> {
  checkSize('scatterChart', o);
  const keep = (p: { x: number; y: number }): boolean =>
    Number.isFinite(p.x) && Number.isFinite(p.y) && (o.xScale !== 'log' || p.x > 0) && (o.yScale !== 'log' || p.y > 0);
  const values = o.points.filter(keep).map((p) => ({ x: p.x, y: p.y, group: p.group }));
  const groups = [...new Set(values.map((p) => p.group))];
  const size = o.pointSize ?? (values.length > 2000 ? 12 : values.length > 300 ? 24 : 40);
  const scale = (type: AxisScale | undefined) => (type === 'log' ? { type } : { type: 'linear', zero: false });
  const x = { field: 'x', type: 'quantitative', title: o.xLabel, scale: scale(o.xScale) } as const;
  const y = { field: 'y', type: 'quantitative', title: o.yLabel, scale: scale(o.yScale) } as const;
  const dots = {
    mark: { type: 'circle', size, opacity: values.length > 2000 ? 0.5 : 0.75 },
    encoding: { x, y, color: { field: 'group', type: 'nominal', title: null, sort: groups } },
  } as const;
  const layers: TopLevelSpec[] = [];
  if (o.diagonal === true && values.length > 0) {
    const lo = values.reduce((m, p) => Math.min(m, p.x, p.y), Infinity);
    const hi = values.reduce((m, p) => Math.max(m, p.x, p.y), -Infinity);
    layers.push({
      data: { values: [{ x: lo, y: lo }, { x: hi, y: hi }] },
      mark: { type: 'line', color: '#888', strokeDash: [4, 4], strokeWidth: 1 },
      encoding: { x, y },
    } as TopLevelSpec);
  }
  const spec = {
    title: chartTitle(o.title),
    width: o.width ?? 420,
    height: o.height ?? 360,
    layer: [...layers, { data: { values }, ...dots }],
  } as TopLevelSpec;
  return renderVegaLite(spec);
}

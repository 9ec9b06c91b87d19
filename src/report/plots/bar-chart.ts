import type { TopLevelSpec } from 'vega-lite';
import { checkSize, chartTitle, renderVegaLite, type ChartSize } from './vega-render.js';

export interface BarChartOptions extends ChartSize {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /**
   * One bar per entry, in the order given. With `group`, bars sharing a label
   * stand side by side, one colour per group; with `error`, a whisker spans
   * value ± error (a standard error or a half-width, as the caption says).
   */
  readonly bars: readonly { readonly label: string; readonly value: number; readonly error?: number; readonly group?: string }[];
  /** Fixed y range; default includes zero. */
  readonly yDomain?: readonly [number, number];
  /** The values are counts: integer ticks only (no 1.2, 1.4 on an axis of units). */
  readonly integer?: boolean;
}

/**
 * Bar chart with optional error bars and grouping (active units per model,
 * bounds per objective and k).
 *
 * @returns SVG markup
 * @example await barChart({ title: 'Active units', xLabel: 'model', yLabel: 'units', bars: [{ label: 'VAE', value: 19, group: 'k=1' }, { label: 'IWAE', value: 25, group: 'k=1' }] })
 */
export async function barChart(o: BarChartOptions): Promise<string> {
  checkSize('barChart', o);
  const values = o.bars
    .filter((b) => Number.isFinite(b.value))
    .map((b) => {
      const error = b.error !== undefined && Number.isFinite(b.error) ? Math.abs(b.error) : undefined;
      return { label: b.label, group: b.group ?? '', value: b.value, ...(error === undefined ? {} : { lo: b.value - error, hi: b.value + error }) };
    });
  const labels = [...new Set(values.map((b) => b.label))];
  const groups = [...new Set(values.map((b) => b.group))];
  const grouped = groups.length > 1 || groups[0] !== '';
  const longLabels = labels.some((l) => l.length > 10) || labels.length > 12;
  const x = {
    field: 'label',
    type: 'nominal',
    title: o.xLabel,
    sort: labels,
    axis: { labelAngle: longLabels ? -35 : 0, labelLimit: 220, grid: false },
    scale: { paddingInner: 0.2 },
  } as const;
  const xOffset = grouped ? { xOffset: { field: 'group', type: 'nominal', sort: groups } } : {};
  const y = {
    type: 'quantitative',
    title: o.yLabel,
    ...(o.yDomain ? { scale: { domain: [...o.yDomain] } } : {}),
    ...(o.integer ? { axis: { tickMinStep: 1, format: 'd' } } : {}),
  } as const;
  const colour = grouped
    ? { color: { field: 'group', type: 'nominal', title: null, sort: groups } }
    : { color: { value: '#4c78a8' } };
  const layers: object[] = [
    { mark: { type: 'bar' }, encoding: { x, y: { field: 'value', ...y }, ...xOffset, ...colour } },
  ];
  if (values.some((b) => b.lo !== undefined)) {
    layers.push({
      transform: [{ filter: 'isValid(datum.lo)' }],
      mark: { type: 'rule', color: '#222', strokeWidth: 1.5 },
      encoding: { x, y: { field: 'lo', ...y }, y2: { field: 'hi' }, ...xOffset },
    });
    for (const end of ['lo', 'hi']) {
      layers.push({
        transform: [{ filter: 'isValid(datum.lo)' }],
        mark: { type: 'tick', color: '#222', thickness: 1.5, size: 10 },
        encoding: { x, y: { field: end, ...y }, ...xOffset },
      });
    }
  }
  const width = o.width ?? Math.min(720, Math.max(240, values.length * (grouped ? 26 : 40)));
  const spec = {
    title: chartTitle(o.title),
    width,
    height: o.height ?? 280,
    data: { values },
    layer: layers,
  } as TopLevelSpec;
  return renderVegaLite(spec);
}

import type { TopLevelSpec } from 'vega-lite';
import { formatNumber } from '../html/format-number.js';
import { colourIndex, colourTable, matrixDomain, textColourOn, VEGA_SCHEMES, type HeatmapScheme } from './colour-scale.js';
import { rasterHeatmap } from './raster-heatmap.js';
import { tickIndices } from './ticks.js';
import { checkSize, chartTitle, renderVegaLite, type ChartSize } from './vega-render.js';

export interface HeatmapOptions extends ChartSize {
  readonly title: string;
  /** `[rows][cols]`, rectangular; non-finite cells are drawn grey. Row 0 is at the top. */
  readonly matrix: readonly ArrayLike<number>[];
  /** A label per row / column (default: the index). */
  readonly rowLabels?: readonly string[];
  readonly colLabels?: readonly string[];
  /** `diverging` (default): blue-white-red around 0, for correlations; `sequential`: white to blue, for counts. */
  readonly scheme?: HeatmapScheme;
  /** Colour range; default [-max|v|, max|v|] for diverging, [min, max] for sequential. Values outside are clamped. */
  readonly domain?: readonly [number, number];
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Title of the colour legend (default none). */
  readonly legendTitle?: string;
  /** Print each value in its cell (default: when the matrix is at most 12 x 12). */
  readonly showValues?: boolean;
  /** Matrices with more rows or columns than this are drawn as one embedded PNG (default 64). */
  readonly rasterAbove?: number;
}

/** Largest side for which cell values are printed by default. */
const SHOW_VALUES_UP_TO = 12;

/**
 * Heatmap of a matrix: confusion matrices (counts printed in the cells) and
 * correlation matrices. Up to `rasterAbove` (64) rows and columns it is a
 * vega-lite chart with one rect per cell; above that the cells are one PNG
 * pixel each, embedded in an SVG with axes, title and colour bar drawn as SVG
 * (a 450 x 450 matrix as 200k vega marks would take seconds and megabytes).
 *
 * @returns SVG markup
 * @example await heatmap({ title: 'Confusion', matrix: [[50, 2], [3, 45]], scheme: 'sequential', xLabel: 'predicted', yLabel: 'true' })
 */
export async function heatmap(o: HeatmapOptions): Promise<string> {
  checkSize('heatmap', o);
  const rows = o.matrix.length;
  const cols = rows === 0 ? 0 : o.matrix[0]!.length;
  o.matrix.forEach((row, i) => {
    if (row.length !== cols) throw new RangeError(`Argument 'matrix' passed to 'heatmap' must be rectangular: row ${i} has ${row.length} entries, row 0 has ${cols}`);
  });
  if (o.rowLabels !== undefined && o.rowLabels.length !== rows) {
    throw new RangeError(`Argument 'rowLabels' passed to 'heatmap' has ${o.rowLabels.length} labels for ${rows} rows`);
  }
  if (o.colLabels !== undefined && o.colLabels.length !== cols) {
    throw new RangeError(`Argument 'colLabels' passed to 'heatmap' has ${o.colLabels.length} labels for ${cols} columns`);
  }
  const scheme = o.scheme ?? 'diverging';
  const domain: [number, number] = o.domain ? [o.domain[0], o.domain[1]] : matrixDomain(o.matrix, scheme);
  if (Math.max(rows, cols) > (o.rasterAbove ?? 64)) return rasterHeatmap({ ...o, scheme, domain });
  return vegaHeatmap(o, rows, cols, scheme, domain);
}

function vegaHeatmap(o: HeatmapOptions, rows: number, cols: number, scheme: HeatmapScheme, domain: [number, number]): Promise<string> {
  const showValues = o.showValues ?? Math.max(rows, cols) <= SHOW_VALUES_UP_TO;
  const table = colourTable(scheme);
  const values = o.matrix.flatMap((row, i) =>
    Array.from({ length: cols }, (_, j) => {
      const v = row[j]!;
      const k = colourIndex(v, domain, 256);
      return {
        row: i,
        col: j,
        value: Number.isFinite(v) ? v : null,
        label: Number.isFinite(v) ? formatNumber(v) : '',
        ink: k < 0 ? '#000' : textColourOn(table.subarray(k * 3, k * 3 + 3)),
      };
    }),
  );
  const cell = Math.min(52, 480 / Math.max(rows, cols, 1));
  const width = o.width ?? cell * cols;
  const height = o.height ?? cell * rows;
  const cellSide = Math.min(width / Math.max(cols, 1), height / Math.max(rows, 1));
  const { name, reverse } = VEGA_SCHEMES[scheme];
  const axis = (labels: readonly string[] | undefined, count: number, title: string | undefined, vertical: boolean) => {
    const long = labels !== undefined && labels.some((l) => l.length > 3);
    return {
      title: title ?? null,
      values: tickIndices(count, vertical ? 24 : long ? 16 : 24),
      grid: false,
      ...(labels === undefined ? {} : { labelExpr: `${JSON.stringify(labels)}[datum.value]` }),
      ...(!vertical && long ? { labelAngle: -40, labelAlign: 'right' } : { labelAngle: 0 }),
    };
  };
  const layers: object[] = [
    {
      mark: { type: 'rect' },
      encoding: {
        color: {
          field: 'value',
          type: 'quantitative',
          scale: { scheme: name, reverse, domain, clamp: true },
          legend: { title: o.legendTitle ?? null, gradientLength: Math.max(80, Math.min(height, 240)) },
        },
      },
    },
  ];
  if (showValues) {
    layers.push({
      mark: { type: 'text', fontSize: Math.max(8, Math.min(13, cellSide / 3.6)) },
      encoding: { text: { field: 'label' }, color: { condition: { test: "datum.ink === '#fff'", value: '#fff' }, value: '#000' } },
    });
  }
  const spec = {
    title: chartTitle(o.title),
    width,
    height,
    data: { values },
    encoding: {
      x: { field: 'col', type: 'ordinal', axis: axis(o.colLabels, cols, o.xLabel, false), scale: { paddingInner: 0, paddingOuter: 0 } },
      y: { field: 'row', type: 'ordinal', axis: axis(o.rowLabels, rows, o.yLabel, true), scale: { paddingInner: 0, paddingOuter: 0 } },
    },
    layer: layers,
    config: { view: { stroke: '#bbb' } },
  } as TopLevelSpec;
  return renderVegaLite(spec);
}

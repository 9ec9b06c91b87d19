/**
 * The one place a chart becomes SVG: compiles a vega-lite spec with the
 * report's shared look (fonts, sizes, colour-blind-safe palette) and renders it
 * headless with vega's SVG string renderer (no canvas, no DOM).
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { Config, TopLevelSpec } from 'vega-lite';
import { useHelveticaMetrics } from './text-width.js';

/** Plot-area size in pixels, shared by every chart kind (axes, title and legend come on top). */
export interface ChartSize {
  readonly width?: number;
  readonly height?: number;
}

/** The font stack of every chart; the HTML report uses the same one. */
export const CHART_FONT = 'Helvetica, Arial, sans-serif';

/** Categorical palette for series and groups: Tableau 10, distinguishable under the common colour-vision deficiencies. */
export const CATEGORY_SCHEME = 'tableau10';

/** The report's chart look: 12-14 px text, light grids, legends that do not cut long names. */
export const CHART_CONFIG: Config = {
  font: CHART_FONT,
  background: 'white',
  padding: 8,
  title: { fontSize: 14, fontWeight: 'bold', anchor: 'start', offset: 10, color: '#222', limit: 0 },
  axis: {
    labelFontSize: 12,
    titleFontSize: 13,
    titleFontWeight: 'normal',
    titleColor: '#222',
    labelColor: '#333',
    domainColor: '#888',
    tickColor: '#888',
    gridColor: '#e6e6e6',
    labelLimit: 180,
  },
  legend: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal', labelLimit: 260, symbolSize: 120 },
  range: { category: { scheme: CATEGORY_SCHEME } },
  view: { stroke: '#ccc' },
  // No aria-label per data point: it tripled the size of a 64 x 64 heatmap; figures carry captions instead.
  mark: { aria: false },
};

/** Logs only errors: vega-lite's warnings (a dropped `zero` on a log scale) are about specs built here, not the user's data. */
const QUIET = vega.logger(vega.Error);

/**
 * Renders a vega-lite spec to a standalone SVG string (root `<svg>` with
 * `width`, `height` and `viewBox`), with {@link CHART_CONFIG} under the spec's
 * own `config`. Data must be inline (`data: { values }`): nothing is fetched.
 *
 * @example await renderVegaLite({ data: { values: [{ x: 1 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' } } })
 */
export async function renderVegaLite(spec: TopLevelSpec): Promise<string> {
  const withConfig = { ...spec, config: { ...CHART_CONFIG, ...spec.config } } as TopLevelSpec;
  useHelveticaMetrics();
  const compiled = vl.compile(withConfig, { logger: QUIET }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Checks a chart's width/height options: positive and finite, else a named error. */
export function checkSize(chart: string, size: ChartSize): void {
  for (const key of ['width', 'height'] as const) {
    const value = size[key];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new RangeError(`Argument '${key}' passed to '${chart}' must be a positive number of pixels, got ${value}`);
    }
  }
}

/** vega-lite's title for a chart title: one line per `\n`; an empty title is left out. */
export function chartTitle(title: string): TopLevelSpec['title'] {
  return title === '' ? undefined : { text: title.includes('\n') ? title.split('\n') : title };
}

/**
 * The large-matrix heatmap: one PNG pixel per cell, embedded in a hand-laid
 * SVG whose title, axes, tick labels and colour bar are SVG text and lines, so
 * a 450 x 450 correlation matrix is one <image> instead of 200k marks.
 */
import { escapeHtml as escapeXml } from '../html/escape.js';
import { colourIndex, colourTable, type HeatmapScheme } from './colour-scale.js';
import { encodePng } from './png.js';
import { niceTicks, tickIndices } from './ticks.js';
import { textWidth as helveticaWidth } from './text-width.js';
import { CHART_FONT } from './vega-render.js';

export interface RasterHeatmapOptions {
  readonly title: string;
  readonly matrix: readonly ArrayLike<number>[];
  readonly rowLabels?: readonly string[];
  readonly colLabels?: readonly string[];
  readonly scheme: HeatmapScheme;
  readonly domain: readonly [number, number];
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly legendTitle?: string;
  /** Plot-area size; default 480 px on the longer side. */
  readonly width?: number;
  readonly height?: number;
}

/** Grey for non-finite cells. */
const MISSING: readonly [number, number, number] = [217, 217, 217];
const LABEL_SIZE = 12;
const TITLE_SIZE = 14;
const AXIS_TITLE_SIZE = 13;

/** Width of `text` at `size`, with 5% to spare for fonts wider than Helvetica. */
function textWidth(text: string, size: number): number {
  return helveticaWidth(text, size) * 1.05;
}

/** The matrix as a `[cols x rows]` PNG, one pixel per cell, coloured on `domain`. */
export function matrixPng(matrix: readonly ArrayLike<number>[], scheme: HeatmapScheme, domain: readonly [number, number]): Buffer {
  const rows = matrix.length;
  const cols = rows === 0 ? 0 : matrix[0]!.length;
  const table = colourTable(scheme);
  const rgba = new Uint8Array(rows * cols * 4);
  for (let i = 0; i < rows; i++) {
    const row = matrix[i]!;
    for (let j = 0; j < cols; j++) {
      const k = colourIndex(row[j]!, domain, 256);
      const at = (i * cols + j) * 4;
      if (k < 0 || !Number.isFinite(row[j]!)) rgba.set(MISSING, at);
      else rgba.set(table.subarray(k * 3, k * 3 + 3), at);
      rgba[at + 3] = 255;
    }
  }
  return encodePng(cols, rows, rgba);
}

/** A vertical colour bar, high end at the top, as a `[1 x 256]` PNG. */
function colourBarPng(scheme: HeatmapScheme): Buffer {
  const table = colourTable(scheme);
  const rgba = new Uint8Array(256 * 4);
  for (let i = 0; i < 256; i++) {
    rgba.set(table.subarray((255 - i) * 3, (255 - i) * 3 + 3), i * 4);
    rgba[i * 4 + 3] = 255;
  }
  return encodePng(1, 256, rgba);
}

function image(x: number, y: number, width: number, height: number, png: Buffer): string {
  return (
    `<image x="${x}" y="${y}" width="${width}" height="${height}" preserveAspectRatio="none" image-rendering="optimizeSpeed" ` +
    `style="image-rendering:pixelated" href="data:image/png;base64,${png.toString('base64')}"/>`
  );
}

function text(x: number, y: number, content: string, attributes: string): string {
  return `<text x="${round(x)}" y="${round(y)}" ${attributes}>${escapeXml(content)}</text>`;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Where everything goes, in SVG pixels. */
interface Layout {
  readonly rows: number;
  readonly cols: number;
  /** Plot area: the matrix image. */
  readonly left: number;
  readonly top: number;
  readonly plotW: number;
  readonly plotH: number;
  readonly xTicks: readonly number[];
  readonly yTicks: readonly number[];
  readonly rotateX: boolean;
  /** Height of the x tick marks and labels under the plot. */
  readonly tickBand: number;
  readonly barX: number;
  readonly barTicks: readonly { readonly t: number; readonly label: string }[];
  readonly svgWidth: number;
  readonly svgHeight: number;
}

const BAR_WIDTH = 14;

function layoutOf(o: RasterHeatmapOptions): Layout {
  const rows = o.matrix.length;
  const cols = rows === 0 ? 0 : o.matrix[0]!.length;
  const longer = Math.max(rows, cols, 1);
  const plotW = o.width ?? (480 * Math.max(cols, 1)) / longer;
  const plotH = o.height ?? (480 * Math.max(rows, 1)) / longer;
  const xTicks = tickIndices(cols, 10);
  const yTicks = tickIndices(rows, 10);
  const rotateX = xTicks.some((j) => colLabel(o, j).length > 4);
  const widest = (labels: string[]): number => Math.max(0, ...labels.map((l) => textWidth(l, LABEL_SIZE)));
  const [lo, hi] = o.domain;
  const barTicks = niceTicks(lo, hi, 5).map(({ value, label }) => ({ t: hi > lo ? (value - lo) / (hi - lo) : 0.5, label }));

  const top = 8 + (o.title === '' ? 0 : TITLE_SIZE + 14) + (o.legendTitle ? LABEL_SIZE + 12 : 0);
  const left = 8 + (o.yLabel ? AXIS_TITLE_SIZE + 10 : 0) + widest(yTicks.map((i) => rowLabel(o, i))) + 8;
  const xExtent = widest(xTicks.map((j) => colLabel(o, j)));
  const tickBand = 6 + (rotateX ? xExtent * Math.SQRT1_2 + LABEL_SIZE : LABEL_SIZE + 2);
  const bottom = tickBand + (o.xLabel ? AXIS_TITLE_SIZE + 12 : 0) + 8;
  const barX = left + plotW + 18;
  const right = Math.max(
    barX + BAR_WIDTH + 6 + widest(barTicks.map((b) => b.label)),
    o.legendTitle ? barX + textWidth(o.legendTitle, LABEL_SIZE) : 0,
    8 + textWidth(o.title, TITLE_SIZE) * 1.07, // bold
  );
  return {
    rows,
    cols,
    left,
    top,
    plotW,
    plotH,
    xTicks,
    yTicks,
    rotateX,
    tickBand,
    barX,
    barTicks,
    svgWidth: Math.ceil(right + 12),
    svgHeight: Math.ceil(top + plotH + bottom),
  };
}

function colLabel(o: RasterHeatmapOptions, j: number): string {
  return o.colLabels?.[j] ?? String(j);
}

function rowLabel(o: RasterHeatmapOptions, i: number): string {
  return o.rowLabels?.[i] ?? String(i);
}

const FONT = `font-family="${CHART_FONT}"`;
const LABEL = `${FONT} font-size="${LABEL_SIZE}" fill="#333"`;
const AXIS_TITLE = `${FONT} font-size="${AXIS_TITLE_SIZE}" fill="#222" text-anchor="middle"`;

/** Tick marks, tick labels and axis titles; tick paths go to `ticks`. */
function drawAxes(o: RasterHeatmapOptions, l: Layout, ticks: string[]): string[] {
  const parts: string[] = [];
  const cellW = l.plotW / Math.max(l.cols, 1);
  const cellH = l.plotH / Math.max(l.rows, 1);
  const bottom = l.top + l.plotH;
  for (const j of l.xTicks) {
    const x = round(l.left + (j + 0.5) * cellW);
    ticks.push(`M${x},${round(bottom)}v5`);
    const y = round(bottom + 8 + LABEL_SIZE * 0.7);
    parts.push(
      l.rotateX
        ? text(x, y, colLabel(o, j), `${LABEL} text-anchor="end" transform="rotate(-45 ${x} ${y})"`)
        : text(x, bottom + 6 + LABEL_SIZE, colLabel(o, j), `${LABEL} text-anchor="middle"`),
    );
  }
  for (const i of l.yTicks) {
    const y = round(l.top + (i + 0.5) * cellH);
    ticks.push(`M${round(l.left)},${y}h-5`);
    parts.push(text(l.left - 8, y + LABEL_SIZE * 0.35, rowLabel(o, i), `${LABEL} text-anchor="end"`));
  }
  if (o.xLabel) parts.push(text(l.left + l.plotW / 2, bottom + l.tickBand + AXIS_TITLE_SIZE + 4, o.xLabel, AXIS_TITLE));
  if (o.yLabel) {
    const [x, y] = [round(8 + AXIS_TITLE_SIZE), round(l.top + l.plotH / 2)];
    parts.push(text(x, y, o.yLabel, `${AXIS_TITLE} transform="rotate(-90 ${x} ${y})"`));
  }
  return parts;
}

/** The colour bar right of the plot, with its ticks (into `ticks`) and title. */
function drawColourBar(o: RasterHeatmapOptions, l: Layout, ticks: string[]): string[] {
  const parts = [
    image(round(l.barX), round(l.top), BAR_WIDTH, round(l.plotH), colourBarPng(o.scheme)),
    `<rect x="${round(l.barX)}" y="${round(l.top)}" width="${BAR_WIDTH}" height="${round(l.plotH)}" fill="none" stroke="#bbb"/>`,
  ];
  for (const { t, label } of l.barTicks) {
    const y = round(l.top + (1 - t) * l.plotH);
    ticks.push(`M${round(l.barX + BAR_WIDTH)},${y}h4`);
    parts.push(text(l.barX + BAR_WIDTH + 6, y + LABEL_SIZE * 0.35, label, LABEL));
  }
  if (o.legendTitle) parts.push(text(l.barX, l.top - 12, o.legendTitle, LABEL));
  return parts;
}

/**
 * Renders a matrix heatmap as SVG with the cells in one embedded PNG.
 *
 * @returns SVG markup with a root `<svg width height viewBox>`
 */
export function rasterHeatmap(o: RasterHeatmapOptions): string {
  const l = layoutOf(o);
  const ticks: string[] = [];
  const parts = [
    `<rect width="${l.svgWidth}" height="${l.svgHeight}" fill="white"/>`,
    o.title === '' ? '' : text(8, 8 + TITLE_SIZE, o.title, `${FONT} font-size="${TITLE_SIZE}" font-weight="bold" fill="#222"`),
    image(round(l.left), round(l.top), round(l.plotW), round(l.plotH), matrixPng(o.matrix, o.scheme, o.domain)),
    `<rect x="${round(l.left)}" y="${round(l.top)}" width="${round(l.plotW)}" height="${round(l.plotH)}" fill="none" stroke="#bbb"/>`,
    ...drawAxes(o, l, ticks),
    ...drawColourBar(o, l, ticks),
  ];
  parts.push(`<path d="${ticks.join('')}" stroke="#888" fill="none"/>`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="marks raster-heatmap" width="${l.svgWidth}" height="${l.svgHeight}" ` +
    `viewBox="0 0 ${l.svgWidth} ${l.svgHeight}" role="img" aria-label="${escapeXml(o.title)}">${parts.join('')}</svg>`
  );
}

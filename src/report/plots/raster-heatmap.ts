/**
 * The large-matrix heatmap: one PNG pixel per cell, embedded in a hand-laid
 * SVG whose title, axes, tick labels and colour bar are SVG text and lines, so
 * a 450 x 450 correlation matrix is one <image> instead of 200k marks.
 */
import { escapeHtml as escapeXml } from '../html/escape.js';
import { formatNumber } from '../html/format-number.js';
import { colourIndex, colourTable, type HeatmapScheme } from './colour-scale.js';
import { encodePng } from './png.js';
import { tickIndices } from './ticks.js';
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

/** Rough width of `text` in pixels at `size` (no font metrics in Node; Helvetica averages ~0.58 em). */
function textWidth(text: string, size: number): number {
  return text.length * size * 0.58;
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

/**
 * Renders a matrix heatmap as SVG with the cells in one embedded PNG.
 *
 * @returns SVG markup with a root `<svg width height viewBox>`
 */
export function rasterHeatmap(o: RasterHeatmapOptions): string {
  const rows = o.matrix.length;
  const cols = rows === 0 ? 0 : o.matrix[0]!.length;
  const longer = Math.max(rows, cols, 1);
  const plotW = o.width ?? (480 * Math.max(cols, 1)) / longer;
  const plotH = o.height ?? (480 * Math.max(rows, 1)) / longer;
  const xTicks = tickIndices(cols, 10);
  const yTicks = tickIndices(rows, 10);
  const colLabel = (j: number): string => o.colLabels?.[j] ?? String(j);
  const rowLabel = (i: number): string => o.rowLabels?.[i] ?? String(i);
  const rotateX = xTicks.some((j) => colLabel(j).length > 4);
  const xLabelExtent = Math.max(0, ...xTicks.map((j) => textWidth(colLabel(j), LABEL_SIZE)));
  const yLabelExtent = Math.max(0, ...yTicks.map((i) => textWidth(rowLabel(i), LABEL_SIZE)));
  const lo = o.domain[0];
  const hi = o.domain[1];
  const barTicks = [0, 0.25, 0.5, 0.75, 1].map((t) => ({ t, label: formatNumber(lo + t * (hi - lo)) }));
  const barLabelExtent = Math.max(...barTicks.map((b) => textWidth(b.label, LABEL_SIZE)));

  const top = 8 + (o.title === '' ? 0 : TITLE_SIZE + 14) + (o.legendTitle ? LABEL_SIZE + 6 : 0);
  const left = 8 + (o.yLabel ? AXIS_TITLE_SIZE + 10 : 0) + yLabelExtent + 8;
  const tickBand = 6 + (rotateX ? xLabelExtent * Math.SQRT1_2 + LABEL_SIZE : LABEL_SIZE + 2);
  const bottom = tickBand + (o.xLabel ? AXIS_TITLE_SIZE + 12 : 0) + 8;
  const barX = left + plotW + 18;
  const barW = 14;
  const legendRight = barX + barW + 6 + barLabelExtent;
  const width = Math.ceil(Math.max(legendRight, o.legendTitle ? barX + textWidth(o.legendTitle, LABEL_SIZE) : 0) + 8);
  const titleRight = left + textWidth(o.title, TITLE_SIZE);
  const svgWidth = Math.ceil(Math.max(width, titleRight + 8));
  const svgHeight = Math.ceil(top + plotH + bottom);

  const font = `font-family="${CHART_FONT}"`;
  const label = `${font} font-size="${LABEL_SIZE}" fill="#333"`;
  const parts: string[] = [];
  parts.push(`<rect width="${svgWidth}" height="${svgHeight}" fill="white"/>`);
  if (o.title !== '') parts.push(text(left, 8 + TITLE_SIZE, o.title, `${font} font-size="${TITLE_SIZE}" font-weight="bold" fill="#222"`));
  parts.push(image(round(left), round(top), round(plotW), round(plotH), matrixPng(o.matrix, o.scheme, o.domain)));
  parts.push(`<rect x="${round(left)}" y="${round(top)}" width="${round(plotW)}" height="${round(plotH)}" fill="none" stroke="#bbb"/>`);

  const cellW = plotW / Math.max(cols, 1);
  const cellH = plotH / Math.max(rows, 1);
  const tickLines: string[] = [];
  for (const j of xTicks) {
    const x = round(left + (j + 0.5) * cellW);
    const y = top + plotH;
    tickLines.push(`M${x},${round(y)}v5`);
    parts.push(
      rotateX
        ? text(x, y + 8 + LABEL_SIZE * 0.7, colLabel(j), `${label} text-anchor="end" transform="rotate(-45 ${x} ${round(y + 8 + LABEL_SIZE * 0.7)})"`)
        : text(x, y + 6 + LABEL_SIZE, colLabel(j), `${label} text-anchor="middle"`),
    );
  }
  for (const i of yTicks) {
    const y = round(top + (i + 0.5) * cellH);
    tickLines.push(`M${round(left)},${y}h-5`);
    parts.push(text(left - 8, y + LABEL_SIZE * 0.35, rowLabel(i), `${label} text-anchor="end"`));
  }
  if (o.xLabel) {
    parts.push(text(left + plotW / 2, top + plotH + tickBand + AXIS_TITLE_SIZE + 4, o.xLabel, `${font} font-size="${AXIS_TITLE_SIZE}" fill="#222" text-anchor="middle"`));
  }
  if (o.yLabel) {
    const x = 8 + AXIS_TITLE_SIZE;
    const y = top + plotH / 2;
    parts.push(text(x, y, o.yLabel, `${font} font-size="${AXIS_TITLE_SIZE}" fill="#222" text-anchor="middle" transform="rotate(-90 ${round(x)} ${round(y)})"`));
  }

  parts.push(image(round(barX), round(top), barW, round(plotH), colourBarPng(o.scheme)));
  parts.push(`<rect x="${round(barX)}" y="${round(top)}" width="${barW}" height="${round(plotH)}" fill="none" stroke="#bbb"/>`);
  for (const { t, label: value } of barTicks) {
    const y = round(top + (1 - t) * plotH);
    tickLines.push(`M${round(barX + barW)},${y}h4`);
    parts.push(text(barX + barW + 6, y + LABEL_SIZE * 0.35, value, label));
  }
  if (o.legendTitle) parts.push(text(barX, top - 6, o.legendTitle, label));
  parts.push(`<path d="${tickLines.join('')}" stroke="#888" fill="none"/>`);

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="marks raster-heatmap" width="${svgWidth}" height="${svgHeight}" ` +
    `viewBox="0 0 ${svgWidth} ${svgHeight}" role="img" aria-label="${escapeXml(o.title)}">${parts.join('')}</svg>`
  );
}

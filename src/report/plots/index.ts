/** The report's charts: pure data in, SVG (or PNG) out. */
export { barChart, type BarChartOptions } from './bar-chart.js';
export { heatmap, type HeatmapOptions } from './heatmap.js';
export type { HeatmapScheme } from './colour-scale.js';
export { histogram, type HistogramOptions } from './histogram.js';
export { imageGrid, gridLayout, type ImageGridOptions, type GridLayout } from './image-grid.js';
export { lineChart, type AxisScale, type LineChartOptions } from './line-chart.js';
export { scatterChart, type ScatterChartOptions } from './scatter-chart.js';
export { renderVegaLite, CHART_CONFIG, type ChartSize } from './vega-render.js';

/**
 * The gradient-SNR plot: SNR against K on log-log axes, one line per
 * objective × estimator × parameter group, with the fitted exponent in each
 * legend entry (seed 002's figure; Rainforth et al. 2018, fig. 2).
 */
import type { SnrSweep } from '../driver/gradient-snr-sweep.js';
import { lineChart } from './plots/line-chart.js';

/** @returns SVG markup */
export function snrChart(sweep: SnrSweep, title = 'Gradient SNR against K'): Promise<string> {
  const series = sweep.slopes.map(({ series, group, slope }) => ({
    name: `${series} · ${group} (K^${Number.isFinite(slope) ? slope.toFixed(2) : '?'})`,
    points: sweep.points.filter((p) => p.series === series).map((p) => [p.k, p[group].mean] as const),
  }));
  return lineChart({ title, xLabel: 'K (samples per bound)', yLabel: `mean SNR over parameters (${sweep.reps} draws)`, series, xScale: 'log', yScale: 'log', width: 520, height: 340 });
}

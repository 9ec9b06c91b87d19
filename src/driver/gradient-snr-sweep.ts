/**
 * Gradient SNR against K for several objectives and estimators on one fixed
 * minibatch (Rainforth et al. 2018, fig. 2 and eqs. 8-10; seed 002): one
 * point per (series, K) and, per series and parameter group, the fitted
 * exponent a of SNR ∝ K^a on log-log axes. Published: IWAE's guide SNR falls
 * like K^(−1/2) and its model SNR rises like K^(1/2); DReG's guide SNR does
 * not fall (Tucker et al. 2019).
 */
import { logLogSlope, type GroupSnr } from '../inference/diagnostics/gradient-snr.js';
import type { GradientEstimator, ObjectiveName } from '../inference/objectives/index.js';
import { UserError } from '../util/user-error.js';
import type { DataInput } from './data-input.js';
import type { StrataModel } from './strata-model.js';

/** One line of the plot: an objective with its estimator (and M or β where it takes one). */
export interface SnrSeries {
  readonly objective: ObjectiveName;
  readonly estimator: GradientEstimator;
  readonly m?: number;
  readonly beta?: number;
}

export interface SnrPoint {
  readonly series: string;
  readonly k: number;
  readonly model: GroupSnr;
  readonly guide: GroupSnr;
}

export interface SnrSlope {
  readonly series: string;
  readonly group: 'model' | 'guide';
  /** The exponent a of SNR ∝ K^a (least squares on the mean SNR, log-log). */
  readonly slope: number;
}

export interface SnrSweep {
  readonly points: SnrPoint[];
  readonly slopes: SnrSlope[];
  readonly reps: number;
  /** 1/√reps: an SNR near it cannot be told from zero with this many draws. */
  readonly noiseFloor: number;
}

export interface SnrSweepOptions {
  readonly series: readonly SnrSeries[];
  /** The K values (samples per bound; MIWAE and PIWAE draw M·K). */
  readonly ks: readonly number[];
  readonly reps: number;
  readonly seed?: number;
  readonly guide?: string;
  /** Called after each draw with the draws done and the total over the sweep. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** `iwae reparam`, `miwae m=4 dreg`, `ciwae β=0.5 reparam`. */
export function seriesLabel(s: SnrSeries): string {
  return [s.objective, ...(s.m === undefined ? [] : [`m=${s.m}`]), ...(s.beta === undefined ? [] : [`β=${s.beta}`]), s.estimator].join(' ');
}

/**
 * Measures every series at every K on `data` (the minibatch held fixed).
 * Each (series, K) draws its noise from its own seeds, so points are independent.
 * @throws UserError when `ks` is empty or a series is refused by its objective
 */
export async function gradientSnrSweep(model: StrataModel, data: DataInput, options: SnrSweepOptions): Promise<SnrSweep> {
  if (options.ks.length === 0) throw new UserError('gradient SNR: give at least one K');
  if (options.series.length === 0) throw new UserError('gradient SNR: give at least one objective and estimator');
  const total = options.series.length * options.ks.length * options.reps;
  const points: SnrPoint[] = [];
  let done = 0;
  for (const [si, series] of options.series.entries()) {
    for (const [ki, k] of options.ks.entries()) {
      const seed = (options.seed ?? 0) + (si * options.ks.length + ki) * options.reps;
      const snr = await model.gradientSnr(data, {
        ...series,
        k,
        reps: options.reps,
        seed,
        ...(options.guide ? { guide: options.guide } : {}),
        onDraw: () => options.onProgress?.(++done, total),
      });
      points.push({ series: seriesLabel(series), k, model: snr.model, guide: snr.guide });
    }
  }
  const slopes = options.series.flatMap((s) =>
    (['model', 'guide'] as const).map((group) => ({
      series: seriesLabel(s),
      group,
      slope: logLogSlope(points.filter((p) => p.series === seriesLabel(s)).map((p) => [p.k, p[group].mean] as const)),
    })),
  );
  return { points, slopes, reps: options.reps, noiseFloor: 1 / Math.sqrt(options.reps) };
}

/**
 * Analysis 3, posterior activity per latent dimension (seed 000, Figs.
 * 5.6-5.10 for z2, 5.14-5.18 for z1): over the test set, the mean and standard
 * deviation of the guide's location and scale per dimension, and the active
 * units: dimensions whose posterior mean varies across data points,
 * Var_x(E_q[z_j | x]) > 0.01 (Burda et al. 2016, sec. 5.2).
 */
import type { PosteriorParams } from '../model/posterior-params.js';
import { columnMoments } from '../stats/moments.js';

/** Burda et al.'s activity threshold on the variance of the posterior mean. */
export const ACTIVITY_THRESHOLD = 0.01;

export interface LatentActivity {
  readonly latent: string;
  readonly d: number;
  /** Over data points, per dimension. */
  readonly locMean: Float64Array;
  readonly locStd: Float64Array;
  /** Var_x of the location: the activity statistic. */
  readonly locVariance: Float64Array;
  readonly scaleMean?: Float64Array;
  readonly scaleStd?: Float64Array;
  /** Active dimensions in index order. */
  readonly active: number[];
  readonly threshold: number;
}

/**
 * Activity statistics of every latent.
 *
 * @param params posterior parameters on the test set (`posteriorParams`)
 * @returns one entry per latent, in the model's order
 * @example posteriorActivity(await posteriorParams(model, test)).map((a) => a.active.length)
 */
export function posteriorActivity(params: PosteriorParams, threshold = ACTIVITY_THRESHOLD): LatentActivity[] {
  return params.map((p) => {
    const loc = columnMoments(p.loc, p.n, p.d);
    const scale = p.scale ? columnMoments(p.scale, p.n, p.d) : undefined;
    const active = Array.from(loc.variance.keys()).filter((j) => loc.variance[j]! > threshold);
    return {
      latent: p.name,
      d: p.d,
      locMean: loc.mean,
      locStd: loc.variance.map(Math.sqrt),
      locVariance: loc.variance,
      ...(scale ? { scaleMean: scale.mean, scaleStd: scale.variance.map(Math.sqrt) } : {}),
      active,
      threshold,
    };
  });
}

/**
 * Active units (Burda et al. 2016, sec. 5.2): a latent unit u is active when
 * the posterior mean it takes varies across the data,
 *   A_u = Cov_x( E_{u ~ q(u | x)}[u] ) > 1e-2,
 * the covariance being the variance over data points x of u's posterior mean.
 */
import * as tf from '@tensorflow/tfjs';
import type { StrataModel } from '../../src/index.js';

/** Burda et al.'s threshold on A_u. */
export const ACTIVE_THRESHOLD = 1e-2;

export interface ActiveUnits {
  /** How many units have A_u above the threshold. */
  readonly active: number;
  /** Units of the latent. */
  readonly units: number;
  /** A_u per unit: the variance over the n rows (divided by n) of column u. */
  readonly activity: Float64Array;
  readonly threshold: number;
}

/**
 * Counts the active units of one latent from its posterior means.
 *
 * @param means `[n, d]` row-major: row i holds E_q[u | x_i] for the d units
 * @example activeUnits(Float32Array.of(0, 1, 0, -1), 2, 2).active === 1 // column 1 varies (A = 1), column 0 does not
 */
export function activeUnits(means: ArrayLike<number>, n: number, d: number, threshold = ACTIVE_THRESHOLD): ActiveUnits {
  if (!(n >= 1) || !(d >= 1) || means.length !== n * d) throw new RangeError(`activeUnits: means has ${means.length} values, expected n * d = ${n} * ${d}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += means[i * d + j]! / n;
  const activity = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) activity[j]! += (means[i * d + j]! - mean[j]!) ** 2 / n;
  return { active: activity.reduce((c, a) => c + (a > threshold ? 1 : 0), 0), units: d, activity, threshold };
}

/**
 * E_q[z_l | x] per latent and row, by Monte Carlo over `samples` guide draws:
 * the guide's location averaged over the draws (for z1 of a bottom-up guide it
 * is exact; for z2, E_{q(z1|x)}[loc(z1)] by the tower rule).
 *
 * @param rows `[n, d_x]` row-major data
 * @returns per latent name, `[n, d_l]` row-major means
 */
export async function posteriorMeans(model: StrataModel, rows: { values: Float32Array; rows: number; cols: number }, options: { samples: number; seed: number; batch?: number }): Promise<Map<string, { means: Float32Array; d: number }>> {
  const batch = options.batch ?? 100;
  const latents = model.ir.latents.map((l) => ({ name: l.name, d: l.shape[0] ?? 1 }));
  const out = new Map(latents.map((l) => [l.name, { means: new Float32Array(rows.rows * l.d), d: l.d }]));
  const observed = model.ir.data[0]!.name;
  for (let start = 0; start < rows.rows; start += batch) {
    const end = Math.min(rows.rows, start + batch);
    const x = tf.tensor2d(rows.values.subarray(start * rows.cols, end * rows.cols), [end - start, rows.cols]);
    const means = tf.tidy(() => {
      const trace = model.compiled.trace({ [observed]: x }, { k: options.samples, guide: model.guide, seed: options.seed + start });
      return latents.map((l) => tf.mean(trace.guideParams.get(l.name)?.['loc'] ?? trace.samples.get(l.name)!, 0));
    });
    x.dispose();
    for (const [i, l] of latents.entries()) {
      out.get(l.name)!.means.set((await means[i]!.data()) as Float32Array, start * l.d);
      means[i]!.dispose();
    }
  }
  return out;
}

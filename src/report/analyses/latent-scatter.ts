/**
 * Analysis 5, texture classes in the top latent (seed 000, Fig. 5.12): the two
 * dimensions of z2 with the lowest posterior variance, mean over texture-test
 * patches of the guide's scale² (the most informative dimensions), and each
 * patch's posterior mean on them, labelled by its texture class.
 */
import type { LatentPosterior } from '../model/posterior-params.js';
import { columnMoments, orderDescending } from '../stats/moments.js';

export interface LatentScatter {
  readonly latent: string;
  /** The two dimensions plotted: lowest mean scale² first. */
  readonly dims: readonly [number, number];
  /** Mean over patches of scale² per dimension. */
  readonly posteriorVariance: number[];
  readonly points: { readonly x: number; readonly y: number; readonly label: number }[];
}

/**
 * Picks the two dimensions and the points (every `step`-th patch when more than `maxPoints`).
 *
 * @param test posterior parameters of one latent on texture-test
 * @param labels texture class per patch
 */
export function latentScatter(test: LatentPosterior, labels: Int32Array, maxPoints = 1500): LatentScatter {
  const { n, d } = test;
  // Guides here are Normal or Laplace, so there is a scale; without one, take the most variable locations.
  const variance = test.scale ? Array.from(columnMoments(test.scale.map((s) => s * s), n, d).mean) : new Array<number>(d).fill(NaN);
  const order = test.scale ? orderDescending(variance.map((v) => -v)) : orderDescending(columnMoments(test.loc, n, d).variance);
  const a = order[0] ?? 0;
  const b = order[1] ?? a;
  const step = Math.max(1, Math.ceil(n / maxPoints));
  const points: LatentScatter['points'][number][] = [];
  for (let i = 0; i < n; i += step) points.push({ x: test.loc[i * d + a]!, y: test.loc[i * d + b]!, label: labels[i]! });
  return { latent: test.name, dims: [a, b], posteriorVariance: variance, points };
}

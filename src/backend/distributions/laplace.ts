/**
 * The Laplace distribution over the last axis, density exp(-|x - loc|/scale)/(2 scale).
 */
import * as tf from '@tensorflow/tfjs';
import { laplaceLogDensity } from '../ops/laplace-log-density.js';
import { seededUniform } from '../random.js';
import {
  checkKlShapes,
  checkValue,
  noiseShape,
  resolveShapes,
  type Distribution,
  type DistributionOptions,
  type ReparameterizedDistribution,
  type ResolvedShapes,
} from './distribution.js';

/**
 * How far u is kept from ±½ in the inverse CDF. In float32, 1 - 2|u| for
 * |u| <= ½ - 1e-6 is >= ~2e-6 > 0, so log never sees 0 and |x - loc| <=
 * ~13.1 · scale; the mass cut off, exp(-13.1) ≈ 2e-6, is far below Monte
 * Carlo error.
 */
export const LAPLACE_NOISE_MARGIN = 1e-6;

/**
 * Laplace(loc, scale), independent over the event axis.
 *
 * - rsample (inverse CDF): u ~ U(-½, ½) clamped to [-½ + δ, ½ - δ], δ = 1e-6,
 *   x = loc - scale · sign(u) · log(1 - 2|u|)   (computed with log1p)
 * - logProb: Σ_d [-|x - loc|/scale - log(2 scale)]
 * - KL(L(m1, b1) || L(m2, b2)) = Σ_d [log(b2/b1) + |m1 - m2|/b2 + (b1/b2) exp(-|m1 - m2|/b1) - 1]
 *
 * @see Devroye (1986), Non-Uniform Random Variate Generation, §II.2 (inversion);
 *   Gil, Alajaji and Linder (2013), "Rényi divergence measures for commonly
 *   used univariate continuous distributions", Inf. Sci. 249 (KL).
 * @example const z = new Laplace(mu, b).rsample(4, 0); // [4, ...mu.shape]
 */
export class Laplace implements ReparameterizedDistribution {
  readonly family = 'Laplace' as const;
  readonly reparameterized = true as const;
  readonly paramShape: readonly number[];
  readonly batchShape: readonly number[];
  private readonly shapes: ResolvedShapes;

  /**
   * @param loc location (median), `[..., d]`
   * @param scale scale b > 0 (not checked), broadcasts with loc
   * @param options `{ sampleAxis }`, see distribution.ts
   */
  constructor(
    readonly loc: tf.Tensor,
    readonly scale: tf.Tensor,
    options: DistributionOptions = {},
  ) {
    this.shapes = resolveShapes('Laplace', { loc, scale }, options);
    this.paramShape = this.shapes.paramShape;
    this.batchShape = this.shapes.batchShape;
  }

  /** u ~ U(-½, ½), `[k, ...batchShape]`; the same seed gives the same u. */
  sampleNoise(k: number, seed?: number): tf.Tensor {
    return seededUniform(noiseShape(this.shapes, k, 'Laplace'), -0.5, 0.5, seed);
  }

  /**
   * loc - scale · sign(u) · log1p(-2|u|) for u `[k, ...batchShape]`, after
   * clamping u to [-½ + δ, ½ - δ]: finite for any finite u, even ±½ or beyond.
   */
  rsampleWithNoise(noise: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const u = tf.clipByValue(noise, -0.5 + LAPLACE_NOISE_MARGIN, 0.5 - LAPLACE_NOISE_MARGIN);
      const magnitude = tf.neg(tf.log1p(tf.mul(-2, tf.abs(u))));
      return tf.add(this.loc, tf.mul(this.scale, tf.mul(tf.sign(u), magnitude)));
    });
  }

  rsample(k: number, seed?: number): tf.Tensor {
    return tf.tidy(() => this.rsampleWithNoise(this.sampleNoise(k, seed)));
  }

  sample(k: number, seed?: number): tf.Tensor {
    return this.rsample(k, seed);
  }

  /** Σ_d log Laplace(value; loc, scale), fused into one kernel where the backend has it (laplaceLogDensity). */
  logProb(value: tf.Tensor): tf.Tensor {
    checkValue(value, 'Laplace');
    return laplaceLogDensity(value, this.loc, this.scale);
  }

  kl(other: Distribution): tf.Tensor | undefined {
    if (!(other instanceof Laplace)) return undefined;
    checkKlShapes(this, other);
    return tf.tidy(() => {
      const gap = tf.abs(tf.sub(this.loc, other.loc));
      const ratio = tf.div(this.scale, other.scale);
      const logTerm = tf.neg(tf.log(ratio));
      const gapTerm = tf.div(gap, other.scale);
      const expTerm = tf.mul(ratio, tf.exp(tf.neg(tf.div(gap, this.scale))));
      return tf.sum(tf.sub(tf.add(tf.add(logTerm, gapTerm), expTerm), 1), -1);
    });
  }
}

/**
 * The Exponential distribution over the last axis, density rate · exp(-rate · x) on x >= 0.
 */
import * as tf from '@tensorflow/tfjs';
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
import { logDensityOnSupport } from './support.js';

/** u is kept at or below the largest float32 under 1, so -log1p(-u) <= 24 log 2 ≈ 16.6 is finite. */
const U_MAX = 1 - 2 ** -24;

/**
 * Exponential(rate), independent over the event axis; support [0, ∞).
 *
 * - rsample (inverse CDF): u ~ U(0, 1), x = -log(1 - u)/rate (log1p), so
 *   ∂x/∂rate = -x/rate; u <= 1 - 2⁻²⁴ bounds x by 16.6/rate (the mass cut
 *   off, 6e-8, is far below Monte Carlo error)
 * - logProb: Σ_d [log rate - rate · x], -∞ for x < 0
 * - KL(Exp(a) || Exp(b)) = Σ_d [log(a/b) + b/a - 1]
 *
 * Mean 1/rate, variance 1/rate².
 *
 * @see Devroye (1986), Non-Uniform Random Variate Generation, §II.2 (inversion).
 * @example new Exponential(tf.tensor1d([2])).rsample(3, 0) // [3, 1], mean 0.5
 */
export class Exponential implements ReparameterizedDistribution {
  readonly family = 'Exponential' as const;
  readonly reparameterized = true as const;
  readonly paramShape: readonly number[];
  readonly batchShape: readonly number[];
  private readonly shapes: ResolvedShapes;

  /**
   * @param rate rate λ > 0 (not checked), `[..., d]`
   * @param options `{ sampleAxis }`, see distribution.ts
   */
  constructor(
    readonly rate: tf.Tensor,
    options: DistributionOptions = {},
  ) {
    this.shapes = resolveShapes('Exponential', { rate }, options);
    this.paramShape = this.shapes.paramShape;
    this.batchShape = this.shapes.batchShape;
  }

  /** u ~ U(0, 1), `[k, ...batchShape]`; the same seed gives the same u. */
  sampleNoise(k: number, seed?: number): tf.Tensor {
    return seededUniform(noiseShape(this.shapes, k, 'Exponential'), 0, 1, seed);
  }

  /** -log1p(-u)/rate for u `[k, ...batchShape]`, u clamped to [0, 1 - 2⁻²⁴]. */
  rsampleWithNoise(noise: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.div(tf.neg(tf.log1p(tf.neg(tf.clipByValue(noise, 0, U_MAX)))), this.rate));
  }

  rsample(k: number, seed?: number): tf.Tensor {
    return tf.tidy(() => this.rsampleWithNoise(this.sampleNoise(k, seed)));
  }

  sample(k: number, seed?: number): tf.Tensor {
    return this.rsample(k, seed);
  }

  logProb(value: tf.Tensor): tf.Tensor {
    checkValue(value, 'Exponential');
    return tf.tidy(() => logDensityOnSupport(value, 'nonnegative', (x) => tf.sub(tf.log(this.rate), tf.mul(this.rate, x))));
  }

  kl(other: Distribution): tf.Tensor | undefined {
    if (!(other instanceof Exponential)) return undefined;
    checkKlShapes(this, other);
    return tf.tidy(() => {
      const ratio = tf.div(other.rate, this.rate);
      return tf.sum(tf.sub(tf.sub(ratio, tf.log(ratio)), 1), -1);
    });
  }
}

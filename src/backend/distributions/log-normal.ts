/**
 * The LogNormal distribution over the last axis: x = exp(y) with y ~ N(loc, scale²).
 */
import * as tf from '@tensorflow/tfjs';
import { normalLogDensity } from '../ops/normal-log-density.js';
import { seededNormal } from '../random.js';
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
import { Normal } from './normal.js';
import { restrictToSupport } from './support.js';

/**
 * LogNormal(loc, scale), independent over the event axis; support (0, ∞).
 * `loc` and `scale` are the mean and standard deviation of log x.
 *
 * - rsample: x = exp(loc + scale · eps), eps ~ N(0, 1)
 * - logProb: Σ_d [log N(log x; loc, scale²) - log x], -∞ for x <= 0
 * - KL(LN(m1, s1) || LN(m2, s2)) = KL(N(m1, s1) || N(m2, s2)) (KL is invariant
 *   under the bijection exp)
 *
 * Mean exp(loc + scale²/2), variance (exp(scale²) - 1) exp(2 loc + scale²).
 *
 * @see Johnson, Kotz and Balakrishnan (1994), Continuous Univariate
 *   Distributions, vol. 1, ch. 14.
 * @example new LogNormal(tf.tensor1d([0]), tf.tensor1d([0.5])).rsample(4, 0) // [4, 1], all > 0
 */
export class LogNormal implements ReparameterizedDistribution {
  readonly family = 'LogNormal' as const;
  readonly reparameterized = true as const;
  readonly paramShape: readonly number[];
  readonly batchShape: readonly number[];
  private readonly shapes: ResolvedShapes;

  /**
   * @param loc mean of log x, `[..., d]`
   * @param scale standard deviation of log x (> 0, not checked), broadcasts with loc
   * @param options `{ sampleAxis }`, see distribution.ts
   */
  constructor(
    readonly loc: tf.Tensor,
    readonly scale: tf.Tensor,
    options: DistributionOptions = {},
  ) {
    this.shapes = resolveShapes('LogNormal', { loc, scale }, options);
    this.paramShape = this.shapes.paramShape;
    this.batchShape = this.shapes.batchShape;
  }

  /** eps ~ N(0, 1), `[k, ...batchShape]`; the same seed gives the same eps. */
  sampleNoise(k: number, seed?: number): tf.Tensor {
    return seededNormal(noiseShape(this.shapes, k, 'LogNormal'), seed);
  }

  /** exp(loc + scale · eps) for eps `[k, ...batchShape]`. */
  rsampleWithNoise(noise: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.exp(tf.add(this.loc, tf.mul(this.scale, noise))));
  }

  rsample(k: number, seed?: number): tf.Tensor {
    return tf.tidy(() => this.rsampleWithNoise(this.sampleNoise(k, seed)));
  }

  sample(k: number, seed?: number): tf.Tensor {
    return this.rsample(k, seed);
  }

  logProb(value: tf.Tensor): tf.Tensor {
    checkValue(value, 'LogNormal');
    return tf.tidy(() => {
      const { safe, outside } = restrictToSupport(value, 'positive');
      const logX = tf.log(safe);
      return tf.add(tf.sub(normalLogDensity(logX, this.loc, this.scale), tf.sum(logX, -1)), outside);
    });
  }

  kl(other: Distribution): tf.Tensor | undefined {
    if (!(other instanceof LogNormal)) return undefined;
    checkKlShapes(this, other);
    return tf.tidy(() => new Normal(this.loc, this.scale).kl(new Normal(other.loc, other.scale))!);
  }
}

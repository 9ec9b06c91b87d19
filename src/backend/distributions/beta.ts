/**
 * The Beta distribution over the last axis, density x^(a-1) (1-x)^(b-1) / B(a, b) on 0 < x < 1.
 */
import * as tf from '@tensorflow/tfjs';
import { betaSample } from '../ops/beta-sample.js';
import { digamma } from '../ops/digamma.js';
import { lbeta } from '../ops/lgamma.js';
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

/**
 * Beta(a, b), independent over the event axis; support (0, 1).
 *
 * - rsample (inversion with implicit reparameterization): u ~ U(0, 1),
 *   x = I⁻¹(u; a, b), solved in float64 on the CPU with ∂x/∂a and ∂x/∂b
 *   (ops/beta-sample.ts); samples are kept in [1.2e-38, 1 - 2⁻²⁴]
 * - logProb: Σ_d [(a - 1) log x + (b - 1) log(1 - x) - log B(a, b)], -∞ outside (0, 1)
 * - KL(Beta(a1, b1) || Beta(a2, b2)) = Σ_d [log B(a2, b2) - log B(a1, b1)
 *   + (a1 - a2) ψ(a1) + (b1 - b2) ψ(b1) + (a2 - a1 + b2 - b1) ψ(a1 + b1)]
 *
 * Mean a/(a + b), variance ab / ((a + b)² (a + b + 1)).
 *
 * @see Figurnov, Mohamed and Mnih (2018), "Implicit Reparameterization
 *   Gradients", NeurIPS; Johnson, Kotz and Balakrishnan (1995), Continuous
 *   Univariate Distributions, vol. 2, ch. 25.
 * @example new Beta(tf.tensor1d([2]), tf.tensor1d([6])).rsample(3, 0) // [3, 1], mean 0.25
 */
export class Beta implements ReparameterizedDistribution {
  readonly family = 'Beta' as const;
  readonly reparameterized = true as const;
  readonly paramShape: readonly number[];
  readonly batchShape: readonly number[];
  private readonly shapes: ResolvedShapes;

  /**
   * @param a first shape > 0 (not checked), `[..., d]`
   * @param b second shape > 0 (not checked), broadcasts with a
   * @param options `{ sampleAxis }`, see distribution.ts
   */
  constructor(
    readonly a: tf.Tensor,
    readonly b: tf.Tensor,
    options: DistributionOptions = {},
  ) {
    this.shapes = resolveShapes('Beta', { a, b }, options);
    this.paramShape = this.shapes.paramShape;
    this.batchShape = this.shapes.batchShape;
  }

  /** u ~ U(0, 1), `[k, ...batchShape]`; the same seed gives the same u. */
  sampleNoise(k: number, seed?: number): tf.Tensor {
    return seededUniform(noiseShape(this.shapes, k, 'Beta'), 0, 1, seed);
  }

  /** I⁻¹(u; a, b) for u `[k, ...batchShape]`; differentiable in a and b. */
  rsampleWithNoise(noise: tf.Tensor): tf.Tensor {
    return tf.tidy(() => betaSample(this.a, this.b, noise));
  }

  rsample(k: number, seed?: number): tf.Tensor {
    return tf.tidy(() => this.rsampleWithNoise(this.sampleNoise(k, seed)));
  }

  sample(k: number, seed?: number): tf.Tensor {
    return this.rsample(k, seed);
  }

  logProb(value: tf.Tensor): tf.Tensor {
    checkValue(value, 'Beta');
    return tf.tidy(() => {
      const { a, b } = this;
      const normalizer = lbeta(a, b);
      return logDensityOnSupport(value, 'unit-interval', (x) =>
        tf.sub(tf.add(tf.mul(tf.sub(a, 1), tf.log(x)), tf.mul(tf.sub(b, 1), tf.log1p(tf.neg(x)))), normalizer),
      );
    });
  }

  kl(other: Distribution): tf.Tensor | undefined {
    if (!(other instanceof Beta)) return undefined;
    checkKlShapes(this, other);
    return tf.tidy(() => {
      const [a1, b1, a2, b2] = [this.a, this.b, other.a, other.b];
      const normalizers = tf.sub(lbeta(a2, b2), lbeta(a1, b1));
      const first = tf.mul(tf.sub(a1, a2), digamma(a1));
      const second = tf.mul(tf.sub(b1, b2), digamma(b1));
      const total = tf.mul(tf.sub(tf.add(a2, b2), tf.add(a1, b1)), digamma(tf.add(a1, b1)));
      return tf.sum(tf.add(tf.add(normalizers, first), tf.add(second, total)), -1);
    });
  }
}

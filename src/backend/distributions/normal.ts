/**
 * The diagonal Normal distribution N(loc, diag(scale²)) over the last axis.
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

/**
 * Normal(loc, scale), independent over the event axis.
 *
 * - rsample: x = loc + scale · eps, eps ~ N(0, 1) (Kingma and Welling 2014, §2.4)
 * - logProb: Σ_d [-½((x - loc)/scale)² - log scale - ½ log 2π]
 * - KL(N(m1, s1) || N(m2, s2)) = Σ_d [log(s2/s1) + (s1² + (m1 - m2)²)/(2 s2²) - ½]
 *
 * @see Kingma and Welling (2014), "Auto-Encoding Variational Bayes", ICLR,
 *   §2.4 (reparameterization) and Appendix B (Gaussian KL).
 * @example
 * const q = new Normal(mu, sigma);          // mu, sigma: [batch, d]
 * const z = q.rsample(8, seed);             // [8, batch, d]
 * const logQ = q.logProb(z);                // [8, batch]
 */
export class Normal implements ReparameterizedDistribution {
  readonly family = 'Normal' as const;
  readonly reparameterized = true as const;
  readonly paramShape: readonly number[];
  readonly batchShape: readonly number[];
  private readonly shapes: ResolvedShapes;

  /**
   * @param loc mean, `[..., d]`
   * @param scale standard deviation (> 0, not checked: that would read the data), broadcasts with loc
   * @param options `{ sampleAxis }`, see distribution.ts
   */
  constructor(
    readonly loc: tf.Tensor,
    readonly scale: tf.Tensor,
    options: DistributionOptions = {},
  ) {
    this.shapes = resolveShapes('Normal', { loc, scale }, options);
    this.paramShape = this.shapes.paramShape;
    this.batchShape = this.shapes.batchShape;
  }

  /** eps ~ N(0, 1), `[k, ...batchShape]`; the same seed gives the same eps. */
  sampleNoise(k: number, seed?: number): tf.Tensor {
    return seededNormal(noiseShape(this.shapes, k, 'Normal'), seed);
  }

  /** loc + scale · eps for eps `[k, ...batchShape]`; differentiable in loc and scale. */
  rsampleWithNoise(noise: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.add(this.loc, tf.mul(this.scale, noise)));
  }

  rsample(k: number, seed?: number): tf.Tensor {
    return tf.tidy(() => this.rsampleWithNoise(this.sampleNoise(k, seed)));
  }

  sample(k: number, seed?: number): tf.Tensor {
    return this.rsample(k, seed);
  }

  /** Σ_d log N(value; loc, scale²), fused into one kernel where the backend has it (normalLogDensity). */
  logProb(value: tf.Tensor): tf.Tensor {
    checkValue(value, 'Normal');
    return normalLogDensity(value, this.loc, this.scale);
  }

  kl(other: Distribution): tf.Tensor | undefined {
    if (!(other instanceof Normal)) return undefined;
    checkKlShapes(this, other);
    return tf.tidy(() => {
      const logRatio = tf.sub(tf.log(other.scale), tf.log(this.scale));
      const num = tf.add(tf.square(this.scale), tf.squaredDifference(this.loc, other.loc));
      const quad = tf.div(num, tf.mul(2, tf.square(other.scale)));
      return tf.sum(tf.sub(tf.add(logRatio, quad), 0.5), -1);
    });
  }
}

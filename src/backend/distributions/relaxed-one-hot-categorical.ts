/**
 * The Concrete (Gumbel-softmax) distribution Concrete(logits, λ) (Maddison,
 * Mnih and Teh 2017; Jang, Gu and Poole 2017), the continuous relaxation of
 * OneHotCategorical(logits) on the simplex of the last axis.
 */
import * as tf from '@tensorflow/tfjs';
import { assertTensor } from '../check.js';
import { seededGumbel } from '../ops/gumbel-noise.js';
import { withoutGradient } from '../ops/without-gradient.js';
import { logGamma } from '../scalar/log-gamma.js';
import { checkTemperature, type RelaxedDistribution } from './discrete.js';
import { checkValue, noiseShape, resolveShapes, type DistributionOptions, type ResolvedShapes } from './distribution.js';

/**
 * Concrete(l, λ) over n categories, α = exp(l):
 *
 * - rsample: y = softmax((l + G)/λ), G standard Gumbel noise; argmax y is
 *   Categorical(softmax(l)) for every λ (the Gumbel-max trick), and y tends
 *   to that one-hot vector as λ → 0.
 * - density on the simplex (Maddison et al. 2017, sec. 3; seed 004 ch. 5.3.1):
 *     p(y) = (n − 1)! λ^(n−1) Π_k [ α_k y_k^(−λ−1) / Σ_i α_i y_i^(−λ) ]
 *   i.e. log p(y) = log (n − 1)! + (n − 1) log λ + Σ_k (l_k − (λ + 1) log y_k) − n logSumExp_i(l_i − λ log y_i),
 *   evaluated from log y (a log-softmax, finite where y_k underflows to 0).
 *
 * With n = 2 the first coordinate of a Concrete(l, λ) sample is BinConcrete(l_1 − l_2, λ).
 *
 * @see Maddison, Mnih, Teh (2017), "The Concrete distribution", ICLR;
 *   Jang, Gu, Poole (2017), "Categorical reparameterization with Gumbel-softmax", ICLR.
 * @example const q = new RelaxedOneHotCategorical(logits, 0.5); // logits [batch, K]
 */
export class RelaxedOneHotCategorical implements RelaxedDistribution {
  readonly family = 'RelaxedOneHotCategorical' as const;
  readonly reparameterized = true as const;
  readonly paramShape: readonly number[];
  readonly batchShape: readonly number[];
  private readonly shapes: ResolvedShapes;

  /**
   * @param logits log α, `[..., n]` (unnormalized)
   * @param temperature λ > 0
   * @param options `{ sampleAxis }`, see distribution.ts
   */
  constructor(
    readonly logits: tf.Tensor,
    readonly temperature: number,
    options: DistributionOptions = {},
  ) {
    checkTemperature(temperature, 'RelaxedOneHotCategorical');
    this.shapes = resolveShapes('RelaxedOneHotCategorical', { logits }, options);
    this.paramShape = this.shapes.paramShape;
    this.batchShape = this.shapes.batchShape;
  }

  /** Number of categories n. */
  get numCategories(): number {
    return this.paramShape[this.paramShape.length - 1]!;
  }

  /** Gumbel noise G, `[k, ...batchShape]`. */
  sampleNoise(k: number, seed?: number): tf.Tensor {
    return seededGumbel(noiseShape(this.shapes, k, 'RelaxedOneHotCategorical'), seed);
  }

  /** log y = logSoftmax((l + G)/λ). */
  rsampleRawWithNoise(noise: tf.Tensor): tf.Tensor {
    assertTensor(noise, 'noise', 'RelaxedOneHotCategorical.rsampleRawWithNoise');
    return tf.tidy(() => tf.logSoftmax(tf.div(tf.add(this.logits, noise), this.temperature)));
  }

  fromRaw(raw: tf.Tensor): tf.Tensor {
    return tf.exp(raw);
  }

  rsampleWithNoise(noise: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.fromRaw(this.rsampleRawWithNoise(noise)));
  }

  rsample(k: number, seed?: number): tf.Tensor {
    return tf.tidy(() => this.rsampleWithNoise(this.sampleNoise(k, seed)));
  }

  sample(k: number, seed?: number): tf.Tensor {
    return this.rsample(k, seed);
  }

  /** log Concrete(y; l, λ) from log y, `[..., n]` → `[...]`. */
  logProbRaw(raw: tf.Tensor): tf.Tensor {
    checkValue(raw, 'RelaxedOneHotCategorical');
    return tf.tidy(() => {
      const n = this.numCategories;
      const lambda = this.temperature;
      const constant = logGamma(n) + (n - 1) * Math.log(lambda); // log (n − 1)! + (n − 1) log λ
      const perCategory = tf.sum(tf.sub(this.logits, tf.mul(raw, lambda + 1)), -1);
      const normalizer = tf.mul(tf.logSumExp(tf.sub(this.logits, tf.mul(raw, lambda)), -1), n);
      return tf.add(tf.sub(perCategory, normalizer), constant);
    });
  }

  /** log Concrete(y; l, λ) for y on the open simplex. */
  logProb(value: tf.Tensor): tf.Tensor {
    checkValue(value, 'RelaxedOneHotCategorical');
    return tf.tidy(() => this.logProbRaw(tf.log(value)));
  }

  /** one_hot(argmax log y). */
  hardFromRaw(raw: tf.Tensor): tf.Tensor {
    const n = raw.shape[raw.rank - 1]!;
    return withoutGradient((x) => tf.oneHot(tf.argMax(x, -1), n).toFloat(), raw);
  }
}

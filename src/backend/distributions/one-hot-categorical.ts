/**
 * OneHotCategorical(logits): one draw from K categories per variable, as a
 * one-hot vector over the last axis.
 */
import * as tf from '@tensorflow/tfjs';
import { assertTensor } from '../check.js';
import { seededGumbel } from '../ops/gumbel-noise.js';
import { withoutGradient } from '../ops/without-gradient.js';
import type { DiscreteDistribution } from './discrete.js';
import { checkKlShapes, checkValue, noiseShape, resolveShapes, type Distribution, type DistributionOptions, type ResolvedShapes } from './distribution.js';
import { RelaxedOneHotCategorical } from './relaxed-one-hot-categorical.js';

/**
 * OneHotCategorical(l): P(y = e_k) = softmax(l)_k over the last axis of K categories.
 *
 * - sample: e_argmax(l + G) with G standard Gumbel noise (the Gumbel-max trick); no gradient.
 * - logProb: Σ_k y_k log softmax(l)_k (for a one-hot y, the log-probability of its category).
 * - KL(a || b) = Σ_k softmax(a)_k (log softmax(a)_k − log softmax(b)_k).
 * - relax(λ): Concrete(l, λ) (RelaxedOneHotCategorical).
 *
 * @example new OneHotCategorical(logits).sample(4, seed) // [4, batch, K], one 1 per row
 */
export class OneHotCategorical implements DiscreteDistribution {
  readonly family = 'OneHotCategorical' as const;
  readonly reparameterized = false as const;
  readonly paramShape: readonly number[];
  readonly batchShape: readonly number[];
  private readonly shapes: ResolvedShapes;

  /**
   * @param logits unnormalized log-probabilities, `[..., K]`
   * @param options `{ sampleAxis }`, see distribution.ts
   */
  constructor(
    readonly logits: tf.Tensor,
    private readonly options: DistributionOptions = {},
  ) {
    this.shapes = resolveShapes('OneHotCategorical', { logits }, options);
    this.paramShape = this.shapes.paramShape;
    this.batchShape = this.shapes.batchShape;
  }

  /** K: a one-hot vector takes one of K values. */
  get numStates(): number {
    return this.paramShape[this.paramShape.length - 1]!;
  }

  /** Always throws: a one-hot sample has no pathwise derivative. */
  rsample(_k: number, _seed?: number): tf.Tensor {
    throw new Error('OneHotCategorical.rsample: the distribution is not reparameterizable; use sample() with a score-function estimator, or relax() for a Concrete relaxation');
  }

  /** Gumbel noise, `[k, ...batchShape]`. */
  sampleNoise(k: number, seed?: number): tf.Tensor {
    return seededGumbel(noiseShape(this.shapes, k, 'OneHotCategorical'), seed);
  }

  /** one_hot(argmax(logits + G)), gradient-free. */
  sampleWithNoise(noise: tf.Tensor): tf.Tensor {
    assertTensor(noise, 'noise', 'OneHotCategorical.sampleWithNoise');
    const K = this.numStates;
    return tf.tidy(() => withoutGradient((perturbed) => tf.oneHot(tf.argMax(perturbed, -1), K).toFloat(), tf.add(this.logits, noise)));
  }

  sample(k: number, seed?: number): tf.Tensor {
    return tf.tidy(() => this.sampleWithNoise(this.sampleNoise(k, seed)));
  }

  logProb(value: tf.Tensor): tf.Tensor {
    checkValue(value, 'OneHotCategorical');
    return tf.tidy(() => tf.sum(tf.mul(value, tf.logSoftmax(this.logits)), -1));
  }

  kl(other: Distribution): tf.Tensor | undefined {
    if (!(other instanceof OneHotCategorical)) return undefined;
    checkKlShapes(this, other);
    return tf.tidy(() => {
      const logP = tf.logSoftmax(this.logits);
      return tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, tf.logSoftmax(other.logits))), -1);
    });
  }

  relax(temperature: number): RelaxedOneHotCategorical {
    return new RelaxedOneHotCategorical(this.logits, temperature, this.options);
  }
}

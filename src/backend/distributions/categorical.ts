/**
 * Categorical(logits): one category index in 0, ..., K − 1 per variable. The
 * logits' last axis holds the K categories; a value has one coordinate, so
 * logits `[..., K]` go with values `[..., 1]`.
 */
import * as tf from '@tensorflow/tfjs';
import { assertTensor } from '../check.js';
import { seededGumbel } from '../ops/gumbel-noise.js';
import { withoutGradient } from '../ops/without-gradient.js';
import type { DiscreteDistribution } from './discrete.js';
import { checkKlShapes, checkValue, noiseShape, resolveShapes, type Distribution, type DistributionOptions, type ResolvedShapes } from './distribution.js';

/**
 * Categorical(l): P(c = k) = softmax(l)_k, k = 0, ..., K − 1.
 *
 * - sample: argmax_k(l_k + G_k), G standard Gumbel noise; float32 indices, `[k, ..., 1]`; no gradient.
 * - logProb: log softmax(l)_c; −∞ for a value that is not an index in 0, ..., K − 1.
 * - KL(a || b) = Σ_k softmax(a)_k (log softmax(a)_k − log softmax(b)_k).
 *
 * No continuous relaxation: an index has no meaningful interpolation (`relax`
 * returns undefined); relax a OneHotCategorical instead.
 *
 * @example new Categorical(logits).logProb(tf.tensor2d([[2]])) // logits [1, K]: log softmax(l)_2
 */
export class Categorical implements DiscreteDistribution {
  readonly family = 'Categorical' as const;
  readonly reparameterized = false as const;
  /** The logits' broadcast shape, `[..., K]`. */
  readonly paramShape: readonly number[];
  /** `[..., 1]`: the logits' shape without the sample axis, one coordinate per variable. */
  readonly batchShape: readonly number[];
  private readonly shapes: ResolvedShapes;

  /**
   * @param logits unnormalized log-probabilities of the K categories, `[..., K]`
   * @param options `{ sampleAxis }`, see distribution.ts
   */
  constructor(
    readonly logits: tf.Tensor,
    options: DistributionOptions = {},
  ) {
    this.shapes = resolveShapes('Categorical', { logits }, options);
    this.paramShape = this.shapes.paramShape;
    this.batchShape = [...this.shapes.batchShape.slice(0, -1), 1];
  }

  /** K, the number of categories. */
  get numStates(): number {
    return this.paramShape[this.paramShape.length - 1]!;
  }

  rsample(_k: number, _seed?: number): tf.Tensor {
    throw new Error('Categorical.rsample: a category index is not reparameterizable; use sample() with a score-function estimator, or a OneHotCategorical with a Concrete relaxation');
  }

  /** Gumbel noise `[k, ..., K]` (one per category). */
  sampleNoise(k: number, seed?: number): tf.Tensor {
    return seededGumbel(noiseShape(this.shapes, k, 'Categorical'), seed);
  }

  /** argmax(logits + G) as float32, `[k, ..., 1]`, gradient-free. */
  sampleWithNoise(noise: tf.Tensor): tf.Tensor {
    assertTensor(noise, 'noise', 'Categorical.sampleWithNoise');
    return tf.tidy(() => withoutGradient((perturbed) => tf.expandDims(tf.argMax(perturbed, -1).toFloat(), -1), tf.add(this.logits, noise)));
  }

  sample(k: number, seed?: number): tf.Tensor {
    return tf.tidy(() => this.sampleWithNoise(this.sampleNoise(k, seed)));
  }

  /** log softmax(l)_c for indices c `[..., 1]` → `[...]`. */
  logProb(value: tf.Tensor): tf.Tensor {
    checkValue(value, 'Categorical');
    if (value.shape[value.rank - 1] !== 1) {
      throw new Error(`Categorical.logProb: a value is one index, shape [..., 1], but got [${value.shape.join(', ')}]`);
    }
    const K = this.numStates;
    return tf.tidy(() => {
      // [c = k] for k = 0..K-1, off the tape (equal has no gradient); an index outside 0..K-1 matches none.
      const indicator = withoutGradient((c) => tf.cast(tf.equal(c, tf.range(0, K)), 'float32'), value);
      const outside = withoutGradient((c) => tf.where(tf.equal(tf.sum(c, -1), 0), tf.fill([...c.shape.slice(0, -1)], -Infinity), tf.zeros(c.shape.slice(0, -1))), indicator);
      return tf.add(tf.sum(tf.mul(indicator, tf.logSoftmax(this.logits)), -1), outside);
    });
  }

  kl(other: Distribution): tf.Tensor | undefined {
    if (!(other instanceof Categorical)) return undefined;
    checkKlShapes(this, other);
    return tf.tidy(() => {
      const logP = tf.logSoftmax(this.logits);
      return tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, tf.logSoftmax(other.logits))), -1);
    });
  }

  relax(_temperature: number): undefined {
    return undefined;
  }
}

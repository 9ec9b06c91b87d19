/**
 * A mixture of K diagonal Normal distributions over the last axis: a learned
 * mixture-of-Gaussians prior (seed 001: "MoG", Dilokthanakul et al. 2016;
 * Nalisnick, Hertel & Smyth 2016), or a likelihood.
 */
import * as tf from '@tensorflow/tfjs';
import { assertRankAtLeast, assertTensor } from '../check.js';
import { logSumExpStable } from '../ops/log-sum-exp-stable.js';
import { normalLogDensity } from '../ops/normal-log-density.js';
import { SeededRandom, seededNormal, seededUniform } from '../random.js';
import { broadcastShapes } from '../shape.js';
import { checkValue, type Distribution, type DistributionOptions } from './distribution.js';

/**
 * The one-hot index of the component each uniform picks, inverse CDF of the
 * mixture weights: the smallest j with u < Σ_{i<=j} π_i. Off the tape (`less`
 * has no gradient): a component choice has no pathwise derivative.
 */
const chooseComponent = tf.customGrad((cdf, u) => {
  const [c, v] = [cdf as tf.Tensor, u as tf.Tensor];
  const k = c.shape[c.rank - 1]!;
  const below = tf.sum(tf.cast(tf.less(c, v), 'int32'), -1);
  const index = tf.minimum(below, tf.scalar(k - 1, 'int32'));
  return { value: tf.cast(tf.oneHot(index, k), 'float32'), gradFunc: () => [tf.zerosLike(c), tf.zerosLike(v)] };
});

/**
 * MixtureNormal(logits, locs, scales) on vectors of d coordinates:
 *
 *   p(x) = Σ_j π_j Π_i N(x_i; μ_ji, σ_ji),   π = softmax(logits),
 *
 * with `logits` `[..., K]`, `locs` `[..., K·d]` (component j's mean is
 * `locs[j·d:(j+1)·d]`, row-major like a `[K, d]` matrix) and `scales`
 * `[..., K·d]` or `[..., 1]` (one scale for every component and coordinate).
 *
 * - logProb: logSumExp_j(log π_j + Σ_i log N(x_i; μ_ji, σ_ji)), in log space.
 * - sample: j by the inverse CDF of π at a uniform, then μ_j + σ_j·ε; not
 *   reparameterizable (the choice of j is discrete), so it cannot be a guide.
 * - no closed-form KL: the vae objective uses log q − log p.
 *
 * @example
 * const prior = new MixtureNormal(logits, locs, scales);   // [10], [10·50], [10·50]
 * prior.logProb(z);                                        // z [k, batch, 50] -> [k, batch]
 */
export class MixtureNormal implements Distribution {
  readonly family = 'MixtureNormal' as const;
  readonly reparameterized = false as const;
  /** `[...lead, d]`: the parameters' broadcast leading axes and the event axis. */
  readonly paramShape: readonly number[];
  readonly batchShape: readonly number[];
  /** K, the number of components. */
  readonly components: number;
  /** d, the length of the vectors. */
  readonly dimension: number;

  /**
   * @param logits unnormalized log mixture weights, `[..., K]`
   * @param locs component means, `[..., K·d]`
   * @param scales component standard deviations (> 0, not checked), `[..., K·d]` or `[..., 1]`
   * @param options `{ sampleAxis }`, see distribution.ts
   */
  constructor(
    readonly logits: tf.Tensor,
    readonly locs: tf.Tensor,
    readonly scales: tf.Tensor,
    private readonly options: DistributionOptions = {},
  ) {
    const params = { logits, locs, scales };
    for (const [name, value] of Object.entries(params)) {
      assertTensor(value, name, 'MixtureNormal');
      assertRankAtLeast(value, 1, name, 'MixtureNormal');
    }
    const last = (t: tf.Tensor) => t.shape[t.rank - 1]!;
    this.components = last(logits);
    const d = last(locs) / this.components;
    if (!Number.isInteger(d) || d < 1) {
      throw new Error(`MixtureNormal: locs must hold K·d values per point for K = ${this.components} components, but its last axis has ${last(locs)}`);
    }
    if (last(scales) !== 1 && last(scales) !== last(locs)) {
      throw new Error(`MixtureNormal: scales must have a last axis of 1 or K·d = ${last(locs)}, but has ${last(scales)}`);
    }
    this.dimension = d;
    const lead = [logits, locs, scales].reduce<number[]>((s, t) => broadcastShapes(s, t.shape.slice(0, -1), 'MixtureNormal parameters'), []);
    this.paramShape = [...lead, d];
    if (options.sampleAxis === true && lead.length < 1) {
      throw new Error('MixtureNormal: with { sampleAxis: true } the parameters need a leading sample axis');
    }
    this.batchShape = options.sampleAxis === true ? this.paramShape.slice(1) : this.paramShape;
  }

  /** Always throws: the component choice is discrete. */
  rsample(_k: number, _seed?: number): tf.Tensor {
    throw new Error('MixtureNormal.rsample: a mixture is not reparameterizable (the component choice is discrete); use sample(), or a MixtureNormal prior with a reparameterizable guide');
  }

  /** k draws, `[k, ...batchShape]`: a component by the inverse CDF of the weights, then its Normal. */
  sample(k: number, seed?: number): tf.Tensor {
    const seeds = seed === undefined ? [undefined, undefined] : [new SeededRandom(seed).nextSeed(), new SeededRandom(seed + 1).nextSeed()];
    return tf.tidy(() => {
      const lead = [k, ...this.batchShape.slice(0, -1)];
      const u = seededUniform([...lead, 1], 0, 1, seeds[0]);
      const eps = seededNormal([...lead, this.dimension], seeds[1]);
      const cdf = tf.cumsum(tf.softmax(this.logits), this.logits.rank - 1); // tfjs 4.22's cumsum mis-shapes axis −1
      const choice = tf.expandDims(chooseComponent(cdf, u) as tf.Tensor, -1); // [..., K, 1]
      const pick = (t: tf.Tensor) => tf.sum(tf.mul(choice, t), -2);
      return tf.add(pick(this.componentLocs()), tf.mul(pick(this.componentScales()), eps));
    });
  }

  /** log p(value) for value `[..., d]`: `[...]`. */
  logProb(value: tf.Tensor): tf.Tensor {
    checkValue(value, 'MixtureNormal');
    if (value.shape[value.rank - 1] !== this.dimension) {
      throw new Error(`MixtureNormal.logProb: values must have ${this.dimension} coordinates, but have shape [${value.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      const perComponent = normalLogDensity(tf.expandDims(value, -2), this.componentLocs(), this.componentScales()); // [..., K]
      return logSumExpStable(tf.add(perComponent, tf.logSoftmax(this.logits)), -1);
    });
  }

  /** `[..., K, d]`. */
  private componentLocs(): tf.Tensor {
    return tf.reshape(this.locs, [...this.locs.shape.slice(0, -1), this.components, this.dimension]);
  }

  /** `[..., K, d]`, or `[..., 1, 1]` for one shared scale. */
  private componentScales(): tf.Tensor {
    const lead = this.scales.shape.slice(0, -1);
    return this.scales.shape[this.scales.rank - 1] === 1
      ? tf.reshape(this.scales, [...lead, 1, 1])
      : tf.reshape(this.scales, [...lead, this.components, this.dimension]);
  }
}

/**
 * The shape a MixtureNormal parameter is broadcast to in a trace: the
 * sample's leading axes, then the parameter's own event axis (`[K]` for the
 * logits, `[K·d]` for locs and scales, `[1]` for a scalar), where the other
 * families broadcast every parameter to the variable's shape.
 *
 * @param sampleShape `[k, batch, ...variable shape]`
 * @param eventRank the rank of the variable's shape (1 for a vector)
 * @param parameterShape the parameter's shape of one data point
 */
export function mixtureParameterShape(sampleShape: readonly number[], eventRank: number, parameterShape: readonly number[]): number[] {
  return [...sampleShape.slice(0, sampleShape.length - eventRank), ...(parameterShape.length === 0 ? [1] : parameterShape)];
}

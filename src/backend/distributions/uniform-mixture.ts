/**
 * An equal-weight mixture of K distributions of one family, stacked on the
 * leading axis of the component's parameters: the VampPrior (Tomczak &
 * Welling 2018), p(z) = (1/K) Σ_k q(z | u_k).
 */
import * as tf from '@tensorflow/tfjs';
import { logMeanExp } from '../ops/log-mean-exp.js';
import { SeededRandom, seededUniform } from '../random.js';
import { checkValue, type Distribution } from './distribution.js';

/**
 * p(x) = (1/K) Σ_k p_k(x), log p(x) = logMeanExp_k log p_k(x).
 *
 * @example
 * // params [K, 1, 1, d]: K components, broadcast over values [k, batch, d]
 * const prior = new UniformMixture(new Normal(locs, scales));
 * prior.logProb(z); // [k, batch]
 */
export class UniformMixture implements Distribution {
  readonly family = 'UniformMixture' as const;
  readonly reparameterized = false as const;
  readonly paramShape: readonly number[];
  readonly batchShape: readonly number[];
  /** K. */
  readonly components: number;

  /** @param component K distributions in one: its parameters' leading axis is K, the others broadcast against the values. */
  constructor(readonly component: Distribution) {
    if (component.paramShape.length < 2) {
      throw new Error(`UniformMixture: the component's parameters need shape [K, ..., d], but broadcast to [${component.paramShape.join(', ')}]`);
    }
    this.components = component.paramShape[0]!;
    this.paramShape = component.paramShape.slice(1);
    this.batchShape = this.paramShape;
  }

  rsample(_k: number, _seed?: number): tf.Tensor {
    throw new Error('UniformMixture.rsample: a mixture is not reparameterizable; it serves as a prior, whose density is all a trace needs');
  }

  /**
   * k draws, `[k, ...batchShape]`: each picks one of the K components uniformly (its own seeded
   * uniform) and takes that component's draw (all K are drawn, then one is kept).
   */
  sample(k: number, seed?: number): tf.Tensor {
    const seeds = seed === undefined ? [undefined, undefined] : [new SeededRandom(seed).nextSeed(), new SeededRandom(seed + 1).nextSeed()];
    return tf.tidy(() => {
      const all = this.component.sample(k, seeds[0]); // [k, K, ...batchShape]
      const lead = [k, ...this.batchShape.slice(0, -1)];
      const u = seededUniform(lead, 0, 1, seeds[1]);
      const index = tf.cast(tf.minimum(tf.floor(tf.mul(u, this.components)), this.components - 1), 'int32');
      const oneHot = tf.oneHot(tf.reshape(index, [-1]), this.components); // [k·rest, K]
      const rank = lead.length;
      const perm = [0, rank, ...Array.from({ length: rank - 1 }, (_, i) => i + 1)];
      const mask = tf.expandDims(tf.transpose(tf.reshape(oneHot, [...lead, this.components]), perm), -1); // [k, K, ...rest, 1]
      return tf.sum(tf.mul(mask, all), 1);
    });
  }

  /** log p(value) for value `[..., d]` broadcasting against the component's parameters without K: `[...]`. */
  logProb(value: tf.Tensor): tf.Tensor {
    checkValue(value, 'UniformMixture');
    return tf.tidy(() => logMeanExp(this.component.logProb(tf.expandDims(value, 0)), 0));
  }
}

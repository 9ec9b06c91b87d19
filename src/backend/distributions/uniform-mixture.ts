/**
 * An equal-weight mixture of K distributions of one family, stacked on the
 * leading axis of the component's parameters: the VampPrior (Tomczak &
 * Welling 2018), p(z) = (1/K) Σ_k q(z | u_k).
 */
import * as tf from '@tensorflow/tfjs';
import { logMeanExp } from '../ops/log-mean-exp.js';
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

  sample(_k: number, _seed?: number): tf.Tensor {
    throw new Error('UniformMixture.sample: not implemented; a VampPrior is scored, never sampled');
  }

  /** log p(value) for value `[..., d]` broadcasting against the component's parameters without K: `[...]`. */
  logProb(value: tf.Tensor): tf.Tensor {
    checkValue(value, 'UniformMixture');
    return tf.tidy(() => logMeanExp(this.component.logProb(tf.expandDims(value, 0)), 0));
  }
}

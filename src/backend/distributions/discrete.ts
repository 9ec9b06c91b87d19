/**
 * What the discrete families (Bernoulli, Categorical, OneHotCategorical) and
 * their continuous relaxations share beyond `Distribution`.
 *
 * A discrete family has no pathwise sample: `sample` draws values with no
 * gradient, `numStates` counts the values of one data point's variable (for
 * exact enumeration), and `relax(λ)` gives its Concrete relaxation where one
 * exists (Maddison, Mnih and Teh 2017; Jang, Gu and Poole 2017).
 *
 * A relaxed family is reparameterized. Its density is evaluated from *raw*
 * coordinates in which it is stable at low temperature: the logit x of
 * y = σ(x) for the binary Concrete, log y for the Concrete on the simplex
 * (y rounds to exactly 0 or 1 in float32 long before x or log y overflow).
 * `logProbRaw(raw)` is the density of y = `fromRaw(raw)` itself, the
 * Concrete or binary Concrete density, computed from raw; `hardFromRaw` is
 * the discrete value the relaxed one rounds to (for the straight-through
 * estimator).
 */
import type * as tf from '@tensorflow/tfjs';
import type { Distribution, ReparameterizedDistribution } from './distribution.js';

export interface RelaxedDistribution extends ReparameterizedDistribution {
  /** The temperature λ > 0; as λ → 0 samples approach the discrete family's. */
  readonly temperature: number;
  /** Raw coordinates of a sample for noise from `sampleNoise`, `[k, ...batchShape]`; differentiable in the logits. */
  rsampleRawWithNoise(noise: tf.Tensor): tf.Tensor;
  /** The relaxed value y from raw coordinates. */
  fromRaw(raw: tf.Tensor): tf.Tensor;
  /** log density of y = fromRaw(raw), summed over the event axis: `[..., d]` → `[...]`. */
  logProbRaw(raw: tf.Tensor): tf.Tensor;
  /** The discrete value y rounds to (a 0/1 vector or a one-hot vector), with no gradient. */
  hardFromRaw(raw: tf.Tensor): tf.Tensor;
}

export interface DiscreteDistribution extends Distribution {
  readonly reparameterized: false;
  /** Number of values one data point's variable can take (2^d for d bits, K for K categories). */
  readonly numStates: number;
  /** The Concrete relaxation at temperature λ, or undefined when the family has none (a Categorical index). */
  relax(temperature: number): RelaxedDistribution | undefined;
}

/** True for Bernoulli, Categorical and OneHotCategorical distributions. */
export function isDiscrete(dist: Distribution): dist is DiscreteDistribution {
  return !dist.reparameterized && 'numStates' in dist && 'relax' in dist;
}

/** Throws unless the temperature is a positive finite number. */
export function checkTemperature(temperature: unknown, fnName: string): asserts temperature is number {
  if (typeof temperature !== 'number' || !Number.isFinite(temperature) || temperature <= 0) {
    throw new RangeError(`Argument 'temperature' passed to '${fnName}' must be a positive number, but got ${String(temperature)}`);
  }
}

/**
 * log-mean-exp, the estimator at the heart of importance-weighted bounds:
 * log (1/k) Σ_i w_i computed from log-weights without leaving log space.
 */
import * as tf from '@tensorflow/tfjs';
import { assertTensor } from '../check.js';
import { normalizeAxes } from './axes.js';
import { logSumExpStable } from './log-sum-exp-stable.js';

/**
 * logMeanExp(logW) = logSumExp(logW) - log(n), n = number of reduced terms;
 * never log(mean(exp(logW))), which overflows for log-weights above ~88.
 *
 * @param logW log-weights, e.g. `[k, batch]`
 * @param axis axis or axes to average over (default 0, the particle axis)
 * @param keepDims keep reduced axes with size 1 (default false)
 * @returns logW's shape without the reduced axes, e.g. `[batch]`
 * @example logMeanExp(logW, 0) // IWAE bound per data point, shape [batch]
 * @see Burda, Grosse and Salakhutdinov (2016), "Importance Weighted
 *   Autoencoders", ICLR, eq. (8).
 */
export function logMeanExp(logW: tf.Tensor, axis: number | readonly number[] = 0, keepDims = false): tf.Tensor {
  assertTensor(logW, 'logW', 'logMeanExp');
  const axes = normalizeAxes(axis, logW, 'logMeanExp');
  const n = axes.reduce((p, a) => p * logW.shape[a]!, 1);
  if (n === 0) {
    throw new Error(`Argument 'logW' passed to 'logMeanExp' has no terms along axis [${axes.join(', ')}]`);
  }
  return tf.tidy(() => tf.sub(logSumExpStable(logW, axes, keepDims), Math.log(n)));
}

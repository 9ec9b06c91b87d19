/**
 * Log-sum-exp that is finite where the answer is finite, -Infinity where
 * every term is -Infinity (zero-weight particles) and +Infinity where a term
 * is, with a gradient that is exactly softmax and zero, not NaN, for
 * -Infinity terms.
 *
 * tfjs's `tf.logSumExp` returns NaN when all terms along the axis are
 * -Infinity (it computes -Inf - (-Inf)), and its gradient runs through `max`.
 */
import * as tf from '@tensorflow/tfjs';
import { assertTensor } from '../check.js';
import { normalizeAxes, reducedShape } from './axes.js';

/** m + log Σ exp(x - m), m = max replaced by 0 where not finite; keeps dims. */
function forward(x: tf.Tensor, axes: number[]): tf.Tensor {
  const max = tf.max(x, axes, true);
  const shift = tf.where(tf.isFinite(max), max, tf.zerosLike(max));
  return tf.add(shift, tf.log(tf.sum(tf.exp(tf.sub(x, shift)), axes, true)));
}

/**
 * logSumExp(x) = m + log Σ_i exp(x_i - m), m = max_i x_i (0 if not finite);
 * d/dx_i = softmax(x)_i = exp(x_i - logSumExp(x)), taken as 0 where x_i = -Infinity.
 *
 * A custom-gradient op: first derivatives only (its gradient is not itself
 * differentiable).
 *
 * @param x tensor of log-terms, e.g. log-weights `[k, batch]`
 * @param axis axis or axes to reduce (default: all); negative counts from the end
 * @param keepDims keep reduced axes with size 1 (default false)
 * @returns x's shape without the reduced axes (or with size-1 axes when keepDims)
 * @example logSumExpStable(tf.tensor1d([-Infinity, -Infinity])) // -Infinity, not NaN
 * @see Blanchard, Higham and Higham (2021), "Accurately computing the
 *   log-sum-exp and softmax functions", IMA J. Numer. Anal. 41(4).
 */
export function logSumExpStable(x: tf.Tensor, axis?: number | readonly number[], keepDims = false): tf.Tensor {
  assertTensor(x, 'x', 'logSumExpStable');
  const axes = normalizeAxes(axis, x, 'logSumExpStable');
  const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outShape = keepDims ? keptShape : reducedShape(x.shape, axes);
  const op = tf.customGrad((input, save) => {
    const lse = forward(input as tf.Tensor, axes);
    (save as tf.GradSaveFunc)([input as tf.Tensor, lse]);
    return {
      value: tf.reshape(lse, outShape),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [terms, total] = saved as [tf.Tensor, tf.Tensor];
        const softmax = tf.where(tf.equal(terms, -Infinity), tf.zerosLike(terms), tf.exp(tf.sub(terms, total)));
        return tf.mul(tf.reshape(dy, keptShape), softmax);
      },
    };
  });
  return op(x);
}

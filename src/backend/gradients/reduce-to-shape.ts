/**
 * Undoing broadcasting in a gradient: a gradient computed at the broadcast
 * shape is summed back to the shape of the input that was broadcast.
 */
import * as tf from '@tensorflow/tfjs';
import { shapesEqual } from '../shape.js';

/**
 * Sums `grad` over the leading axes `shape` lacks and over the axes where
 * `shape` has size 1 but `grad` does not, then reshapes to `shape`.
 * Called inside a gradient function (already under the tape's tidy).
 *
 * @param grad gradient at the broadcast shape, e.g. `[2, 3, m, n]`
 * @param shape the input's shape, e.g. `[3, m, n]` or `[1, m, n]`
 * @returns tensor of `shape`
 */
export function reduceToShape(grad: tf.Tensor, shape: readonly number[]): tf.Tensor {
  if (shapesEqual(grad.shape, shape)) return grad;
  const lead = grad.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < lead; i++) axes.push(i);
  shape.forEach((d, i) => {
    if (d === 1 && grad.shape[lead + i] !== 1) axes.push(lead + i);
  });
  const summed = axes.length > 0 ? tf.sum(grad, axes) : grad;
  return tf.reshape(summed, [...shape]);
}

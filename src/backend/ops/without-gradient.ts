/**
 * withoutGradient: runs a function of one tensor off the gradient tape, with
 * a zero gradient. For the discrete parts of a computation (argmax, one-hot
 * encodings, comparisons), whose tfjs ops have no registered gradient and
 * would otherwise fail `tf.grad` when they sit on a path from a variable to
 * the loss: the ops inside a custom gradient's forward pass are not taped.
 */
import * as tf from '@tensorflow/tfjs';
import { assertTensor } from '../check.js';

/**
 * y = fn(x), with dy/dx = 0.
 *
 * @param fn a function of x; its result may have any shape
 * @param x the input, any shape
 * @returns fn(x), a new tensor
 * @example withoutGradient((l) => tf.oneHot(tf.argMax(l, -1), 3), logits) // one-hot, no gradient to logits
 */
export function withoutGradient(fn: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): tf.Tensor {
  assertTensor(x, 'x', 'withoutGradient');
  const op = tf.customGrad((input, _save) => {
    const t = input as tf.Tensor;
    return { value: fn(t), gradFunc: () => tf.zerosLike(t) };
  });
  return op(x);
}

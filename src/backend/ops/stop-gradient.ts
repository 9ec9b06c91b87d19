/**
 * stopGradient: the identity in the forward pass, a zero gradient in the
 * backward pass (tfjs has no `tf.stopGradient`). Used for "detached" terms
 * such as the variational parameters in the DReG and STL estimators
 * (Tucker et al. 2018; Roeder et al. 2017), and to keep discrete samples off
 * the tape.
 */
import * as tf from '@tensorflow/tfjs';
import { assertTensor } from '../check.js';

const detach = tf.customGrad((x, _save) => {
  const input = x as tf.Tensor;
  return { value: tf.clone(input), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/**
 * y = x, with dy/dx = 0.
 *
 * @param x any tensor, shape S
 * @returns a new tensor of shape S holding the same values
 * @example tf.grad((s) => stopGradient(s).mul(s).sum())(s) // = s, not 2s
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  assertTensor(x, 'x', 'stopGradient');
  return detach(x) as T;
}

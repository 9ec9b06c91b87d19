/**
 * The straight-through estimator (Bengio, Léonard and Courville 2013; with
 * Gumbel-softmax samples, Jang, Gu and Poole 2017, sec. 2.2): the forward
 * pass uses a hard (discrete) value, the backward pass the gradient of a soft
 * (relaxed) one, as if hard = soft. Biased: the hard value's true derivative
 * is zero almost everywhere.
 */
import * as tf from '@tensorflow/tfjs';
import { assertTensor } from '../check.js';

const op = tf.customGrad((soft, hard, _save) => {
  const [s, h] = [soft as tf.Tensor, hard as tf.Tensor];
  return { value: tf.clone(h), gradFunc: (dy: tf.Tensor | tf.Tensor[]) => [tf.clone(dy as tf.Tensor), tf.zerosLike(h)] };
});

/**
 * y = hard in the forward pass, dy/dsoft = 1 and dy/dhard = 0 in the backward pass.
 *
 * @param soft the relaxed value, shape S (gradients flow to it)
 * @param hard the discrete value, shape S (computed off the tape, e.g. with withoutGradient)
 * @returns a tensor of shape S equal to `hard`
 * @example straightThrough(tf.softmax(x), oneHotArgmax) // one-hot forward, softmax's gradient backward
 */
export function straightThrough(soft: tf.Tensor, hard: tf.Tensor): tf.Tensor {
  assertTensor(soft, 'soft', 'straightThrough');
  assertTensor(hard, 'hard', 'straightThrough');
  if (soft.shape.join() !== hard.shape.join()) {
    throw new Error(`straightThrough: soft has shape [${soft.shape.join(', ')}] but hard has [${hard.shape.join(', ')}]`);
  }
  return op(soft, hard);
}

/**
 * The elementwise functions of the language (`softplus(e)`, `exp(e)`, ...)
 * and network activations, as tfjs ops.
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation, UnaryFunction } from '../../ir/ir.js';

/** Applies a built-in function or an activation elementwise (`identity` returns x). */
export function applyElementwise(fn: UnaryFunction | Activation, x: tf.Tensor): tf.Tensor {
  switch (fn) {
    case 'softplus':
      return tf.softplus(x);
    case 'exp':
      return tf.exp(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'log':
      return tf.log(x);
    case 'abs':
      return tf.abs(x);
    case 'relu':
      return tf.relu(x);
    case 'sqrt':
      return tf.sqrt(x);
    case 'square':
      return tf.square(x);
    case 'identity':
      return x;
  }
}

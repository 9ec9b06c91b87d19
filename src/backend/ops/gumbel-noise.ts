/**
 * Parameter-free noise of the discrete families and their relaxations:
 * standard Gumbel G = −log(−log U) (the Gumbel-max trick: argmax_k(l_k + G_k)
 * is Categorical(softmax(l)); Maddison, Tarlow and Minka 2014) and standard
 * logistic L = log U − log(1 − U), the difference of two Gumbels (the binary
 * case: l + L > 0 with probability σ(l)). U ~ U(0, 1) is clamped to
 * [1e-30, 1 − 2^-24] so both stay finite in float32 (|G| < 17, |L| < 70).
 */
import * as tf from '@tensorflow/tfjs';
import { seededUniform } from '../random.js';

const LOW = 1e-30;
/** The largest float32 below 1. */
const HIGH = 1 - 2 ** -24;

/**
 * U clamped into [1e-30, 1 − 2^-24]: a float32 uniform on [0, 1) can be 0,
 * and can round to exactly 1 (a float64 draw above 1 − 2^-25: seen on the
 * native backend, where it made a relaxed training step NaN), where
 * log(1 − U) is −∞.
 */
function clamped(u: tf.Tensor): tf.Tensor {
  return tf.clipByValue(u, LOW, HIGH);
}

/** G = −log(−log U) for uniforms U (any shape), finite for U = 0 and U = 1. */
export function gumbelFromUniform(u: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.neg(tf.log(tf.neg(tf.log(clamped(u))))));
}

/** L = log U − log(1 − U) for uniforms U (any shape), finite for U = 0 and U = 1. */
export function logisticFromUniform(u: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const v = clamped(u);
    return tf.sub(tf.log(v), tf.log1p(tf.neg(v)));
  });
}

/**
 * Standard Gumbel noise.
 * @param shape output shape, e.g. `[k, batch, K]`
 * @param seed any safe integer (0 included); the same seed gives the same noise
 */
export function seededGumbel(shape: readonly number[], seed?: number): tf.Tensor {
  return tf.tidy(() => gumbelFromUniform(seededUniform(shape, 0, 1, seed)));
}

/**
 * Standard logistic noise.
 * @param shape output shape, e.g. `[k, batch, d]`
 * @param seed any safe integer (0 included)
 */
export function seededLogistic(shape: readonly number[], seed?: number): tf.Tensor {
  return tf.tidy(() => logisticFromUniform(seededUniform(shape, 0, 1, seed)));
}

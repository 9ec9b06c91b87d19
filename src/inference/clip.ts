/**
 * Global gradient-norm clipping (Pascanu et al. 2013):
 *   g ← g · min(1, c / ||g||),  ||g|| = sqrt(Σ_i ||g_i||²) over all parameters.
 */
import * as tf from '@tensorflow/tfjs';

/** The global L2 norm of a set of gradients (a scalar tensor). */
export function globalNorm(grads: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/**
 * Scales every gradient by min(1, clipNorm / norm).
 * @returns the clipped gradients (new tensors) in the same order
 */
export function clipByGlobalNorm(grads: readonly tf.Tensor[], norm: tf.Scalar, clipNorm: number): tf.Tensor[] {
  return tf.tidy(() => {
    const factor = tf.minimum(tf.scalar(1), tf.div(tf.scalar(clipNorm), tf.maximum(norm, 1e-12)));
    return grads.map((g) => tf.mul(g, factor));
  });
}

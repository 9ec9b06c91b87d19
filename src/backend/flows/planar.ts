/**
 * The planar flow layer (Rezende & Mohamed 2015, sec. 4.1 and appendix A).
 */
import * as tf from '@tensorflow/tfjs';
import { assertTensor } from '../check.js';
import { linearForward } from '../ops/linear.js';
import type { FlowLayer, FlowStep } from './flow-layer.js';

/** Keeps ‖w‖² away from 0 in û's denominator (w = 0 exactly leaves û = u). */
const NORM_FLOOR = 1e-12;

/**
 * f(z) = z + û·tanh(w·z + b), log |det ∂f/∂z| = log(1 + tanh'(w·z + b)·w·û)
 * (matrix determinant lemma: ∂f/∂z = I + û·tanh'(·)·wᵀ).
 *
 * f is invertible when w·û >= −1; the layer enforces it by the paper's
 * reparameterization of its free vector u:
 *   û = u + (m(w·u) − w·u)·w/‖w‖²,   m(a) = −1 + softplus(a),
 * so that w·û = m(w·u) > −1 and the determinant is positive.
 *
 * @example
 * const layer = new PlanarLayer(u, w, b);          // u, w: [d]; b: [1]
 * const { value, logDet } = layer.forward(z0);     // z0 [k, batch, d] -> [k, batch, d], [k, batch]
 */
export class PlanarLayer implements FlowLayer {
  /**
   * @param u the free direction `[d]`
   * @param w the normal of the hyperplane `[d]`
   * @param b its offset `[1]`
   */
  constructor(
    readonly u: tf.Tensor,
    readonly w: tf.Tensor,
    readonly b: tf.Tensor,
  ) {
    assertTensor(u, 'u', 'PlanarLayer');
    assertTensor(w, 'w', 'PlanarLayer');
    assertTensor(b, 'b', 'PlanarLayer');
    if (u.rank !== 1 || w.rank !== 1 || u.shape[0] !== w.shape[0]) {
      throw new Error(`PlanarLayer: u and w must be vectors of one length, but have shapes [${u.shape.join(', ')}] and [${w.shape.join(', ')}]`);
    }
  }

  /** û, the direction actually used: w·û = −1 + softplus(w·u). */
  constrainedU(): tf.Tensor {
    return tf.tidy(() => {
      const wu = tf.sum(tf.mul(this.w, this.u));
      const m = tf.sub(tf.softplus(wu), 1);
      const norm = tf.add(tf.sum(tf.square(this.w)), NORM_FLOOR);
      return tf.add(this.u, tf.mul(tf.div(tf.sub(m, wu), norm), this.w));
    });
  }

  forward(z: tf.Tensor): FlowStep {
    assertTensor(z, 'z', 'PlanarLayer.forward');
    const d = this.w.shape[0]!;
    return tf.tidy(() => {
      const uHat = this.constrainedU();
      const h = tf.tanh(linearForward(z, tf.reshape(this.w, [d, 1]), this.b)); // [..., 1]
      const value = tf.add(z, tf.mul(h, uHat));
      // 1 + tanh'(a)·w·û with w·û = softplus(w·u) − 1 and tanh' = 1 − tanh², written as a sum of
      // nonnegative terms, tanh² + tanh'·softplus(w·u), so rounding cannot make it 0 or negative.
      const squared = tf.square(h);
      const softplusWu = tf.softplus(tf.sum(tf.mul(this.w, this.u)));
      const logDet = tf.squeeze(tf.log(tf.add(squared, tf.mul(tf.sub(1, squared), softplusWu))), [-1]);
      return { value, logDet };
    });
  }
}

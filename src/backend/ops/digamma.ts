/**
 * The digamma function ψ(x) = d/dx log Γ(x) as a tensor op (tfjs has none),
 * with its gradient ψ₁ = trigamma.
 */
import * as tf from '@tensorflow/tfjs';
import { assertTensor } from '../check.js';
import { trigamma } from './trigamma.js';

/** Below this the recurrence shifts x by SHIFT before the asymptotic series. */
const SHIFT = 6;

/**
 * ψ(y) ~ log y - 1/(2y) - Σ_k B_2k / (2k y^(2k)) for y >= 6:
 * -1/(12y²) + 1/(120y⁴) - 1/(252y⁶) + 1/(240y⁸); the next term, 1/(132 y¹⁰),
 * is below 2e-10.
 */
function asymptotic(y: tf.Tensor): tf.Tensor {
  const r = tf.reciprocal(y);
  const r2 = tf.square(r);
  // Horner in r²: r² (-1/12 + r² (1/120 + r² (-1/252 + r²/240))).
  const tail = tf.mul(r2, tf.add(-1 / 12, tf.mul(r2, tf.add(1 / 120, tf.mul(r2, tf.add(-1 / 252, tf.div(r2, 240)))))));
  return tf.add(tf.sub(tf.log(y), tf.mul(0.5, r)), tail);
}

function compute(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const small = tf.less(x, SHIFT);
    // ψ(x) = ψ(x + 6) - Σ_{i<6} 1/(x + i), used only where x < 6.
    let shifted: tf.Tensor = tf.zerosLike(x);
    for (let i = 0; i < SHIFT; i++) shifted = tf.add(shifted, tf.reciprocal(tf.add(x, i)));
    const y = tf.where(small, tf.add(x, SHIFT), x);
    return tf.sub(asymptotic(y), tf.where(small, shifted, tf.zerosLike(x)));
  });
}

const digammaOp = tf.customGrad((x, save) => {
  const input = x as tf.Tensor;
  (save as tf.GradSaveFunc)([input]);
  return {
    value: compute(input),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => tf.mul(dy as tf.Tensor, trigamma(saved[0]!)),
  };
});

/**
 * digamma(x) = ψ(x) = Γ'(x)/Γ(x), elementwise, for x > 0: the recurrence
 * ψ(x) = ψ(x + 6) - Σ_{i<6} 1/(x + i) moves x below 6 up, then the asymptotic
 * series above. Float32 error about 1e-6 relative (plus ~3e-7 absolute near
 * the root at x ≈ 1.4616) on [1e-3, 1e4]. Gradient: trigamma(x).
 *
 * @param x float32 tensor, any shape, entries > 0
 * @returns ψ(x), same shape
 * @example digamma(tf.tensor1d([1])) // -γ ≈ -0.5772157
 * @see Abramowitz and Stegun (1964), Handbook of Mathematical Functions,
 *   6.3.5 (recurrence) and 6.3.18 (asymptotic series).
 */
export function digamma(x: tf.Tensor): tf.Tensor {
  assertTensor(x, 'x', 'digamma');
  return digammaOp(x);
}

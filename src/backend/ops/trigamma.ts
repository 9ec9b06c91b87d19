/**
 * The trigamma function ψ₁(x) = d²/dx² log Γ(x) as a tensor op (tfjs has
 * none): the derivative of digamma, needed for gradients of the Gamma and
 * Beta KL divergences.
 */
import * as tf from '@tensorflow/tfjs';
import { assertTensor } from '../check.js';

/** Below this the recurrence shifts x by SHIFT before the asymptotic series. */
const SHIFT = 6;

/**
 * ψ₁(y) ~ 1/y + 1/(2y²) + Σ_k B_2k / y^(2k+1) for y >= 6: 1/(6y³) - 1/(30y⁵)
 * + 1/(42y⁷) - 1/(30y⁹); the next term, 5/(66 y¹¹), is below 2e-9 · ψ₁(6).
 */
function asymptotic(y: tf.Tensor): tf.Tensor {
  const r = tf.reciprocal(y);
  const r2 = tf.square(r);
  // Horner in r² for the Bernoulli tail: r³ (1/6 - r² (1/30 - r² (1/42 - r²/30))).
  const tail = tf.mul(tf.mul(r2, r), tf.sub(1 / 6, tf.mul(r2, tf.sub(1 / 30, tf.mul(r2, tf.sub(1 / 42, tf.div(r2, 30)))))));
  return tf.add(tf.add(r, tf.mul(0.5, r2)), tail);
}

function compute(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const small = tf.less(x, SHIFT);
    // ψ₁(x) = ψ₁(x + 6) + Σ_{i<6} 1/(x + i)², used only where x < 6.
    let shifted: tf.Tensor = tf.zerosLike(x);
    for (let i = 0; i < SHIFT; i++) shifted = tf.add(shifted, tf.reciprocal(tf.square(tf.add(x, i))));
    const y = tf.where(small, tf.add(x, SHIFT), x);
    return tf.add(asymptotic(y), tf.where(small, shifted, tf.zerosLike(x)));
  });
}

const trigammaOp = tf.customGrad((x, _save) => {
  const input = x as tf.Tensor;
  return {
    value: compute(input),
    gradFunc: () => {
      throw new Error(
        "trigamma: the derivative of trigamma (tetragamma) is not implemented, so third derivatives of lgamma " +
          '(second derivatives of digamma) are unavailable; differentiate at most twice through lgamma',
      );
    },
  };
});

/**
 * trigamma(x) = ψ₁(x) = Σ_{n>=0} 1/(x + n)², elementwise, for x > 0: the
 * recurrence ψ₁(x) = ψ₁(x + 6) + Σ_{i<6} 1/(x + i)² moves x below 6 up, then
 * the asymptotic series above. Float32 relative error about 1e-6 on
 * [1e-3, 1e4]. Its own gradient is not implemented: differentiating through
 * it throws a clear error.
 *
 * @param x float32 tensor, any shape, entries > 0
 * @returns ψ₁(x), same shape
 * @example trigamma(tf.tensor1d([1])) // π²/6 ≈ 1.644934
 * @see Abramowitz and Stegun (1964), Handbook of Mathematical Functions,
 *   6.4.6 (recurrence) and 6.4.12 (asymptotic series).
 */
export function trigamma(x: tf.Tensor): tf.Tensor {
  assertTensor(x, 'x', 'trigamma');
  return trigammaOp(x);
}

/**
 * The doubly reparameterized gradient estimator (DReG; Tucker, Lawson, Gu,
 * Maddison 2019, "Doubly reparameterized gradient estimators for Monte Carlo
 * objectives", eq. 5) as a surrogate for the guide's parameters φ.
 *
 * For IWAE-K with w_k = p(x, z_k) / q(z_k | x), z_k = z(ε_k; φ), and
 * normalized weights w̃_k = w_k / Σ_j w_j, the IWAE gradient's score-function
 * part is rewritten by the reparameterization identity, leaving
 *
 *   ∇_φ IWAE_K = E[ Σ_k w̃_k² · ∂ log w_k/∂z_k · ∂z_k/∂φ ],
 *
 * where ∂ log w/∂z differentiates log q(z; φ) in z with φ held fixed. So the
 * surrogate is Σ_k sg(w̃_k²) · log w_k on a trace that scores log q with φ
 * detached (the trace's `stickingTheLanding`, which keeps earlier samples of
 * a hierarchical guide live: see detached-guide-scope.ts). Its φ-gradient is
 * the line above; its value is not a bound (the bound is reported apart),
 * and the model's parameters θ get the ordinary IWAE gradient from their own
 * loss, because θ's gradient of this surrogate would weight by w̃² instead
 * of w̃. With a guide equal to the posterior every log w_k is log p(x), so
 * ∂ log w/∂z = 0 and the estimate is exactly zero, as with STL.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs-core';
import { stopGradient } from '../../backend/ops/stop-gradient.js';

/**
 * Σ_k sg(w̃_k²) · log w_k along `axis`, w̃ normalized along it.
 * @param logW log-weights, the K samples of one bound along `axis`
 * @returns the surrogate, `logW`'s shape without `axis`
 */
export function dregSurrogate(logW: Tensor, axis: number): Tensor {
  return tf.tidy(() => {
    const normalized = tf.exp(tf.sub(logW, tf.logSumExp(logW, axis, true)));
    return tf.sum(tf.mul(stopGradient(tf.square(normalized)), logW), axis);
  });
}

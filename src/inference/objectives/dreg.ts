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
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { SampleGradientScale } from '../../backend/ops/sample-gradient-scale.js';
import { stopGradient } from '../../backend/ops/stop-gradient.js';
import { isDiscreteFamily, type IrModel } from '../../ir/ir.js';
import { UserError } from '../../util/user-error.js';

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

/**
 * Refuses DReG where log w depends on guide parameters other than through the
 * samples and log q: a normalizing flow's parameters enter log w through its
 * log-determinant, and a VampPrior's prior reads the guide's networks. The
 * identity behind DReG covers neither, and its surrogate would weight their
 * gradient by w̃² where IWAE's weights it by w̃: a biased estimate.
 */
export function refuseDregOnDirectGuideParameters(objective: string, model: IrModel, guide: string): void {
  const flowed = model.guides.find((g) => g.name === guide)?.statements.find((s) => s.kind === 'sample' && s.flow !== undefined);
  if (flowed) {
    throw new UserError(`${objective}: the dreg estimator does not apply to guide '${guide}', which samples '${flowed.name}' through a normalizing flow: ` +
      "the flow's parameters enter log w through its log-determinant, where DReG's surrogate would weight their gradient by w̃² instead of w̃; use --estimator stl or reparam");
  }
  const prior = model.model.find((s) => s.kind === 'sample' && s.vampPrior !== undefined);
  if (prior?.kind === 'sample') {
    throw new UserError(`${objective}: the dreg estimator does not apply to this model: the VampPrior of '${prior.name}' reads guide '${prior.vampPrior!.guide}''s parameters, ` +
      "whose gradient DReG's surrogate would weight by w̃² instead of w̃; use --estimator stl or reparam");
  }
}

/** Per-sample weights of the two groups' gradients, `[samples, batch]` each (detached values). */
export interface DregWeights {
  /** a_i: the model's gradient is Σ_i a_i ∇_θ log w_i (the bound's derivative in log w_i). */
  readonly model: Tensor;
  /** c_i: the guide's DReG gradient is Σ_i c_i ∂log w_i/∂z_i ∂z_i/∂φ. */
  readonly guide: Tensor;
}

/**
 * DReG's two losses as one: −mean_batch Σ_i sg(a_i) log w_i, on a trace whose samples enter log w through
 * `scale`, whose factor this sets to r_i = c_i / a_i (sample-gradient-scale.ts). Its θ-gradient is the
 * bound's; its φ-gradient, which reaches log w only through the scaled samples (log q is scored with φ
 * detached), is Σ_i a_i r_i ∂log w_i/∂z_i ∂z_i/∂φ = DReG's. Where a_i underflows to 0 its r_i is set to 0;
 * the objectives that use this have c_i ≤ a_i (IWAE w̃² ≤ w̃, MIWAE, CIWAE), so that loses nothing that
 * float32 could hold. PIWAE, whose guide weight can exceed its model weight, keeps two passes.
 * @param logW log-weights `[samples, batch]` (live: the loss differentiates them)
 */
export function dregJointLoss(logW: Tensor, weights: DregWeights, scale: SampleGradientScale): Scalar {
  return tf.tidy(() => {
    const { model: a, guide: c } = weights;
    const positive = tf.greater(a, 0);
    scale.set(tf.where(positive, tf.div(c, tf.where(positive, a, tf.onesLike(a))), tf.zerosLike(a)));
    return tf.neg(tf.mean(tf.sum(tf.mul(a, logW), 0))) as Scalar;
  });
}

/** True when every latent the guide samples is reparameterized and unflowed (no Bernoulli, Categorical, flow). */
export function guideIsReparameterized(model: IrModel, guide: string): boolean {
  const statements = model.guides.find((g) => g.name === guide)?.statements ?? [];
  return statements.every((s) => s.kind !== 'sample' || (!isDiscreteFamily(s.family) && s.flow === undefined));
}

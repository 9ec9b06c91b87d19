/**
 * VIMCO: variational inference for Monte Carlo objectives (Mnih and Rezende
 * 2016, "Variational inference for Monte Carlo objectives", ICML): the IWAE bound, trained for discrete latents with a
 * score-function estimator whose baseline for sample i comes from the other
 * K − 1 samples.
 *
 * With L̂ = log (1/K) Σ_j w_j and, for each i, the bound with w_i replaced by
 * the geometric mean of the others,
 *
 *   L̂_{−i} = log (1/K) (Σ_{j≠i} w_j + exp((1/(K−1)) Σ_{j≠i} log w_j)),
 *
 * the guide's gradient is estimated by
 *
 *   Σ_i (L̂ − L̂_{−i}) ∇_φ log q(z_i | x) + Σ_i w̃_i ∇_φ log w_i,   w̃_i = w_i / Σ_j w_j,
 *
 * the gradient of the surrogate L̂ + Σ_i sg(L̂ − L̂_{−i}) log q(z_i | x), with
 * log q over the score-function latents only (sg: stop-gradient; the added
 * term enters as t − sg(t), so the loss's value is −L̂). The
 * learning signal of sample i is centred on what the bound would be without
 * it, so it is unbiased (L̂_{−i} does not depend on z_i) and has a low variance
 * for large K. Reparameterized latents keep their pathwise gradient through
 * the second sum; without score-function latents VIMCO is IWAE exactly.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Trace } from '../../backend/compile/trace.js';
import { logMeanExp } from '../../backend/ops/log-mean-exp.js';
import { stopGradient } from '../../backend/ops/stop-gradient.js';
import { UserError } from '../../util/user-error.js';
import { IwaeObjective } from './iwae.js';
import { logWeights } from './log-weights.js';
import type { Betas, Estimate, ObjectiveOptions } from './objective.js';
import { gradientOnly, scoreFunctionLogQ } from './score-function.js';

/**
 * The VIMCO learning signals L̂ − L̂_{−i} per sample.
 *
 * @param logW log-weights `[K, batch]`, K >= 2
 * @returns `[K, batch]`, differentiable (detach before use as a signal)
 * @example vimcoSignals(tf.zeros([5, 2])) // all 0: equal weights leave nothing to credit
 */
export function vimcoSignals(logW: Tensor): Tensor {
  const K = logW.shape[0]!;
  if (logW.rank !== 2 || K < 2) throw new Error(`vimcoSignals: log-weights must be [K, batch] with K >= 2, but got [${logW.shape.join(', ')}]`);
  return tf.tidy(() => {
    const others = tf.div(tf.sub(tf.sum(logW, 0, true), logW), K - 1); // mean_{j≠i} log w_j, [K, batch]
    // Row i of [K, K, batch] holds the log-weights with entry i replaced by the geometric mean of the rest.
    const eye = tf.reshape(tf.eye(K), [K, K, 1]);
    const replaced = tf.add(tf.mul(tf.expandDims(logW, 0), tf.sub(1, eye)), tf.mul(tf.expandDims(others, 1), eye));
    const without = logMeanExp(replaced, 1); // L̂_{−i}, [K, batch]
    const shape = [K, logW.shape[1]!];
    if (without.shape.join() !== shape.join()) throw new Error(`internal: VIMCO baselines have shape [${without.shape.join(', ')}], expected [${shape.join(', ')}]`);
    return tf.sub(tf.expandDims(logMeanExp(logW, 0), 0), without);
  });
}

export class VimcoObjective extends IwaeObjective {
  override readonly name: string = 'vimco';
  /** VIMCO trains score-function latents. */
  readonly scoreFunction = true;

  constructor(options: ObjectiveOptions = {}) {
    super(options, { name: 'vimco', label: 'VimcoObjective', owns: [] });
    if (this.k < 2) throw new UserError('vimco: k must be at least 2, since each sample\'s baseline is formed from the other k − 1; for k = 1 use the vae objective (REINFORCE)');
    if (this.estimator !== 'reparam') {
      throw new UserError(`vimco: the estimator ${this.estimator} detaches the guide's parameters in log q, which the score-function term needs; use --estimator reparam (the default)`);
    }
  }

  override estimate(trace: Trace, betas: Betas): Estimate {
    return tf.tidy(() => {
      const logW = logWeights(trace, betas);
      const bound = this.boundOf(logW);
      const scoreLogQ = scoreFunctionLogQ(trace);
      if (!scoreLogQ) return { loss: tf.neg(tf.mean(bound)) as tf.Scalar, bound };
      const score = gradientOnly(tf.sum(tf.mul(stopGradient(vimcoSignals(logW)), scoreLogQ), 0)); // [batch], 0 in value
      return { loss: tf.neg(tf.mean(tf.add(bound, score))) as tf.Scalar, bound };
    });
  }
}

/**
 * The log-density of independent Laplace variables summed over the last
 * axis, fused into one kernel each way on backends that provide one (the
 * native backend).
 */
import * as tf from '@tensorflow/tfjs';
import { logDensity, type LogDensityKernels } from './fused-log-density.js';

/** The fused kernels a backend may register (see fused-log-density.ts for their inputs and outputs). */
export const LAPLACE_LOG_DENSITY_KERNELS: LogDensityKernels = {
  forward: 'StrataNativeLaplaceLogDensity',
  grad: 'StrataNativeLaplaceLogDensityGrad',
};

/** The composite tfjs expression (what Laplace.logProb always computed; other backends still do). */
function composite(x: tf.Tensor, loc: tf.Tensor, scale: tf.Tensor): tf.Tensor {
  const dist = tf.div(tf.abs(tf.sub(x, loc)), scale);
  return tf.sum(tf.neg(tf.add(dist, tf.log(tf.mul(2, scale)))), -1);
}

/**
 * laplaceLogDensity(x, loc, scale) = Σ_last [-|x - loc|/scale - log(2 scale)],
 * the operands broadcasting as in tfjs and the sum over the last axis of their
 * broadcast shape. With r = x - loc, s = sign(r) taken as -1 at r = 0 (as
 * tfjs's Abs gradient, step(r, -1)) and dy the upstream gradient:
 * ∂/∂x = -dy·s/scale, ∂/∂loc = dy·s/scale, ∂/∂scale = dy·(|r|/scale - 1)/scale,
 * each summed back over the axes its operand was broadcast along.
 *
 * @param x values, e.g. `[k, batch, d]` or `[batch, d]`
 * @param loc locations (medians), e.g. `[k, batch, d]`
 * @param scale scales b (> 0, not checked), e.g. a scalar or `[k, batch, d]`
 * @returns the broadcast shape without its last axis, e.g. `[k, batch]`
 * @example laplaceLogDensity(z, mu, b) // z, mu, b [k, batch, d] -> [k, batch]
 * @see Devroye (1986), Non-Uniform Random Variate Generation, §II.2.
 */
export function laplaceLogDensity(x: tf.Tensor, loc: tf.Tensor, scale: tf.Tensor): tf.Tensor {
  return logDensity(LAPLACE_LOG_DENSITY_KERNELS, composite, 'laplaceLogDensity', x, loc, scale);
}

/**
 * The log-density of a diagonal Normal summed over the last axis, fused into
 * one kernel each way on backends that provide one (the native backend).
 */
import * as tf from '@tensorflow/tfjs';
import { logDensity, type LogDensityKernels } from './fused-log-density.js';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** The fused kernels a backend may register (see fused-log-density.ts for their inputs and outputs). */
export const NORMAL_LOG_DENSITY_KERNELS: LogDensityKernels = {
  forward: 'StrataNativeNormalLogDensity',
  grad: 'StrataNativeNormalLogDensityGrad',
};

/** The composite tfjs expression (what Normal.logProb always computed; other backends still do). */
function composite(x: tf.Tensor, loc: tf.Tensor, scale: tf.Tensor): tf.Tensor {
  const z = tf.div(tf.sub(x, loc), scale);
  const elementwise = tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(tf.log(scale), HALF_LOG_TWO_PI));
  return tf.sum(elementwise, -1);
}

/**
 * normalLogDensity(x, loc, scale) = Σ_last [-½((x - loc)/scale)² - log scale - ½ log 2π],
 * the operands broadcasting as in tfjs and the sum over the last axis of their
 * broadcast shape. With z = (x - loc)/scale and dy the upstream gradient:
 * ∂/∂x = -dy·z/scale, ∂/∂loc = dy·z/scale, ∂/∂scale = dy·(z² - 1)/scale, each
 * summed back over the axes its operand was broadcast along.
 *
 * @param x values, e.g. `[k, batch, d]` or `[batch, d]`
 * @param loc means, e.g. `[k, batch, d]`
 * @param scale standard deviations (> 0, not checked), e.g. a scalar or `[k, batch, d]`
 * @returns the broadcast shape without its last axis, e.g. `[k, batch]`
 * @example normalLogDensity(z, mu, sigma) // z, mu, sigma [k, batch, d] -> [k, batch]
 * @see Kingma and Welling (2014), "Auto-Encoding Variational Bayes", ICLR.
 */
export function normalLogDensity(x: tf.Tensor, loc: tf.Tensor, scale: tf.Tensor): tf.Tensor {
  return logDensity(NORMAL_LOG_DENSITY_KERNELS, composite, 'normalLogDensity', x, loc, scale);
}

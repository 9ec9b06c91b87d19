/**
 * The interface of a normalizing-flow layer: an invertible map f of the last
 * axis with a tractable log-determinant, so that for z = f(z0)
 *   log q(z) = log q0(z0) − log |det ∂f/∂z0|
 * (Rezende & Mohamed 2015, eq. 6). Layers are applied forward only: a guide
 * samples z0 from its base distribution and pushes it through.
 */
import type * as tf from '@tensorflow/tfjs';

/** One layer's output: the transformed values and log |det ∂f/∂z| per point. */
export interface FlowStep {
  /** f(z), the same shape as z, `[..., d]`. */
  readonly value: tf.Tensor;
  /** log |det ∂f/∂z| for each point, z's shape without its last axis, `[...]`. */
  readonly logDet: tf.Tensor;
}

export interface FlowLayer {
  /** f(z) and its log-determinant for z `[..., d]` (call inside tf.tidy, or dispose both tensors). */
  forward(z: tf.Tensor): FlowStep;
}

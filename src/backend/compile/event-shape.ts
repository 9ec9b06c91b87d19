/**
 * Event shapes at the edges of a trace. Data arrives as flat rows `[batch,
 * h·w·c]` (what the datasets and the API hand over) and is seen by the model
 * as `[batch, h, w, c]`; distributions score the last axis, so an image's
 * axes are flattened into one before scoring. Vectors pass through unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { shapeSize, type Shape } from '../../ir/ir.js';
import { UserError } from '../../util/user-error.js';

/**
 * Data of a variable with event shape `shape`, as `[batch, ...shape]`.
 * @param t `[batch, size(shape)]` (flat rows) or `[batch, ...shape]`
 * @throws UserError naming the variable when the shape fits neither
 */
export function shapeData(name: string, t: tf.Tensor, shape: Shape): tf.Tensor {
  return isShaped(name, t, shape) ? t : tf.reshape(t, [t.shape[0]!, ...shape]);
}

/**
 * Checks data for a variable of event shape `shape` without touching it.
 * @returns true for `[batch, ...shape]`, false for flat rows `[batch, size(shape)]` (the same for a vector)
 * @throws UserError naming the variable when the shape fits neither
 */
export function isShaped(name: string, t: { readonly rank: number; readonly shape: readonly number[] }, shape: Shape): boolean {
  const shaped = t.rank === shape.length + 1 && shape.every((d, i) => t.shape[i + 1] === d);
  if (!shaped && !(t.rank === 2 && t.shape[1] === shapeSize(shape))) {
    const rows = shape.length > 1 ? ` or [batch, ${shapeSize(shape)}]` : '';
    throw new UserError(`data '${name}' must have shape [batch, ${shape.join(', ')}]${rows} but has [${t.shape.join(', ')}]`);
  }
  return shaped;
}

/**
 * `[...lead, ...event]` as `[...lead, size(event)]`, for a distribution that
 * sums its log density over the last axis.
 * @param eventRank the number of trailing event axes (0 or 1: unchanged)
 */
export function flattenEvent(t: tf.Tensor, eventRank: number): tf.Tensor {
  if (eventRank <= 1) return t;
  const lead = t.shape.slice(0, t.rank - eventRank);
  return tf.reshape(t, [...lead, shapeSize(t.shape.slice(t.rank - eventRank))]);
}

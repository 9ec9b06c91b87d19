/**
 * Log densities on a restricted support: -Infinity outside it, computed so
 * that no NaN reaches a gradient. A density evaluated at an outside value
 * (log of a negative number) would be NaN, and `where` alone does not help:
 * its gradient still multiplies 0 by the NaN derivative of the unused
 * branch. So the density is evaluated at a stand-in inside the support
 * wherever the value is outside, and -Infinity is added there instead.
 */
import * as tf from '@tensorflow/tfjs';

/** Where a family's values lie. */
export type SupportKind = 'positive' | 'nonnegative' | 'unit-interval';

/** True (bool tensor) where `value` lies in the support. */
function inside(value: tf.Tensor, support: SupportKind): tf.Tensor {
  switch (support) {
    case 'positive':
      return tf.greater(value, 0);
    case 'nonnegative':
      return tf.greaterEqual(value, 0);
    case 'unit-interval':
      return tf.logicalAnd(tf.greater(value, 0), tf.less(value, 1));
  }
}

/**
 * The support mask as an op with a zero gradient: comparisons have no
 * registered gradient, so they must not sit on a path tf.grad walks (`where`
 * sends a zero gradient to its condition, which would reach them).
 */
const MASKS: Readonly<Record<SupportKind, (value: tf.Tensor) => tf.Tensor>> = {
  positive: maskOp('positive'),
  nonnegative: maskOp('nonnegative'),
  'unit-interval': maskOp('unit-interval'),
};

function maskOp(support: SupportKind): (value: tf.Tensor) => tf.Tensor {
  const op = tf.customGrad((value, _save) => {
    const v = value as tf.Tensor;
    return { value: inside(v, support), gradFunc: () => tf.zerosLike(v) };
  });
  return (value) => op(value);
}

/** A value with its outside entries replaced by a stand-in, and the -Infinity those entries add. */
export interface RestrictedValue {
  /** The value where it is inside the support, a point inside it (1, or ½ on (0, 1)) elsewhere. */
  readonly safe: tf.Tensor;
  /** Σ_last of 0 inside and -Infinity outside, `[...]`. */
  readonly outside: tf.Tensor;
}

/**
 * Splits `value` for a log density on `support` (call inside `tf.tidy`):
 * evaluate the density at `safe`, sum it over the last axis and add `outside`.
 *
 * @param value values `[..., d]`
 * @param support the family's support
 */
export function restrictToSupport(value: tf.Tensor, support: SupportKind): RestrictedValue {
  const mask = MASKS[support](value);
  const standIn = support === 'unit-interval' ? 0.5 : 1;
  const safe = tf.where(mask, value, tf.fill(value.shape, standIn));
  const outside = tf.sum(tf.where(mask, tf.zerosLike(value), tf.fill(value.shape, -Infinity)), -1);
  return { safe, outside };
}

/**
 * Σ_last log p(x), with log p = `elementwise(x)` inside the support and
 * -Infinity outside (call inside `tf.tidy`).
 *
 * @param value values `[..., d]`
 * @param support the family's support
 * @param elementwise the log density at values inside the support, elementwise (broadcasting with the parameters)
 * @returns the summed log density, `[...]`
 */
export function logDensityOnSupport(value: tf.Tensor, support: SupportKind, elementwise: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  const { safe, outside } = restrictToSupport(value, support);
  return tf.add(tf.sum(elementwise(safe), -1), outside);
}

/** Axis-argument parsing shared by the reduction ops. */
import * as tf from '@tensorflow/tfjs';

/**
 * Normalizes an axis argument like tfjs does: undefined means every axis,
 * negative axes count from the end. Throws on out-of-range or repeated axes.
 *
 * @returns sorted, non-negative, distinct axes
 */
export function normalizeAxes(axis: number | readonly number[] | undefined, x: tf.Tensor, fnName: string): number[] {
  if (axis === undefined) return x.shape.map((_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const out = list.map((a) => {
    if (!Number.isInteger(a) || a < -x.rank || a >= x.rank) {
      throw new RangeError(
        `Argument 'axis' passed to '${fnName}' must be an integer in [${-x.rank}, ${x.rank}) for a tensor of ` +
          `shape [${x.shape.join(', ')}], but got ${String(a)}`,
      );
    }
    return a < 0 ? a + x.rank : a;
  });
  if (new Set(out).size !== out.length) {
    throw new Error(`Argument 'axis' passed to '${fnName}' repeats an axis: [${list.join(', ')}]`);
  }
  return out.sort((a, b) => a - b);
}

/** The shape left after reducing `axes` without keeping them. */
export function reducedShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

/**
 * A Tile gradient as one reshape and one sum.
 *
 * tfjs's stock gradient (tfjs-core `Tile_grad.ts`) adds one slice of dy per
 * copy, r0·r1·…·r_{n-1} slice+add kernels, and supports rank <= 4 only.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * For x of shape [d0, …, d_{n-1}] tiled by reps [r0, …, r_{n-1}], output
 * index j along axis i is (copy c, offset o) with j = c·d_i + o, so
 * dx = Σ over the copy axes of reshape(dy, [r0, d0, r1, d1, …]).
 *
 * @param dy upstream gradient `[r0·d0, …, r_{n-1}·d_{n-1}]`
 * @param saved `[x]`, shape `[d0, …, d_{n-1}]`
 * @returns a thunk for dx, shape `[d0, …, d_{n-1}]`
 */
const tileGrad: tf.GradFunc = (dy, saved, attrs) => {
  const g = dy as tf.Tensor;
  const [x] = saved as [tf.Tensor];
  const reps = attrs['reps'] as number[];
  const derX = (): tf.Tensor => {
    const split: number[] = [];
    const copyAxes: number[] = [];
    x.shape.forEach((d, i) => {
      const r = reps[i] ?? 1;
      if (r !== 1) copyAxes.push(split.length);
      split.push(r, d);
    });
    if (copyAxes.length === 0) return tf.reshape(g, x.shape);
    return tf.reshape(tf.sum(tf.reshape(g, split), copyAxes), x.shape);
  };
  return { x: derX };
};

/** Gradient config for the Tile kernel (what `tf.tile` runs). */
export const fastTileGradConfig: tf.GradConfig = {
  kernelName: tf.Tile,
  inputsToSave: ['x'],
  gradFunc: tileGrad,
};

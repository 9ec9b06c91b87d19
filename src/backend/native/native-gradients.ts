/**
 * Gradients registered when the native backend is selected. tfjs's gradient
 * registry is global, so these replace the stock ones for every backend;
 * each is exact (the same values as the stock gradient), only cheaper:
 *
 * - Tile: the wasm fast gradient (one reshape and one sum instead of a slice
 *   and an add per copy; gradients/tile-grad.ts).
 * - Sum: dx = broadcastTo(reshape(dy)) instead of the stock
 *   mul(reshape(dy), ones(x.shape)), which builds a ones array of x's size in
 *   JavaScript on every backward pass.
 *
 * BatchMatMul keeps the stock gradient: its transposed matmuls go to BLAS as
 * flags, with no copies.
 */
import * as tf from '@tensorflow/tfjs';
import { fastTileGradConfig } from '../gradients/tile-grad.js';

/** dx for y = sum(x, axes): dy broadcast back over the reduced axes, as float32 (like the stock one). */
const sumGrad: tf.GradFunc = (dy, saved, attrs) => {
  const [x] = saved as [tf.Tensor];
  const axes = tf.util.parseAxisParam(attrs['axis'] as number | number[], x.shape);
  const derX = (): tf.Tensor => {
    const expanded = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    return tf.cast(tf.broadcastTo(tf.reshape(dy as tf.Tensor, expanded), x.shape), 'float32');
  };
  return { x: derX };
};

export const broadcastSumGradConfig: tf.GradConfig = {
  kernelName: tf.Sum,
  inputsToSave: ['x'],
  gradFunc: sumGrad,
};

const CONFIGS: readonly tf.GradConfig[] = [fastTileGradConfig, broadcastSumGradConfig];

/**
 * Registers the gradients above. Idempotent.
 * @returns true when this call changed the registry
 */
export function registerNativeGradients(): boolean {
  let changed = false;
  for (const config of CONFIGS) {
    if (tf.getGradient(config.kernelName) !== config) {
      tf.registerGradient(config);
      changed = true;
    }
  }
  return changed;
}

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
 * - Softplus: dx = dy · sigmoid(x) as one `StrataNativeSoftplusGrad` kernel
 *   where the active backend has it (one pass and one array instead of a
 *   Sigmoid and a Multiply; the same roundings, so the same bits), else the
 *   stock mul(dy, sigmoid(x)).
 *
 * BatchMatMul keeps the stock gradient: its transposed matmuls go to BLAS as
 * flags, with no copies.
 */
import * as tf from '@tensorflow/tfjs';
import { fastTileGradConfig } from '../gradients/tile-grad.js';
import { SOFTPLUS_GRAD_KERNEL } from './kernels/binary.js';

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

/** dx for y = softplus(x). */
const softplusGrad: tf.GradFunc = (dy, saved) => {
  const [x] = saved as [tf.Tensor];
  const derX = (): tf.Tensor => {
    const fused = tf.getKernel(SOFTPLUS_GRAD_KERNEL, tf.getBackend()) !== undefined && x.dtype === 'float32' && (dy as tf.Tensor).dtype === 'float32';
    return fused ? (tf.engine().runKernel(SOFTPLUS_GRAD_KERNEL, { a: dy as tf.Tensor, b: x }) as tf.Tensor) : tf.mul(dy as tf.Tensor, tf.sigmoid(x));
  };
  return { x: derX };
};

export const fusedSoftplusGradConfig: tf.GradConfig = {
  kernelName: tf.Softplus,
  inputsToSave: ['x'],
  gradFunc: softplusGrad,
};

const CONFIGS: readonly tf.GradConfig[] = [fastTileGradConfig, broadcastSumGradConfig, fusedSoftplusGradConfig];

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

/**
 * Replacement gradients that keep the wasm backend's backward pass on its fast
 * kernels: BatchMatMul (explicit transposes + untransposed matmuls, and
 * broadcast batch axes summed away) and Tile (one reshape + sum instead of a
 * slice per copy). See `gradients/batch-mat-mul-grad.ts` and
 * `gradients/tile-grad.ts` for the maths.
 *
 * The gradient registry is global in tfjs (not per backend), so after this
 * runs every backend uses these gradients; they are exact on all of them.
 *
 * Callers should avoid `tf.fused.matMul` in training code: the `_FusedMatMul`
 * gradient also uses transposed matmuls and is not replaced here. Use
 * `linearForward` (ops/linear.ts), a plain matMul + add.
 */
import * as tf from '@tensorflow/tfjs';
import { fastBatchMatMulGradConfig } from './gradients/batch-mat-mul-grad.js';
import { fastTileGradConfig } from './gradients/tile-grad.js';

export { fastBatchMatMulGradConfig } from './gradients/batch-mat-mul-grad.js';
export { fastTileGradConfig } from './gradients/tile-grad.js';

const FAST_CONFIGS: readonly tf.GradConfig[] = [fastBatchMatMulGradConfig, fastTileGradConfig];

/**
 * Registers the fast BatchMatMul and Tile gradients with tfjs. Idempotent:
 * a second call finds them in place and does nothing.
 *
 * @returns true when this call changed the registry, false when already done
 * @example await selectBackend('wasm'); // calls registerFastGradients()
 */
export function registerFastGradients(): boolean {
  let changed = false;
  for (const config of FAST_CONFIGS) {
    if (tf.getGradient(config.kernelName) !== config) {
      tf.registerGradient(config);
      changed = true;
    }
  }
  return changed;
}

/** True when both fast gradients are the ones tfjs will use. */
export function fastGradientsRegistered(): boolean {
  return FAST_CONFIGS.every((config) => tf.getGradient(config.kernelName) === config);
}

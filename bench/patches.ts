/**
 * Benchmark data: seeded synthetic "patches" with the scale of whitened
 * natural-image patches (std ≈ 0.3), so the benchmark needs no data files.
 * Timings of dense float32 kernels do not depend on the values, except for
 * denormals, which Gaussian data of this scale does not produce.
 */
import * as tf from '@tensorflow/tfjs';
import { seededNormal } from '../src/backend/random.js';

/** Standard deviation of the synthetic patches (whitened patches in shared/data have 0.28). */
export const PATCH_STD = 0.3;

/**
 * `[rows, width]` float32 values ~ N(0, PATCH_STD²), the same for the same seed.
 * @example const x = syntheticPatches(100, 400, 1); // one batch of 20x20 patches
 */
export function syntheticPatches(rows: number, width: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => tf.mul(seededNormal([rows, width], seed), PATCH_STD) as tf.Tensor2D);
}

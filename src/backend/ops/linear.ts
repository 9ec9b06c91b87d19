/**
 * The affine layer used by compiled networks, written so its gradient is
 * fast on the wasm backend.
 *
 * Prefer this to `tf.fused.matMul` in training: the fused op's gradient uses
 * transposed matmuls (transposeA/transposeB), which run at 1-3 GFLOP/s on
 * wasm versus ~27-43 for untransposed ones; this plain matMul + add goes
 * through the BatchMatMul gradient that `registerFastGradients` replaces.
 */
import * as tf from '@tensorflow/tfjs';
import { assertRank, assertRankAtLeast, assertTensor } from '../check.js';

/**
 * y = x · W + b over the last axis of x; leading axes (batch, particles) are
 * flattened into rows, multiplied as one 2-D matmul and restored, so no
 * batched-matmul broadcasting is needed.
 *
 * @param x input `[batch, in]` or `[k, batch, in]` (any rank >= 1: `[..., in]`)
 * @param w weights `[in, out]`
 * @param b bias `[out]` (anything that broadcasts against `[..., out]`)
 * @returns `[..., out]`, e.g. `[k, batch, out]`
 * @example linearForward(z, w1, b1).relu() // a hidden layer on [k, batch, dz]
 */
export function linearForward(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  assertTensor(x, 'x', 'linearForward');
  assertTensor(w, 'w', 'linearForward');
  assertTensor(b, 'b', 'linearForward');
  assertRankAtLeast(x, 1, 'x', 'linearForward');
  assertRank(w, 2, 'w', 'linearForward');
  const [inDim, outDim] = w.shape as [number, number];
  if (x.shape[x.rank - 1] !== inDim) {
    throw new Error(
      `linearForward: the last axis of x [${x.shape.join(', ')}] must equal the first axis of w ` +
        `[${w.shape.join(', ')}]`,
    );
  }
  return tf.tidy(() => {
    if (x.rank === 2) return tf.add(tf.matMul(x, w), b);
    const lead = x.shape.slice(0, -1);
    const rows = lead.reduce((p, d) => p * d, 1);
    const y = tf.matMul(tf.reshape(x, [rows, inDim]), w);
    return tf.add(tf.reshape(y, [...lead, outDim]), b);
  });
}

/**
 * A BatchMatMul gradient built from explicit transposes and untransposed
 * matmuls only.
 *
 * Why: tfjs's stock gradient (tfjs-core `BatchMatMul_grad.ts`) computes
 * dA = matMul(dy, b, false, true) and dB = matMul(a, dy, true, false). On the
 * wasm backend a matmul with transposeA/transposeB set runs at 1-3 GFLOP/s
 * against ~27-43 GFLOP/s untransposed (measured with 512x512 on Node 20,
 * simd binary), so a training step spends most of its time in the backward
 * pass. A `tf.transpose` copy is O(mn) and cheap next to the O(mnp) product.
 * The stock gradient also fails when batch dimensions broadcast ("The
 * gradient of input 'b' has shape '2,4,5', which does not match ... '4,5'");
 * this one sums the broadcast batch axes away, as TensorFlow's Python
 * gradient does.
 */
import * as tf from '@tensorflow/tfjs';
import { reduceToShape } from './reduce-to-shape.js';

/** Swaps the last two axes (matrix transpose of every batch entry). */
export function transposeLastTwo(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 2] = x.rank - 1;
  perm[x.rank - 1] = x.rank - 2;
  return tf.transpose(x, perm);
}

const mm = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => tf.matMul(a, b, false, false);
const t = transposeLastTwo;

/**
 * Gradients of y = op(A) · op(B), op = transpose when the flag is set:
 * dA = dy · op(B)ᵀ and dB = op(A)ᵀ · dy, rearranged per flag pair so each
 * needs one untransposed matmul and at most two explicit transposes:
 *
 * | tA, tB | da            | db            |
 * |--------|---------------|---------------|
 * | F, F   | dy · bᵀ       | aᵀ · dy       |
 * | F, T   | dy · b        | dyᵀ · a       |
 * | T, F   | b · dyᵀ       | a · dy        |
 * | T, T   | (dy · b)ᵀ     | (a · dy)ᵀ     |
 *
 * then each is summed over batch axes its input broadcast along.
 *
 * @param dy upstream gradient `[...batchOut, m, p]`
 * @param saved `[a, b]`: a `[...batchA, m, n]` (`[..., n, m]` if transposeA),
 *   b `[...batchB, n, p]` (`[..., p, n]` if transposeB)
 * @returns thunks for da (a's shape) and db (b's shape)
 */
const batchMatMulGrad: tf.GradFunc = (dy, saved, attrs) => {
  const g = dy as tf.Tensor;
  const [a, b] = saved as [tf.Tensor, tf.Tensor];
  const transposeA = attrs['transposeA'] === true;
  const transposeB = attrs['transposeB'] === true;
  let da: () => tf.Tensor;
  let db: () => tf.Tensor;
  if (!transposeA && !transposeB) {
    da = () => mm(g, t(b));
    db = () => mm(t(a), g);
  } else if (!transposeA && transposeB) {
    da = () => mm(g, b);
    db = () => mm(t(g), a);
  } else if (transposeA && !transposeB) {
    da = () => mm(b, t(g));
    db = () => mm(a, g);
  } else {
    da = () => t(mm(g, b));
    db = () => t(mm(a, g));
  }
  return { a: () => reduceToShape(da(), a.shape), b: () => reduceToShape(db(), b.shape) };
};

/** Gradient config for the BatchMatMul kernel (what `tf.matMul` runs). */
export const fastBatchMatMulGradConfig: tf.GradConfig = {
  kernelName: tf.BatchMatMul,
  inputsToSave: ['a', 'b'],
  gradFunc: batchMatMulGrad,
};

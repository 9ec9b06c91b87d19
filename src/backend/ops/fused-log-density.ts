/**
 * The machinery shared by `normalLogDensity` and `laplaceLogDensity`: when
 * the active backend registers a fused kernel pair for the density (the
 * native backend does), the log-density and its gradient each run as one
 * kernel; otherwise the density's composite tfjs expression runs, with
 * tfjs's own gradients, so other backends compute exactly what they did
 * before the fused kernels existed.
 */
import * as tf from '@tensorflow/tfjs';
import { assertTensor } from '../check.js';
import { reduceToShape } from '../gradients/reduce-to-shape.js';

/**
 * The kernel names of one fused log-density.
 * - forward: inputs `{x, loc, scale}` (float32, broadcasting), output the sum
 *   over the last axis of the broadcast shape: the broadcast shape without it.
 * - grad: inputs `{dy, x, loc, scale}`, dy shaped like the forward's output;
 *   outputs `[gx, gloc, gscale]`, each at the full broadcast shape.
 */
export interface LogDensityKernels {
  readonly forward: string;
  readonly grad: string;
}

type Composite = (x: tf.Tensor, loc: tf.Tensor, scale: tf.Tensor) => tf.Tensor;

/** Most axes the native kernels take (kMaxRank in native/src/kernels.h); tfjs tensors rarely exceed 6. */
const MAX_FUSED_RANK = 12;

/** True when the active backend has both kernels and the operands are what they compute. */
function fusable(kernels: LogDensityKernels, operands: readonly tf.Tensor[]): boolean {
  const backend = tf.getBackend();
  if (tf.getKernel(kernels.forward, backend) === undefined || tf.getKernel(kernels.grad, backend) === undefined) return false;
  if (!operands.every((t) => t.dtype === 'float32' && t.size > 0)) return false;
  const [x, loc, scale] = operands as [tf.Tensor, tf.Tensor, tf.Tensor];
  const shape = tf.backend_util.assertAndGetBroadcastShape(tf.backend_util.assertAndGetBroadcastShape(x.shape, loc.shape), scale.shape);
  return shape.length > 0 && shape.length <= MAX_FUSED_RANK;
}

const fusedOps = new Map<string, (x: tf.Tensor, loc: tf.Tensor, scale: tf.Tensor) => tf.Tensor>();

/** The custom-gradient op over one kernel pair (made once per pair). */
function fusedOp(kernels: LogDensityKernels): (x: tf.Tensor, loc: tf.Tensor, scale: tf.Tensor) => tf.Tensor {
  let op = fusedOps.get(kernels.forward);
  if (op !== undefined) return op;
  const custom = tf.customGrad((x, loc, scale, save) => {
    const inputs = { x: x as tf.Tensor, loc: loc as tf.Tensor, scale: scale as tf.Tensor };
    (save as tf.GradSaveFunc)([inputs.x, inputs.loc, inputs.scale]);
    return {
      value: tf.engine().runKernel(kernels.forward, inputs) as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [sx, sloc, sscale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
          const full = tf.engine().runKernel(kernels.grad, { dy, x: sx, loc: sloc, scale: sscale }) as tf.Tensor[];
          return full.map((g, i) => reduceToShape(g, saved[i]!.shape));
        }),
    };
  });
  op = (x, loc, scale) => custom(x, loc, scale);
  fusedOps.set(kernels.forward, op);
  return op;
}

/**
 * Σ over the last axis of an elementwise log-density of (x, loc, scale), fused
 * where the active backend has `kernels`, else `composite(x, loc, scale)`.
 * First derivatives only on the fused path (its gradient is not differentiable).
 *
 * @param fnName the public op's name, for argument errors
 */
export function logDensity(
  kernels: LogDensityKernels,
  composite: Composite,
  fnName: string,
  x: tf.Tensor,
  loc: tf.Tensor,
  scale: tf.Tensor,
): tf.Tensor {
  assertTensor(x, 'x', fnName);
  assertTensor(loc, 'loc', fnName);
  assertTensor(scale, 'scale', fnName);
  if (!fusable(kernels, [x, loc, scale])) return tf.tidy(() => composite(x, loc, scale));
  return fusedOp(kernels)(x, loc, scale);
}

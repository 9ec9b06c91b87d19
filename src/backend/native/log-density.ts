/**
 * The fused Normal and Laplace log-densities on the native backend
 * (native/src/log-density.cc): the forward reads x, loc and scale once, with
 * broadcast strides, and writes the sum over the last axis (in double); the
 * backward writes the three gradients at the full broadcast shape in one
 * pass, and `normalLogDensity` / `laplaceLogDensity` (ops/) sum them back to
 * the operands' shapes. Those ops run these kernels when the native backend
 * is active and the operands are non-empty float32; the kernels return
 * undefined for anything else.
 */
import * as tf from '@tensorflow/tfjs';
import { LAPLACE_LOG_DENSITY_KERNELS } from '../ops/laplace-log-density.js';
import { NORMAL_LOG_DENSITY_KERNELS } from '../ops/normal-log-density.js';
import type { LogDensityKernels } from '../ops/fused-log-density.js';
import { DensityOp } from './addon.js';
import { broadcastStrides, encodeDims, simplify, sizeOf } from './layout.js';
import { nativeFloat32, type NativeKernel } from './kernels/kernel.js';

interface DensityLayout {
  /** The broadcast shape of x, loc and scale. */
  readonly shape: number[];
  /** `[rank, shape, xStrides, locStrides, scaleStrides]`: merged row axes, then the summed last axis. */
  readonly dims: Int32Array;
}

/** The layout of x, loc, scale, or undefined when there is no last axis to sum over. */
function densityLayout(x: tf.TensorInfo, loc: tf.TensorInfo, scale: tf.TensorInfo): DensityLayout | undefined {
  const broadcast = tf.backend_util.assertAndGetBroadcastShape;
  const shape = broadcast(broadcast(x.shape, loc.shape), scale.shape);
  if (shape.length === 0) return undefined;
  const last = shape.length - 1;
  const strides = [x, loc, scale].map((t) => broadcastStrides(t.shape, shape));
  const rows = simplify(shape.slice(0, last), strides.map((s) => s.slice(0, last)));
  const dims = encodeDims({ shape: [...rows.shape, shape[last]!], strides: rows.strides.map((s, i) => [...s, strides[i]![last]!]) });
  return { shape, dims };
}

function densityKernels(names: LogDensityKernels, op: number): NativeKernel[] {
  const forward: NativeKernel = {
    kernelName: names.forward,
    run: ({ inputs, backend }) => {
      const { x, loc, scale } = inputs;
      if (!nativeFloat32(x, loc, scale)) return undefined;
      const layout = densityLayout(x!, loc!, scale!);
      if (layout === undefined) return undefined;
      const read = (t: tf.TensorInfo) => backend.float32Values(t, names.forward);
      const outShape = layout.shape.slice(0, -1);
      const out = backend.pool.alloc(sizeOf(outShape));
      backend.addon.logDensity(op, read(x!), read(loc!), read(scale!), out, layout.dims);
      return backend.output(outShape, out);
    },
  };
  const grad: NativeKernel = {
    kernelName: names.grad,
    run: ({ inputs, backend }) => {
      const { dy, x, loc, scale } = inputs;
      if (!nativeFloat32(dy, x, loc, scale)) return undefined;
      const layout = densityLayout(x!, loc!, scale!);
      if (layout === undefined || sizeOf(dy!.shape) !== sizeOf(layout.shape.slice(0, -1))) return undefined;
      const read = (t: tf.TensorInfo) => backend.float32Values(t, names.grad);
      const n = sizeOf(layout.shape);
      const grads = [backend.pool.alloc(n), backend.pool.alloc(n), backend.pool.alloc(n)] as const;
      backend.addon.logDensityGrad(op, read(dy!), read(x!), read(loc!), read(scale!), grads[0], grads[1], grads[2], layout.dims);
      return grads.map((g) => backend.output(layout.shape, g));
    },
  };
  return [forward, grad];
}

/** The four kernels (forward and gradient of each density); none has a cpu counterpart. */
export const logDensityKernels: readonly NativeKernel[] = [
  ...densityKernels(NORMAL_LOG_DENSITY_KERNELS, DensityOp.Normal),
  ...densityKernels(LAPLACE_LOG_DENSITY_KERNELS, DensityOp.Laplace),
];

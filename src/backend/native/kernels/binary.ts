/**
 * Elementwise binary kernels with tfjs broadcasting: Add, Sub, Multiply,
 * RealDiv, SquaredDifference, Maximum, Minimum on float32; and Strata's own
 * `StrataNativeSoftplusGrad` (dy · sigmoid(x), the gradient of softplus, in
 * one pass: see native-gradients.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { BinaryOp } from '../addon.js';
import { broadcastStrides, encodeDims, simplify, sizeOf } from '../layout.js';
import { nativeFloat32, type NativeKernel } from './kernel.js';

function binaryKernel(kernelName: string, op: number): NativeKernel {
  return {
    kernelName,
    run: ({ inputs, backend }) => {
      const { a, b } = inputs;
      if (!nativeFloat32(a, b)) return undefined;
      const outShape = tf.backend_util.assertAndGetBroadcastShape(a!.shape, b!.shape);
      const layout = simplify(outShape, [broadcastStrides(a!.shape, outShape), broadcastStrides(b!.shape, outShape)]);
      const out = backend.pool.alloc(sizeOf(outShape));
      backend.addon.binary(op, backend.float32Values(a!, kernelName), backend.float32Values(b!, kernelName), out, encodeDims(layout));
      return backend.output(outShape, out);
    },
  };
}

/** Inputs `{a: dy, b: x}`: dy · sigmoid(x), bit for bit the stock gradient's mul(dy, sigmoid(x)) on this backend. */
export const SOFTPLUS_GRAD_KERNEL = 'StrataNativeSoftplusGrad';
export const softplusGradKernel: NativeKernel = binaryKernel(SOFTPLUS_GRAD_KERNEL, BinaryOp.SoftplusGrad);

export const binaryKernels: readonly NativeKernel[] = [
  binaryKernel(tf.Add, BinaryOp.Add),
  binaryKernel(tf.Sub, BinaryOp.Sub),
  binaryKernel(tf.Multiply, BinaryOp.Mul),
  binaryKernel(tf.RealDiv, BinaryOp.Div),
  binaryKernel(tf.SquaredDifference, BinaryOp.SquaredDifference),
  binaryKernel(tf.Maximum, BinaryOp.Maximum),
  binaryKernel(tf.Minimum, BinaryOp.Minimum),
];

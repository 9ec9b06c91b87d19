/**
 * Constant outputs from the pool: ZerosLike, OnesLike and Fill for float32
 * (TypedArray.fill, no fresh zeroed array for the GC), and AddN as a chain of
 * native adds (the gradient sum of a tensor used several times).
 */
import * as tf from '@tensorflow/tfjs';
import { BinaryOp } from '../addon.js';
import { encodeDims, sizeOf } from '../layout.js';
import { attrsOf, nativeFloat32, type NativeKernel } from './kernel.js';

function constantLike(kernelName: string, value: number): NativeKernel {
  return {
    kernelName,
    run: ({ inputs, backend }) => {
      const { x } = inputs;
      if (!nativeFloat32(x)) return undefined;
      const out = backend.pool.alloc(sizeOf(x!.shape));
      out.fill(value);
      return backend.output(x!.shape, out);
    },
  };
}

export const fillKernels: readonly NativeKernel[] = [
  constantLike(tf.ZerosLike, 0),
  constantLike(tf.OnesLike, 1),
  {
    kernelName: tf.Fill,
    run: (args) => {
      const { shape, value, dtype } = attrsOf<tf.FillAttrs>(args);
      if (dtype !== 'float32' || typeof value !== 'number' || shape.some((d) => d <= 0)) return undefined;
      const out = args.backend.pool.alloc(sizeOf(shape));
      out.fill(value);
      return args.backend.output(shape, out);
    },
  },
];

export const addNKernel: NativeKernel = {
  kernelName: tf.AddN,
  run: ({ inputs, backend }) => {
    const tensors = Object.values(inputs) as tf.TensorInfo[];
    if (tensors.length < 2 || !nativeFloat32(...tensors)) return undefined;
    const shape = tensors[0]!.shape;
    if (tensors.some((t) => t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))) return undefined;
    const n = sizeOf(shape);
    const dims = encodeDims({ shape: [n], strides: [[1], [1]] });
    // Ping-pong between two buffers: the addon's loops assume out does not alias an input.
    let sum = backend.pool.alloc(n);
    backend.addon.binary(BinaryOp.Add, backend.float32Values(tensors[0]!, tf.AddN), backend.float32Values(tensors[1]!, tf.AddN), sum, dims);
    if (tensors.length > 2) {
      let spare = backend.pool.alloc(n);
      for (const t of tensors.slice(2)) {
        backend.addon.binary(BinaryOp.Add, sum, backend.float32Values(t, tf.AddN), spare, dims);
        [sum, spare] = [spare, sum];
      }
      backend.pool.discard(spare);
    }
    return backend.output(shape, sum);
  },
};

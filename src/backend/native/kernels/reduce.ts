/**
 * Reductions Sum, Mean, Max and Min over any axes of a float32 tensor. Size-1
 * axes are dropped and neighbouring axes with the same role merged, so the
 * addon sees `[kept, reduced]` (rows), `[reduced, kept]` (columns) or
 * `[kept, reduced, kept]` in the common cases. Sums accumulate in double, as
 * the cpu kernel's JavaScript numbers do.
 */
import * as tf from '@tensorflow/tfjs';
import { ReduceOp } from '../addon.js';
import { sizeOf } from '../layout.js';
import { attrsOf, nativeFloat32, type NativeKernel } from './kernel.js';

/** `[rank, shape, flags]` after dropping size-1 axes and merging runs of equal flags. */
export function reduceDims(shape: readonly number[], axes: readonly number[]): Int32Array {
  const dims: number[] = [];
  const flags: number[] = [];
  shape.forEach((n, d) => {
    if (n === 1) return;
    const flag = axes.includes(d) ? 1 : 0;
    if (flags.length > 0 && flags[flags.length - 1] === flag) dims[dims.length - 1]! *= n;
    else {
      dims.push(n);
      flags.push(flag);
    }
  });
  if (dims.length === 0) {
    dims.push(1);
    flags.push(1);
  }
  return Int32Array.from([dims.length, ...dims, ...flags]);
}

function reduceKernel(kernelName: string, op: number, axisAttr: 'axis' | 'reductionIndices'): NativeKernel {
  return {
    kernelName,
    run: (args) => {
      const { x } = args.inputs;
      if (!nativeFloat32(x)) return undefined;
      const attrs = attrsOf<Record<string, unknown>>(args);
      const axes = tf.util.parseAxisParam(attrs[axisAttr] as number | number[], x!.shape);
      const [kept] = tf.backend_util.computeOutAndReduceShapes(x!.shape, axes);
      const outShape = attrs['keepDims'] === true ? tf.backend_util.expandShapeToKeepDim(kept, axes) : kept;
      const backend = args.backend;
      const out = backend.pool.alloc(sizeOf(outShape));
      backend.addon.reduce(op, backend.float32Values(x!, kernelName), out, reduceDims(x!.shape, axes));
      return backend.output(outShape, out);
    },
  };
}

export const reduceKernels: readonly NativeKernel[] = [
  reduceKernel(tf.Sum, ReduceOp.Sum, 'axis'),
  reduceKernel(tf.Mean, ReduceOp.Mean, 'axis'),
  reduceKernel(tf.Max, ReduceOp.Max, 'reductionIndices'),
  reduceKernel(tf.Min, ReduceOp.Min, 'axis'),
];

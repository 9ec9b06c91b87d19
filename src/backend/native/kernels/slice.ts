/**
 * Slice and SplitV. A slice that is contiguous in memory is returned as a
 * view of the input's array, as the cpu kernel does (the buffer pool counts
 * views per ArrayBuffer); any other slice is one strided copy in the addon
 * (a column SplitV cost ~590 ns/element in the JavaScript kernel).
 */
import * as tf from '@tensorflow/tfjs';
import { contiguousStrides, encodeDims, simplify, sizeOf } from '../layout.js';
import type { NativeBackend } from '../native-backend.js';
import { attrsOf, nativeFloat32, type NativeKernel } from './kernel.js';

/** x[begin : begin + size] as a view or a copy. */
export function sliceNative(backend: NativeBackend, x: tf.TensorInfo, begin: readonly number[], size: readonly number[], kernelName: string): tf.TensorInfo {
  const values = backend.float32Values(x, kernelName);
  const strides = contiguousStrides(x.shape);
  const offset = begin.reduce((o, b, d) => o + b * strides[d]!, 0);
  const length = sizeOf(size);
  if (tf.slice_util.isSliceContinous(x.shape, [...begin], [...size])) {
    return backend.output(size, values.subarray(offset, offset + length));
  }
  const out = backend.pool.alloc(length);
  backend.addon.copy(values, offset, out, 0, encodeDims(simplify(size, [strides, contiguousStrides(size)])));
  return backend.output(size, out);
}

export const sliceKernel: NativeKernel = {
  kernelName: tf.Slice,
  run: (args) => {
    const { x } = args.inputs;
    if (!nativeFloat32(x)) return undefined;
    const { begin, size } = attrsOf<tf.SliceAttrs>(args);
    const [$begin, $size] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    tf.slice_util.assertParamsValid(x as tf.Tensor, $begin, $size);
    if (sizeOf($size) === 0) return undefined;
    return sliceNative(args.backend, x!, $begin, $size, tf.Slice);
  },
};

export const splitVKernel: NativeKernel = {
  kernelName: tf.SplitV,
  run: (args) => {
    const { x } = args.inputs;
    if (!nativeFloat32(x)) return undefined;
    const { numOrSizeSplits, axis } = attrsOf<tf.SplitVAttrs>(args);
    const $axis = tf.util.parseAxisParam(axis, x!.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, $axis);
    if (sizes.some((s) => s <= 0)) return undefined;
    const begin = new Array<number>(x!.shape.length).fill(0);
    return sizes.map((s) => {
      const size = [...x!.shape];
      size[$axis] = s;
      const piece = sliceNative(args.backend, x!, begin, size, tf.SplitV);
      begin[$axis]! += s;
      return piece;
    });
  },
};

/**
 * Concat along any axis: each input is one 2-D strided copy, its rows of
 * `prod(shape[axis:])` floats landing at a column offset of the output.
 */
import * as tf from '@tensorflow/tfjs';
import { encodeDims, sizeOf } from '../layout.js';
import { attrsOf, type NativeKernel } from './kernel.js';

export const concatKernel: NativeKernel = {
  kernelName: tf.Concat,
  run: (args) => {
    const tensors = Object.values(args.inputs) as tf.TensorInfo[];
    if (tensors.length === 0 || tensors.some((t) => t.dtype !== 'float32')) return undefined;
    const { axis } = attrsOf<tf.ConcatAttrs>(args);
    const $axis = tf.util.parseAxisParam(axis, tensors[0]!.shape)[0]!;
    tf.backend_util.assertParamsConsistent(tensors.map((t) => t.shape), $axis);
    const outShape = tf.backend_util.computeOutShape(tensors.map((t) => t.shape), $axis);
    if (sizeOf(outShape) === 0) return undefined;
    const backend = args.backend;
    const rows = sizeOf(outShape.slice(0, $axis));
    const outCols = sizeOf(outShape.slice($axis));
    const out = backend.pool.alloc(rows * outCols);
    let column = 0;
    for (const t of tensors) {
      const cols = sizeOf(t.shape.slice($axis));
      if (cols === 0) continue;
      const dims = encodeDims({ shape: [rows, cols], strides: [[cols, 1], [outCols, 1]] });
      backend.addon.copy(backend.float32Values(t, tf.Concat), 0, out, column, dims);
      column += cols;
    }
    return backend.output(outShape, out);
  },
};

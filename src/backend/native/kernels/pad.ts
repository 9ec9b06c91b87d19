/**
 * PadV2 (the gradient of Slice). Padding on the last axis only, what the
 * gradient of a column slice needs, writes each output element once: the
 * stripes before and after as strided copies of the constant (source stride
 * 0), the input between them. Other paddings fill the output with the
 * constant, then copy the input into the interior. (The cpu kernel computes
 * coordinates per element.)
 */
import * as tf from '@tensorflow/tfjs';
import { contiguousStrides, encodeDims, simplify, sizeOf } from '../layout.js';
import { attrsOf, nativeFloat32, type NativeKernel } from './kernel.js';

export const padKernel: NativeKernel = {
  kernelName: tf.PadV2,
  run: (args) => {
    const { x } = args.inputs;
    if (!nativeFloat32(x)) return undefined;
    const { paddings, constantValue } = attrsOf<tf.PadV2Attrs>(args);
    if (paddings.length !== x!.shape.length || paddings.some(([before, after]) => before < 0 || after < 0)) return undefined;
    const outShape = x!.shape.map((n, d) => paddings[d]![0] + n + paddings[d]![1]);
    const outStrides = contiguousStrides(outShape);
    const offset = paddings.reduce((o, [before], d) => o + before * outStrides[d]!, 0);
    const backend = args.backend;
    const values = backend.float32Values(x!, tf.PadV2);
    const out = backend.pool.alloc(sizeOf(outShape));
    const last = x!.shape.length - 1;
    if (last >= 0 && paddings.every(([before, after], d) => d === last || before + after === 0)) {
      const [before, after] = paddings[last]!;
      const rows = sizeOf(x!.shape.slice(0, -1));
      const n = x!.shape[last]!;
      const width = before + n + after;
      const constant = Float32Array.of(constantValue);
      const stripe = (cols: number, at: number) => {
        if (cols > 0) backend.addon.copy(constant, 0, out, at, encodeDims({ shape: [rows, cols], strides: [[0, 0], [width, 1]] }));
      };
      stripe(before, 0);
      backend.addon.copy(values, 0, out, before, encodeDims(simplify([rows, n], [[n, 1], [width, 1]])));
      stripe(after, before + n);
      return backend.output(outShape, out);
    }
    out.fill(constantValue);
    const layout = simplify(x!.shape, [contiguousStrides(x!.shape), outStrides]);
    backend.addon.copy(values, 0, out, offset, encodeDims(layout));
    return backend.output(outShape, out);
  },
};

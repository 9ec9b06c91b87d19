/**
 * Tile (and so `tf.broadcastTo`, which runs Tile) and Transpose as one
 * strided copy each. Tile sees axis d of x as two axes of the output,
 * (repetition r, index j) with source strides (0, stride_d).
 */
import * as tf from '@tensorflow/tfjs';
import { contiguousStrides, encodeDims, simplify, sizeOf } from '../layout.js';
import { attrsOf, nativeFloat32, type NativeKernel } from './kernel.js';

export const tileKernel: NativeKernel = {
  kernelName: tf.Tile,
  run: (args) => {
    const { x } = args.inputs;
    if (!nativeFloat32(x)) return undefined;
    const { reps } = attrsOf<tf.TileAttrs>(args);
    if (reps.length !== x!.shape.length || reps.some((r) => r < 1)) return undefined;
    const outShape = x!.shape.map((n, d) => n * reps[d]!);
    const xStrides = contiguousStrides(x!.shape);
    const outStrides = contiguousStrides(outShape);
    const shape: number[] = [];
    const src: number[] = [];
    const dst: number[] = [];
    x!.shape.forEach((n, d) => {
      shape.push(reps[d]!, n);
      src.push(0, xStrides[d]!);
      dst.push(n * outStrides[d]!, outStrides[d]!);
    });
    const backend = args.backend;
    const out = backend.pool.alloc(sizeOf(outShape));
    backend.addon.copy(backend.float32Values(x!, tf.Tile), 0, out, 0, encodeDims(simplify(shape, [src, dst])));
    return backend.output(outShape, out);
  },
};

export const transposeKernel: NativeKernel = {
  kernelName: tf.Transpose,
  run: (args) => {
    const { x } = args.inputs;
    if (!nativeFloat32(x)) return undefined;
    const { perm } = attrsOf<tf.TransposeAttrs>(args);
    const xStrides = contiguousStrides(x!.shape);
    const outShape = perm.map((p) => x!.shape[p]!);
    const backend = args.backend;
    const out = backend.pool.alloc(sizeOf(outShape));
    const layout = simplify(outShape, [perm.map((p) => xStrides[p]!), contiguousStrides(outShape)]);
    backend.addon.copy(backend.float32Values(x!, tf.Transpose), 0, out, 0, encodeDims(layout));
    return backend.output(outShape, out);
  },
};

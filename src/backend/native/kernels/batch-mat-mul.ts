/**
 * BatchMatMul through OpenBLAS cblas_sgemm, row-major, with transposeA and
 * transposeB passed to BLAS (no transposed copies). Batch axes are handled
 * when equal or when one side has a single matrix (stride 0); other
 * broadcasting patterns fall back to the cpu kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { sizeOf } from '../layout.js';
import { attrsOf, nativeFloat32, type NativeKernel } from './kernel.js';

export const batchMatMulKernel: NativeKernel = {
  kernelName: tf.BatchMatMul,
  run: (args) => {
    const { a, b } = args.inputs;
    if (!nativeFloat32(a, b) || a!.shape.length < 2 || b!.shape.length < 2) return undefined;
    const { transposeA, transposeB } = attrsOf<tf.BatchMatMulAttrs>(args);
    const ra = a!.shape.length;
    const rb = b!.shape.length;
    const m = transposeA ? a!.shape[ra - 1]! : a!.shape[ra - 2]!;
    const k = transposeA ? a!.shape[ra - 2]! : a!.shape[ra - 1]!;
    const kb = transposeB ? b!.shape[rb - 1]! : b!.shape[rb - 2]!;
    const n = transposeB ? b!.shape[rb - 2]! : b!.shape[rb - 1]!;
    if (k !== kb) return undefined; // let the cpu kernel throw its message
    const outerA = a!.shape.slice(0, -2);
    const outerB = b!.shape.slice(0, -2);
    const outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
    const batch = sizeOf(outer);
    const batchA = sizeOf(outerA);
    const batchB = sizeOf(outerB);
    const sameOuter = (o: number[]) => o.length === outer.length && o.every((d, i) => d === outer[i]);
    const strideA = batchA === 1 ? 0 : sameOuter(outerA) ? m * k : -1;
    const strideB = batchB === 1 ? 0 : sameOuter(outerB) ? k * n : -1;
    if (strideA < 0 || strideB < 0) return undefined;
    const backend = args.backend;
    const out = backend.pool.alloc(batch * m * n);
    backend.addon.gemm(
      backend.float32Values(a!, tf.BatchMatMul),
      backend.float32Values(b!, tf.BatchMatMul),
      out, batch, m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0, strideA, strideB,
    );
    return backend.output([...outer, m, n], out);
  },
};

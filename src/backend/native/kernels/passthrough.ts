/**
 * Kernels that move no data on this storage (Identity, Reshape, and a Cast to
 * the same dtype are reference-count updates in the cpu backend): they run
 * the cpu kernel and count as native, so the stats list only real fallbacks.
 * A Cast of int32 or bool to float32 converts into a Float32Array: the cpu
 * kernel would keep the Int32Array (tfjs casts "to higher precision" by
 * relabelling), which the native kernels cannot read as float32.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel, NativeKernelArgs } from './kernel.js';

function delegate(kernelName: string, applies: (args: NativeKernelArgs) => boolean = () => true): NativeKernel {
  const cpu = tf.getKernel(kernelName, 'cpu');
  if (cpu === undefined) throw new Error(`no cpu kernel ${kernelName} to delegate to`);
  return {
    kernelName,
    run: (args) => (applies(args) ? (cpu.kernelFunc(args as never) as tf.TensorInfo) : undefined),
  };
}

const castToSameDtype = delegate(tf.Cast, (args) => (args.attrs as unknown as tf.CastAttrs).dtype === args.inputs['x']?.dtype);

const castKernel: NativeKernel = {
  kernelName: tf.Cast,
  run: (args) => {
    const x = args.inputs['x']!;
    const { dtype } = args.attrs as unknown as tf.CastAttrs;
    if (dtype !== 'float32' || (x.dtype !== 'int32' && x.dtype !== 'bool')) return castToSameDtype.run(args);
    const values = args.backend.data.get(x.dataId)!.values as Int32Array | Uint8Array;
    const out = args.backend.pool.alloc(values.length);
    out.set(values);
    return args.backend.output(x.shape, out);
  },
};

export const passthroughKernels: readonly NativeKernel[] = [delegate(tf.Identity), delegate(tf.Reshape), castKernel];

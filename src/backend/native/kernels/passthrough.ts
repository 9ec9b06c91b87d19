/**
 * Kernels that move no data on this storage (Identity, Reshape, and a Cast to
 * the same dtype are reference-count updates in the cpu backend): they run
 * the cpu kernel and count as native, so the stats list only real fallbacks.
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

export const passthroughKernels: readonly NativeKernel[] = [
  delegate(tf.Identity),
  delegate(tf.Reshape),
  delegate(tf.Cast, (args) => (args.attrs as unknown as tf.CastAttrs).dtype === args.inputs['x']?.dtype),
];

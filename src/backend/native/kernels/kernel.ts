/**
 * The shape of a native kernel override: it returns its outputs, or
 * undefined to hand the call to the cpu kernel (inputs it does not handle,
 * such as int32 or empty tensors). register-native.ts counts both outcomes.
 */
import type * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from '../native-backend.js';

export interface NativeKernelArgs {
  readonly inputs: tf.NamedTensorInfoMap;
  readonly backend: NativeBackend;
  readonly attrs?: tf.NamedAttrMap;
}

export interface NativeKernel {
  readonly kernelName: string;
  readonly run: (args: NativeKernelArgs) => tf.TensorInfo | tf.TensorInfo[] | undefined;
}

/** True when every tensor is float32 and non-empty: what the native kernels compute. */
export function nativeFloat32(...tensors: (tf.TensorInfo | undefined)[]): boolean {
  return tensors.every((t) => t !== undefined && t.dtype === 'float32' && t.shape.every((d) => d > 0));
}

/** The attrs object (tfjs passes `{}` when there are none). */
export function attrsOf<T>(args: NativeKernelArgs): T {
  return (args.attrs ?? {}) as unknown as T;
}

/**
 * Elementwise unary kernels on float32: the arithmetic ones exactly, exp,
 * log and friends through the addon's Cephes-style approximations (about
 * 1 ulp; NaN and ±Inf as IEEE). Parameters come from the kernel's attrs.
 */
import * as tf from '@tensorflow/tfjs';
import { UnaryOp } from '../addon.js';
import { sizeOf } from '../layout.js';
import { nativeFloat32, type NativeKernel } from './kernel.js';

type Params = (attrs: tf.NamedAttrMap) => [number, number];
const none: Params = () => [0, 0];

function unaryKernel(kernelName: string, op: number, params: Params = none): NativeKernel {
  return {
    kernelName,
    run: ({ inputs, backend, attrs }) => {
      const { x } = inputs;
      if (!nativeFloat32(x)) return undefined;
      const [alpha, beta] = params(attrs ?? {});
      const out = backend.pool.alloc(sizeOf(x!.shape));
      backend.addon.unary(op, backend.float32Values(x!, kernelName), out, alpha, beta);
      return backend.output(x!.shape, out);
    },
  };
}

export const unaryKernels: readonly NativeKernel[] = [
  unaryKernel(tf.Neg, UnaryOp.Neg),
  unaryKernel(tf.Sqrt, UnaryOp.Sqrt),
  unaryKernel(tf.Square, UnaryOp.Square),
  unaryKernel(tf.Exp, UnaryOp.Exp),
  unaryKernel(tf.Log, UnaryOp.Log),
  unaryKernel(tf.Log1p, UnaryOp.Log1p),
  unaryKernel(tf.Softplus, UnaryOp.Softplus),
  unaryKernel(tf.Sigmoid, UnaryOp.Sigmoid),
  unaryKernel(tf.Abs, UnaryOp.Abs),
  unaryKernel(tf.Step, UnaryOp.Step, (a) => [(a as unknown as tf.StepAttrs).alpha, 0]),
  unaryKernel(tf.Sign, UnaryOp.Sign),
  unaryKernel(tf.Reciprocal, UnaryOp.Reciprocal),
  unaryKernel(tf.Relu, UnaryOp.Relu),
  unaryKernel(tf.ClipByValue, UnaryOp.Clip, (a) => {
    const { clipValueMin, clipValueMax } = a as unknown as tf.ClipByValueAttrs;
    return [clipValueMin, clipValueMax];
  }),
  unaryKernel(tf.Rsqrt, UnaryOp.Rsqrt),
  unaryKernel(tf.Expm1, UnaryOp.Expm1),
  unaryKernel(tf.Tanh, UnaryOp.Tanh),
  unaryKernel(tf.LeakyRelu, UnaryOp.LeakyRelu, (a) => [(a as unknown as tf.LeakyReluAttrs).alpha, 0]),
];

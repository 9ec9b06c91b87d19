/**
 * A fused Adam update for the native backend. tfjs's AdamOptimizer updates
 * each variable with about a dozen elementwise ops (each a kernel call and a
 * pass over memory); on the native backend `applyGradients` instead runs one
 * kernel per variable that reads value, m, v and the gradient once and
 * writes the three new arrays, with the same float32 operations in the same
 * order, so results are bit-identical to the stock optimizer (see
 * native/src/adam.cc). On every other backend the stock method runs.
 *
 * The patch is on tfjs's AdamOptimizer prototype, so optimizers made with
 * `tf.train.adam` anywhere benefit; STRATA_NATIVE_FUSED_ADAM=0 turns it off.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from './kernels/kernel.js';

/** The kernel: inputs value, m, v, g (float32, same shape) and c1 = 1 - b1^t, c2 = 1 - b2^t (scalars). */
export const NATIVE_ADAM_KERNEL = 'StrataNativeAdam';

export interface NativeAdamAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
}

export const nativeAdamKernel: NativeKernel = {
  kernelName: NATIVE_ADAM_KERNEL,
  run: ({ inputs, backend, attrs }) => {
    const { value, m, v, g, c1, c2 } = inputs as Record<string, tf.TensorInfo>;
    const { beta1, beta2, epsilon, learningRate } = attrs as unknown as NativeAdamAttrs;
    const read = (t: tf.TensorInfo) => backend.float32Values(t, NATIVE_ADAM_KERNEL);
    const n = value!.shape.reduce((p, d) => p * d, 1);
    // Each scalar exactly as tfjs's ops would make it: a JS number rounded to float32.
    const hyper = Float32Array.of(beta1, 1 - beta1, beta2, 1 - beta2, read(c1!)[0]!, read(c2!)[0]!, epsilon, -learningRate);
    const outs = [backend.pool.alloc(n), backend.pool.alloc(n), backend.pool.alloc(n)] as const;
    backend.addon.adam(read(value!), read(m!), read(v!), read(g!), outs[0], outs[1], outs[2], hyper);
    return outs.map((o) => backend.output(value!.shape, o));
  },
};

/** The parts of tfjs's AdamOptimizer that applyGradients uses (private in its typings). */
interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
  incrementIterations(): void;
}

/** What applyGradients accepts: a map, or a list of { name, tensor }. */
type Gradients = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];
type ApplyGradients = (this: tf.AdamOptimizer, gradients: Gradients) => void;

let installed = false;

/**
 * Replaces AdamOptimizer.prototype.applyGradients by a version that, while
 * `backendName` is active, mirrors the stock method with the fused kernel.
 * Idempotent.
 */
export function installFusedAdam(backendName: string): void {
  if (installed || /^(0|false|no)$/i.test(process.env['STRATA_NATIVE_FUSED_ADAM'] ?? '')) return;
  installed = true;
  const proto = tf.AdamOptimizer.prototype as unknown as { applyGradients: ApplyGradients };
  const stock = proto.applyGradients;
  proto.applyGradients = function (this: tf.AdamOptimizer, gradients) {
    if (tf.getBackend() !== backendName) return stock.call(this, gradients);
    applyFused(this as unknown as AdamInternals, gradients, stock.bind(this));
  };
}

/** The stock applyGradients (tfjs-core 4.22 adam_optimizer.ts) with the per-variable update fused. */
function applyFused(self: AdamInternals, gradients: Gradients, stock: (g: Gradients) => void): void {
  const names = Array.isArray(gradients) ? gradients.map((g) => g.name) : Object.keys(gradients);
  const gradientOf = (name: string, i: number) => (Array.isArray(gradients) ? gradients[i]!.tensor : gradients[name]);
  const variables = tf.engine().registeredVariables;
  const fusable = names.every((name, i) => {
    const g = gradientOf(name, i);
    const value = variables[name];
    return g == null || (value !== undefined && value.dtype === 'float32' && g.dtype === 'float32' && g.shape.length === value.shape.length && g.shape.every((d: number, j: number) => d === value.shape[j]));
  });
  if (!fusable) return stock(gradients);
  tf.tidy(() => {
    const c1 = tf.sub(1, self.accBeta1);
    const c2 = tf.sub(1, self.accBeta2);
    names.forEach((name, i) => {
      const value = variables[name]!;
      self.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      self.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      const g = gradientOf(name, i);
      if (g == null) return;
      const m = self.accumulatedFirstMoment[i]!.variable;
      const v = self.accumulatedSecondMoment[i]!.variable;
      const attrs: NativeAdamAttrs = { beta1: self.beta1, beta2: self.beta2, epsilon: self.epsilon, learningRate: self.learningRate };
      const [newValue, newM, newV] = tf.engine().runKernel(NATIVE_ADAM_KERNEL, { value, m, v, g, c1, c2 }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      m.assign(newM!);
      v.assign(newV!);
      value.assign(newValue!);
    });
    self.accBeta1.assign(tf.mul(self.accBeta1, self.beta1));
    self.accBeta2.assign(tf.mul(self.accBeta2, self.beta2));
  });
  self.incrementIterations();
}

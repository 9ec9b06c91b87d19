/**
 * Samples drawn on the CPU by inverting a CDF in float64, x = F⁻¹(u; θ), as
 * tensor ops whose gradient in θ is the implicit reparameterization gradient
 * ∂x/∂θ = -(∂F/∂θ)(x; θ) / p(x; θ) (Figurnov et al. 2018), computed with the
 * sample. The noise u gets a zero gradient (it is parameter-free noise).
 */
import * as tf from '@tensorflow/tfjs';
import { reduceToShape } from '../gradients/reduce-to-shape.js';
import { broadcastShapes, sizeOfShape } from '../shape.js';

/** One sample and its derivatives in each parameter, in float64. */
export interface ScalarSample {
  readonly value: number;
  readonly derivatives: readonly number[];
}

/** Draws one value from float64 parameters and a uniform u in [0, 1). */
export type ScalarSampler = (params: readonly number[], u: number) => ScalarSample;

/** The open interval float32 samples are kept in, so that logs of them stay finite. */
export interface SampleRange {
  readonly low: number;
  readonly high: number;
}

/**
 * Builds the op `(params..., u) -> x` for a family. Inputs broadcast; the
 * output has their broadcast shape (that of u, `[k, ...batchShape]`, in the
 * distributions). Each value is clamped to `range`; a clamped value gets a
 * zero derivative. Reads its inputs with dataSync: sampling is synchronous
 * CPU work on every backend.
 *
 * @param name the op's name, for errors
 * @param sampleOne the float64 sampler of one value
 * @param range where float32 values are kept
 */
export function implicitSampleOp(name: string, sampleOne: ScalarSampler, range: SampleRange): (params: readonly tf.Tensor[], u: tf.Tensor) => tf.Tensor {
  const op = tf.customGrad((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const inputs = args as tf.Tensor[];
    const params = inputs.slice(0, -1);
    const shape = inputs.reduce<number[]>((s, t) => broadcastShapes(s, t.shape, name), []);
    const n = sizeOfShape(shape);
    const read = (t: tf.Tensor) => tf.tidy(() => tf.broadcastTo(t, shape).dataSync());
    const paramValues = params.map(read);
    const noise = read(inputs[inputs.length - 1]!);
    const values = new Float32Array(n);
    const derivatives = params.map(() => new Float32Array(n));
    const theta = new Array<number>(params.length);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < params.length; j++) theta[j] = paramValues[j]![i]!;
      const sample = sampleOne(theta, noise[i]!);
      const clamped = Math.min(range.high, Math.max(range.low, sample.value));
      values[i] = Number.isNaN(sample.value) ? NaN : clamped;
      if (clamped === sample.value) sample.derivatives.forEach((d, j) => (derivatives[j]![i] = d));
    }
    save(derivatives.map((d) => tf.tensor(d, shape)));
    return {
      value: tf.tensor(values, shape),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [
        ...params.map((p, j) => reduceToShape(tf.mul(dy as tf.Tensor, saved[j]!), p.shape)),
        tf.zerosLike(inputs[inputs.length - 1]!),
      ],
    };
  });
  return (params, u) => op(...params, u);
}

/**
 * The affine coupling layer of RealNVP (Dinh, Sohl-Dickstein & Bengio 2017).
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation } from '../../ir/ir.js';
import { applyElementwise } from '../ops/elementwise.js';
import { linearForward } from '../ops/linear.js';
import type { FlowLayer, FlowStep } from './flow-layer.js';

export interface CouplingWeights {
  /** unchanged part → hidden, `[p, H]`. */
  readonly hiddenWeight: tf.Tensor;
  readonly hiddenBias: tf.Tensor;
  /** hidden → [s, t], `[H, 2q]` for the q changed coordinates. */
  readonly outputWeight: tf.Tensor;
  readonly outputBias: tf.Tensor;
}

export interface CouplingOptions {
  /** false: z[0:⌈d/2⌉] passes unchanged and conditions z[⌈d/2⌉:]; true: the other way round. */
  readonly flip: boolean;
  readonly activation: Activation;
}

/** Where a coupling layer splits a vector of length d: the first part has ⌈d/2⌉ coordinates. */
export function couplingSplit(d: number): [number, number] {
  const first = Math.ceil(d / 2);
  return [first, d - first];
}

/**
 * With a the unchanged part and b the changed one,
 * [s, t] = net(a),  f(z)_a = a,  f(z)_b = b ⊙ exp(tanh(s)) + t,
 * log |det ∂f/∂z| = Σ tanh(s): ∂f/∂z is block-triangular with diagonal blocks I
 * and diag(exp(tanh(s))). tanh bounds each layer's log-scale to (−1, 1), as
 * RealNVP bounds its scales for stability.
 */
export class CouplingLayer implements FlowLayer {
  constructor(
    readonly weights: CouplingWeights,
    readonly options: CouplingOptions,
  ) {}

  forward(z: tf.Tensor): FlowStep {
    const { weights, options } = this;
    return tf.tidy(() => {
      const d = z.shape[z.rank - 1]!;
      const [first, second] = tf.split(z, couplingSplit(d), -1) as [tf.Tensor, tf.Tensor];
      const [kept, changed] = options.flip ? [second, first] : [first, second];
      const h = applyElementwise(options.activation, linearForward(kept, weights.hiddenWeight, weights.hiddenBias));
      const [raw, shift] = tf.split(linearForward(h, weights.outputWeight, weights.outputBias), 2, -1) as [tf.Tensor, tf.Tensor];
      const logScale = tf.tanh(raw);
      const moved = tf.add(tf.mul(changed, tf.exp(logScale)), shift);
      const value = tf.concat(options.flip ? [moved, kept] : [kept, moved], -1);
      return { value, logDet: tf.sum(logScale, -1) };
    });
  }
}

/**
 * The inverse autoregressive flow layer (Kingma, Salimans, Jozefowicz, Chen,
 * Sutskever & Welling 2016), in its numerically stable, LSTM-like form.
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation } from '../../ir/ir.js';
import { applyElementwise } from '../ops/elementwise.js';
import { linearForward } from '../ops/linear.js';
import type { FlowLayer, FlowStep } from './flow-layer.js';
import { madeMasks } from './made-masks.js';

/** The bias added to s before the sigmoid, so σ starts near sigmoid(2) ≈ 0.88 (the paper's "+1 or +2"). */
export const IAF_GATE_BIAS = 2;

export interface IafWeights {
  /** z → hidden, `[d, H]` (masked). */
  readonly hiddenWeight: tf.Tensor;
  readonly hiddenBias: tf.Tensor;
  /** hidden → [m, s], `[H, 2d]` (masked). */
  readonly outputWeight: tf.Tensor;
  readonly outputBias: tf.Tensor;
  /** context → hidden, `[C, H]` (not masked); with `context`. */
  readonly contextWeight?: tf.Tensor;
}

export interface IafOptions {
  readonly reverse: boolean;
  readonly activation: Activation;
  /** `[..., C]`, broadcasting against z's leading axes (e.g. `[batch, C]` for z `[k, batch, d]`). */
  readonly context?: tf.Tensor;
}

/**
 * [m, s] = MADE(z, context), σ = sigmoid(s + 2),
 * f(z) = σ ⊙ z + (1 − σ) ⊙ m,   log |det ∂f/∂z| = Σ_i log σ_i
 * (Kingma et al. 2016, eq. 14 and alg. 1): m_i and s_i depend on z only
 * through the coordinates before i, so ∂f/∂z is triangular with diagonal σ.
 *
 * @example const { value, logDet } = new IafLayer(weights, { reverse: false, activation: 'relu' }).forward(z0);
 */
export class IafLayer implements FlowLayer {
  private readonly d: number;
  private readonly hidden: number;

  constructor(
    readonly weights: IafWeights,
    readonly options: IafOptions,
  ) {
    const [d, hidden] = weights.hiddenWeight.shape as [number, number];
    if (weights.outputWeight.shape[0] !== hidden || weights.outputWeight.shape[1] !== 2 * d) {
      throw new Error(`IafLayer: the output weight must be [${hidden}, ${2 * d}], but is [${weights.outputWeight.shape.join(', ')}]`);
    }
    if ((options.context === undefined) !== (weights.contextWeight === undefined)) {
      throw new Error('IafLayer: a context needs a context weight, and a context weight a context');
    }
    this.d = d;
    this.hidden = hidden;
  }

  forward(z: tf.Tensor): FlowStep {
    const { d, hidden, weights, options } = this;
    return tf.tidy(() => {
      const masks = madeMasks(d, hidden, options.reverse, options.context !== undefined);
      const inputMask = tf.tensor2d(masks.input, [d, hidden]);
      const outputMask = tf.tensor2d(masks.output, [hidden, 2 * d]);
      let pre = linearForward(z, tf.mul(weights.hiddenWeight, inputMask), weights.hiddenBias);
      if (options.context !== undefined) pre = tf.add(pre, contextTerm(options.context, weights.contextWeight!));
      const h = applyElementwise(options.activation, pre);
      const out = linearForward(h, tf.mul(weights.outputWeight, outputMask), weights.outputBias);
      const [m, s] = tf.split(out, 2, -1) as [tf.Tensor, tf.Tensor];
      const gateInput = tf.add(s, IAF_GATE_BIAS);
      const gate = tf.sigmoid(gateInput);
      const value = tf.add(tf.mul(gate, z), tf.mul(tf.sub(1, gate), m));
      // log σ(a) = −softplus(−a), written out: tf.logSigmoid's custom gradient reads an input its tidy has disposed
      const logDet = tf.neg(tf.sum(tf.softplus(tf.neg(gateInput)), -1));
      return { value, logDet };
    });
  }
}

/** context·W for a context `[..., C]` and W `[C, H]`: `[..., H]`. */
function contextTerm(context: tf.Tensor, weight: tf.Tensor): tf.Tensor {
  const lead = context.shape.slice(0, -1);
  const rows = tf.reshape(context, [-1, context.shape[context.rank - 1]!]);
  return tf.reshape(tf.matMul(rows, weight), [...lead, weight.shape[1]!]);
}

/**
 * A per-sample gradient scale whose factor is known only after the forward
 * pass: y = x in the forward pass, dL/dx = r ⊙ dL/dy in the backward pass,
 * with r `[k, batch]` broadcast over x's trailing (event) axes and set once
 * the log-weights that determine it have been computed.
 *
 * It lets one backward pass give two parameter groups the gradients of two
 * different weightings of the same samples. DReG (Tucker et al. 2019) is the
 * use: the surrogate Σ_i sg(a_i) log w_i gives the model's parameters θ the
 * bound's gradient Σ_i a_i ∇_θ log w_i (a = w̃ for IWAE); the guide's
 * parameters φ reach log w only through the samples z_i(φ), so scaling the
 * gradient that flows into each z_i by r_i = c_i / a_i turns their part into
 * Σ_i c_i ∂log w_i/∂z_i ∂z_i/∂φ, DReG's (c = w̃²). Every path from the loss
 * to φ must cross exactly one scale: the trace applies it where a sample
 * enters log p and log q (which score it with φ detached), not where it feeds
 * the guide's later statements.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs-core';

export class SampleGradientScale {
  private factor: Tensor | undefined;
  private readonly op = tf.customGrad((x, _save) => {
    const input = x as Tensor;
    return { value: tf.clone(input), gradFunc: (dy: Tensor) => tf.mul(dy, this.broadcastTo(dy.rank)) };
  });

  /**
   * @param z a sample `[k, batch, ...event]`
   * @returns z's values, whose gradient will be scaled by the factor set later
   */
  apply(z: Tensor): Tensor {
    return this.op(z) as Tensor;
  }

  /**
   * Sets r, `[k, batch]`, before the backward pass (kept until `dispose`).
   * @throws Error when set twice: one trace, one factor
   */
  set(factor: Tensor): void {
    if (this.factor !== undefined) throw new Error('SampleGradientScale: the factor is already set; one scale serves one trace');
    if (factor.rank !== 2) throw new Error(`SampleGradientScale: the factor must be [k, batch], but got shape [${factor.shape.join(', ')}]`);
    this.factor = tf.keep(factor);
  }

  /** True once the factor is set. */
  get isSet(): boolean {
    return this.factor !== undefined;
  }

  /** Frees the factor (after the backward pass). */
  dispose(): void {
    this.factor?.dispose();
    this.factor = undefined;
  }

  private broadcastTo(rank: number): Tensor {
    if (this.factor === undefined) throw new Error('SampleGradientScale: the backward pass reached a scaled sample before its factor was set (the objective must call set)');
    return rank === 2 ? this.factor : tf.reshape(this.factor, [...this.factor.shape, ...new Array<number>(rank - 2).fill(1)]);
  }
}

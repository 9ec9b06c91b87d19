/**
 * Score-function (REINFORCE) terms for discrete latents sampled without a
 * pathwise gradient (Williams 1992; seed 004 ch. 5.2):
 *
 *   ∇_φ E_q[f(z)] = E_q[ f(z) ∇_φ log q_φ(z) + ∇_φ f(z) ],
 *
 * implemented as the surrogate f + sg(f − b) · log q, whose gradient is that
 * estimate with the baseline b subtracted: unbiased for any b that does not
 * depend on the sample z itself (E[∇ log q] = 0). The added term enters as
 * t − sg(t) (`gradientOnly`), so the loss still reads as −f.
 */
import * as tf from '@tensorflow/tfjs';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { Trace } from '../../backend/compile/trace.js';
import { stopGradient } from '../../backend/ops/stop-gradient.js';
import { UserError } from '../../util/user-error.js';

/** t − sg(t): zero in value, t's gradient; a surrogate term that leaves the loss's value alone. */
export function gradientOnly(t: Tensor): Tensor {
  return tf.tidy(() => tf.sub(t, stopGradient(t)));
}

/** Σ_l log q(z_l | ·) over the trace's score-function latents, `[k, batch]`; undefined when it has none. */
export function scoreFunctionLogQ(trace: Trace): Tensor | undefined {
  const terms = trace.latents.filter((l) => l.scoreFunction);
  if (terms.length === 0) return undefined;
  return tf.tidy(() => terms.slice(1).reduce((sum, l) => tf.add(sum, l.logQ), terms[0]!.logQ));
}

/**
 * An exponential moving average of the learning signal, b ← d·b + (1 − d)·s
 * (the centring baseline of Mnih and Gregor 2014, "Neural variational
 * inference and learning in belief networks"). It is read before
 * a step and updated after it, so it never depends on the step's samples.
 */
export class MovingAverageBaseline {
  private current: number | undefined;

  /** @param decay d in [0, 1) (default 0.9) */
  constructor(readonly decay = 0.9) {
    if (!(decay >= 0 && decay < 1)) throw new RangeError(`MovingAverageBaseline: decay must be in [0, 1), but got ${decay}`);
  }

  /** The baseline; undefined before the first update. */
  get value(): number | undefined {
    return this.current;
  }

  /**
   * Sets the baseline to a saved value (a checkpoint's), or clears it with undefined,
   * so a resumed run continues the same average.
   * @throws UserError when the value is not a finite number
   */
  restore(value: number | undefined): void {
    if (value !== undefined && !Number.isFinite(value)) throw new UserError(`REINFORCE baseline: invalid saved value ${JSON.stringify(value)} (expected a finite number)`);
    this.current = value;
  }

  /** Folds one step's mean signal in (the first sets it). */
  update(signal: number): void {
    if (!Number.isFinite(signal)) return;
    this.current = this.current === undefined ? signal : this.decay * this.current + (1 - this.decay) * signal;
  }
}

/**
 * The REINFORCE surrogate term mean(sg(s − b) · log q) over samples and batch.
 * Before the baseline's first update, b is the leave-one-out mean of the
 * other data points' signals (each averaged over its k samples), which is
 * independent of the sample it centres and so keeps the estimate unbiased.
 *
 * @param signal the per-sample learning signal, `[k, batch]` (no gradient needed: it is detached)
 * @param logQ Σ log q of the score-function latents, `[k, batch]`
 * @returns a scalar to add to the objective being maximized: 0 in value (see gradientOnly), the REINFORCE term's gradient
 */
export function reinforceTerm(signal: Tensor, logQ: Tensor, baseline: number | undefined): Scalar {
  return tf.tidy(() => {
    const detached = stopGradient(signal);
    const batch = detached.shape[1]!;
    let b: Tensor;
    if (baseline !== undefined) b = tf.scalar(baseline);
    else if (batch < 2) b = tf.scalar(0);
    else {
      const perPoint = tf.mean(detached, 0); // [batch]
      b = tf.div(tf.sub(tf.sum(perPoint), perPoint), batch - 1); // leave one out, [batch]
    }
    return gradientOnly(tf.mean(tf.mul(tf.sub(detached, b), logQ))) as Scalar;
  });
}

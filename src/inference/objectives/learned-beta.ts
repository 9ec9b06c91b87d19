/**
 * CIWAE's learnable β (seed 002 sec. 3.7): β = σ(b) with a free logit b,
 * trained jointly with the network on the same loss, so the optimizer
 * "finds the best-possible value for the given task" instead of a sweep.
 *
 * Seed 002 writes the β objective as eq. 16, min_β β·ELBO_VAE + (1 − β)·ELBO_IWAE,
 * and calls the two terms "ELBO losses" (sec. 1): read as losses (negated
 * bounds), eq. 16 is the training loss itself, −CIWAE_β, minimized over β.
 * Its gradient with respect to the logit is exact and needs no tape:
 *
 *   ∂(−CIWAE_β)/∂b = β(1 − β) · mean_x [ IWAE_K(x) − ELBO_K(x) ]   (≥ 0 on every sample, Jensen),
 *
 * so β falls towards 0 (towards IWAE) at a rate set by the gap between the
 * bounds, and the sigmoid keeps it strictly inside (0, 1).
 *
 * b is stepped by Adam (Kingma & Ba 2015; β1 = 0.9, β2 = 0.999, ε = 1e-8,
 * PyTorch's defaults, as seed 002's code would put β in the model's Adam)
 * at the training learning rate. The state is four doubles: it is kept in
 * JavaScript, not in a tfjs optimizer, so a checkpoint stores it exactly in
 * run.json and a resumed run continues bit for bit.
 */
import { UserError } from '../../util/user-error.js';

/** The state a checkpoint stores: the logit and its Adam moments after `steps` updates. */
export interface LearnedBetaState {
  readonly logit: number;
  readonly m: number;
  readonly v: number;
  readonly steps: number;
}

const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

const sigmoid = (b: number): number => 1 / (1 + Math.exp(-b));

export class LearnedBeta {
  private state: LearnedBetaState;

  /** @param initial β at the start, strictly inside (0, 1) (the sigmoid never reaches 0 or 1) */
  constructor(initial: number) {
    if (typeof initial !== 'number' || !(initial > 0 && initial < 1)) {
      throw new UserError(`ciwae: the initial value of a learned beta must be strictly between 0 and 1 (beta = sigmoid(logit)), but got ${String(initial)}`);
    }
    this.state = { logit: Math.log(initial / (1 - initial)), m: 0, v: 0, steps: 0 };
  }

  /** A learned β restored from a checkpoint's state. */
  static fromState(state: LearnedBetaState): LearnedBeta {
    const ok = [state.logit, state.m, state.v].every(Number.isFinite) && state.v >= 0 && Number.isInteger(state.steps) && state.steps >= 0;
    if (!ok) throw new UserError(`ciwae: invalid learned-beta state ${JSON.stringify(state)} (expected finite logit, m, v >= 0 and a step count)`);
    const beta = new LearnedBeta(0.5);
    beta.state = { ...state };
    return beta;
  }

  /** β = σ(b), in (0, 1). */
  get value(): number {
    return sigmoid(this.state.logit);
  }

  /** Updates taken so far. */
  get steps(): number {
    return this.state.steps;
  }

  /** A copy of the state, for checkpoints. */
  toState(): LearnedBetaState {
    return { ...this.state };
  }

  /**
   * One Adam step on the logit.
   * @param meanGap mean over the batch of IWAE_K(x) − ELBO_K(x) at the current β (the loss's gradient is β(1 − β) times it)
   * @param learningRate Adam's step size
   */
  update(meanGap: number, learningRate: number): void {
    if (!Number.isFinite(meanGap)) return;
    const beta = this.value;
    const gradient = beta * (1 - beta) * meanGap;
    const steps = this.state.steps + 1;
    const m = ADAM.beta1 * this.state.m + (1 - ADAM.beta1) * gradient;
    const v = ADAM.beta2 * this.state.v + (1 - ADAM.beta2) * gradient * gradient;
    const mHat = m / (1 - ADAM.beta1 ** steps);
    const vHat = v / (1 - ADAM.beta2 ** steps);
    this.state = { logit: this.state.logit - (learningRate * mHat) / (Math.sqrt(vHat) + ADAM.epsilon), m, v, steps };
  }
}

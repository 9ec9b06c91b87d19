/**
 * The one interface every inference objective implements, so VAE, IWAE and
 * TD-IWAE plug into the same training loop (like NumPyro's
 * `SVI(model, guide, optim, elbo)`). An objective asks for a trace with the
 * options it needs and turns the trace's log-density terms into a surrogate
 * loss and a per-data-point bound.
 *
 * MIWAE and PIWAE (M groups of K) ask for k = M·K in `traceOptions` and
 * reshape; PIWAE and DReG return `groupLosses` so the trainer steps model and
 * guide parameters with separate losses and optimizers.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Trace, TraceOptions } from '../../backend/compile/trace.js';
import type { IrModel } from '../../ir/ir.js';
import type { LearnedBeta } from './learned-beta.js';
import type { MovingAverageBaseline } from './score-function.js';

/** How gradients of the guide are estimated. */
export type GradientEstimator = 'reparam' | 'stl' | 'dreg';

/** Options every objective takes. */
export interface ObjectiveOptions {
  /** Importance samples per data point (default 1 for vae, 10 otherwise). */
  readonly k?: number;
  /**
   * `reparam` (default), `stl` (sticking the landing, Roeder et al. 2017) or, for the
   * importance-weighted objectives, `dreg` (doubly reparameterized, Tucker et al. 2019).
   */
  readonly estimator?: GradientEstimator;
  /** vae only: closed-form KL where both families allow it (default true). */
  readonly analyticKl?: boolean;
  /** miwae and piwae: the number M of independent IWAE-k bounds averaged (M·k samples per data point). */
  readonly m?: number;
  /**
   * ciwae only: the ELBO's weight β in β·ELBO + (1 − β)·IWAE, in [0, 1] (default 0.5), or `'learn'`
   * for β = σ(b) trained with the network (seed 002 sec. 3.7; learned-beta.ts).
   */
  readonly beta?: number | 'learn';
  /** ciwae with `beta: 'learn'`: β's initial value, in (0, 1) (default 0.5). */
  readonly betaInit?: number;
  /**
   * ciwae with `beta: 'learn'`: the learned β, kept by the caller across objectives (one per model, so
   * it survives `infer` calls and checkpoints); a fresh one at `betaInit` when absent.
   */
  readonly learnedBeta?: LearnedBeta;
  /** ciwae with `beta: 'learn'`: Adam's step size for β's logit (the training learning rate; default 1e-3). */
  readonly learningRate?: number;
  /** vae only: free bits, λ nats per latent below which its minibatch-mean KL term is not pushed down (Kingma et al. 2016). */
  readonly freeBits?: Readonly<Record<string, number>>;
  /**
   * vae only: the REINFORCE baseline of score-function latents, a moving average of the ELBO kept by the
   * caller across objectives (one per model, so it survives `infer` calls); a fresh one when absent.
   */
  readonly baseline?: MovingAverageBaseline;
}

/** β per latent for this step (1 when absent). */
export type Betas = ReadonlyMap<string, number>;

export interface Estimate {
  /** The scalar to minimize (a surrogate whose gradient is the estimator's). */
  readonly loss: tf.Scalar;
  /** Separate losses per parameter group, for objectives that train them differently (CIWAE, PIWAE). */
  readonly groupLosses?: { readonly model: tf.Scalar; readonly guide: tf.Scalar };
  /** The objective's bound on log p(x) per data point, `[batch]` (β = 1 where annealing is off). */
  readonly bound: tf.Tensor;
  /**
   * With `jointGroups`, on a trace with a `sampleGradientScale`: one scalar whose gradient is `groupLosses.model`'s
   * for the model's parameters and `groupLosses.guide`'s for the guide's, so one backward pass serves both.
   */
  readonly jointLoss?: tf.Scalar;
  /** Scalars the objective wants back after the step (`afterStep`), e.g. ciwae's bound gap for a learned β. */
  readonly statistics?: Readonly<Record<string, tf.Scalar>>;
}

export interface Objective {
  readonly name: string;
  readonly k: number;
  readonly estimator: GradientEstimator;
  /** True when model and guide parameters follow separate losses (`Estimate.groupLosses`) and optimizers. */
  readonly separateGroups?: boolean;
  /**
   * With `separateGroups`: true when one trace and one backward pass give both groups their gradients
   * (`Estimate.jointLoss` on a trace with a `sampleGradientScale`), which the trainer then splits by group.
   */
  readonly jointGroups?: boolean;
  /**
   * True when the objective trains discrete latents sampled without a pathwise gradient (the trace's
   * `scoreFunction` latents): vae with REINFORCE, vimco. The training loop refuses them otherwise.
   */
  readonly scoreFunction?: boolean;
  /**
   * Called by the training loop after each optimizer step with the step's mean bound (to update a
   * baseline) and the values of the first pass's `Estimate.statistics`.
   */
  afterStep?(bound: number, statistics?: Readonly<Record<string, number>>): void;
  /** Values the objective learns besides the model's parameters (ciwae's learned β), for metrics. */
  learned?(): Readonly<Record<string, number>>;
  /** Throws a clear error (with what to use instead) when the model does not meet the objective's preconditions. */
  validate(model: IrModel, guide: string): void;
  /**
   * What the objective needs from a trace. `pass` says which parameters the trace's gradient goes to
   * (with `separateGroups`, the model's pass needs no detached guide: θ's gradient never sees log q).
   */
  traceOptions(guide: string, seed: number, pass?: 'all' | 'model' | 'guide'): TraceOptions;
  /** Surrogate loss and bound from a trace (call inside tf.tidy). */
  estimate(trace: Trace, betas: Betas): Estimate;
}

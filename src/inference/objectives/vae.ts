/**
 * VAE: the evidence lower bound (Kingma & Welling 2014)
 *   ELBO = E_q[ log p(x | z) ] − Σ_l E_q[ KL(q(z_l | ...) || p(z_l | parents)) ],
 * averaged over k samples (Burda et al.'s VAE-k: the mean of the log-weights,
 * not their log-mean-exp). The KL of a level is closed-form when both
 * families allow it (`analyticKl`, default), a Monte Carlo term otherwise.
 *
 * Free bits (Kingma, Salimans, Jozefowicz, Chen, Sutskever, Welling 2016,
 * "Improved variational inference with inverse autoregressive flow", eq. 15;
 * seed 001): with λ_l nats for latent l, the loss is
 *   −E[log p(x | z)] + Σ_l β_l · max(λ_l, KL̄_l),
 * KL̄_l the latent's KL term (summed over its dimensions) averaged over the k
 * samples and the minibatch. Below λ_l the KL term exerts no pull, so the
 * latent is not driven to the prior (posterior collapse); the group is the
 * whole latent. The reported bound stays the plain ELBO per data point.
 *
 * Discrete latents sampled by the score function (the trace's
 * `scoreFunction` latents) get REINFORCE (Williams 1992) with a moving-average
 * baseline (Mnih and Gregor 2014): the loss adds −mean(sg(f − b) · Σ log q),
 * f the per-sample ELBO terms, so its gradient is the unbiased estimate
 * E[(f − b) ∇ log q + ∇ f] (score-function.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { Trace, TraceOptions } from '../../backend/compile/trace.js';
import type { IrModel } from '../../ir/ir.js';
import type { Betas, Estimate, GradientEstimator, Objective, ObjectiveOptions } from './objective.js';
import { MovingAverageBaseline, reinforceTerm, scoreFunctionLogQ } from './score-function.js';
import { checkGuideExists, refuseOptions, resolveCommonOptions } from './validate-options.js';
import { UserError } from '../../util/user-error.js';

export class VaeObjective implements Objective {
  readonly name = 'vae';
  readonly k: number;
  readonly estimator: GradientEstimator;
  readonly analyticKl: boolean;
  /** λ per latent; empty when free bits are off. */
  readonly freeBits: ReadonlyMap<string, number>;
  /** REINFORCE trains score-function latents. */
  readonly scoreFunction = true;
  /** The REINFORCE baseline, updated after each step. */
  readonly baseline: MovingAverageBaseline;

  constructor(options: ObjectiveOptions = {}) {
    ({ k: this.k, estimator: this.estimator } = resolveCommonOptions('VaeObjective', options, 1));
    refuseOptions('vae', options, ['m', 'beta', 'betaInit']);
    if (this.estimator === 'dreg') {
      throw new UserError("vae: the dreg estimator is for the importance-weighted objectives; on the ELBO its weights are all 1/k and it is sticking the landing: use --estimator stl");
    }
    this.analyticKl = options.analyticKl ?? true;
    this.baseline = options.baseline ?? new MovingAverageBaseline();
    this.freeBits = new Map(Object.entries(options.freeBits ?? {}));
    for (const [latent, lambda] of this.freeBits) {
      if (typeof lambda !== 'number' || !Number.isFinite(lambda) || lambda < 0) throw new UserError(`vae: free bits for '${latent}' must be a non-negative number of nats, but got ${String(lambda)}`);
    }
  }

  validate(model: IrModel, guide: string): void {
    checkGuideExists('vae', model, guide);
    const latents = model.latents.map((l) => l.name);
    const unknown = [...this.freeBits.keys()].filter((l) => !latents.includes(l));
    if (unknown.length > 0) throw new UserError(`vae: free bits for unknown latent ${unknown.map((u) => `'${u}'`).join(', ')}; the model has ${latents.join(', ')}`);
  }

  traceOptions(guide: string, seed: number): TraceOptions {
    return { k: this.k, guide, seed, stickingTheLanding: this.estimator === 'stl', analyticKl: this.analyticKl };
  }

  /** Per-sample ELBO terms `[k, batch]`: Σ log p(x|...) + Σ_l β_l (−KL_l or log p_l − log q_l), leaving out the latents in `without`. */
  elboTerms(trace: Trace, betas: Betas, without: ReadonlySet<string> = new Set()): Tensor {
    return tf.tidy(() => {
      let total: Tensor = tf.zeros([trace.k, trace.batch]);
      for (const logP of trace.observed.values()) total = tf.add(total, logP);
      for (const term of trace.latents) {
        if (without.has(term.name)) continue;
        const beta = betas.get(term.name) ?? 1;
        const value = term.kl ? tf.neg(term.kl) : tf.sub(term.logP, term.logQ);
        total = tf.add(total, beta === 1 ? value : tf.mul(value, beta));
      }
      return total;
    });
  }

  /** The baseline follows the ELBO, the mean learning signal. */
  afterStep(bound: number): void {
    this.baseline.update(bound);
  }

  estimate(trace: Trace, betas: Betas): Estimate {
    return tf.tidy(() => {
      const terms = this.elboTerms(trace, betas);
      const bound = tf.mean(terms, 0);
      const scoreLogQ = scoreFunctionLogQ(trace);
      if (scoreLogQ && this.freeBits.size > 0) {
        throw new UserError('vae: free bits change the loss away from the ELBO, whose REINFORCE estimate the discrete latents use: drop --free-bits, or relax them (--discrete NAME:relaxed)');
      }
      if (scoreLogQ) return { loss: tf.neg(tf.add(tf.mean(bound), reinforceTerm(terms, scoreLogQ, this.baseline.value))) as Scalar, bound };
      if (this.freeBits.size === 0) return { loss: tf.neg(tf.mean(bound)) as Scalar, bound };
      // The ELBO's loss with each free-bits latent's mean KL term replaced by max(λ, that mean).
      let loss: Tensor = tf.neg(tf.mean(this.elboTerms(trace, betas, new Set(this.freeBits.keys()))));
      for (const term of trace.latents) {
        const lambda = this.freeBits.get(term.name);
        if (lambda === undefined) continue;
        const kl = tf.mean(term.kl ?? tf.sub(term.logQ, term.logP));
        loss = tf.add(loss, tf.mul(tf.maximum(kl, lambda), betas.get(term.name) ?? 1));
      }
      return { loss: loss as Scalar, bound };
    });
  }
}

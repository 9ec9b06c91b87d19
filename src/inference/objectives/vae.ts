/**
 * VAE: the evidence lower bound (Kingma & Welling 2014)
 *   ELBO = E_q[ log p(x | z) ] − Σ_l E_q[ KL(q(z_l | ...) || p(z_l | parents)) ],
 * averaged over k samples (Burda et al.'s VAE-k: the mean of the log-weights,
 * not their log-mean-exp). The KL of a level is closed-form when both
 * families allow it (`analyticKl`, default), a Monte Carlo term otherwise.
 */
import * as tf from '@tensorflow/tfjs';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { Trace, TraceOptions } from '../../backend/compile/trace.js';
import type { IrModel } from '../../ir/ir.js';
import type { Betas, Estimate, GradientEstimator, Objective, ObjectiveOptions } from './objective.js';
import { refuseOptions, resolveCommonOptions } from './validate-options.js';
import { UserError } from '../../util/user-error.js';

export class VaeObjective implements Objective {
  readonly name = 'vae';
  readonly k: number;
  readonly estimator: GradientEstimator;
  readonly analyticKl: boolean;

  constructor(options: ObjectiveOptions = {}) {
    ({ k: this.k, estimator: this.estimator } = resolveCommonOptions('VaeObjective', options, 1));
    refuseOptions('vae', options, ['m', 'beta']);
    this.analyticKl = options.analyticKl ?? true;
  }

  validate(model: IrModel, guide: string): void {
    if (!model.guides.some((g) => g.name === guide)) throw new UserError(`vae: the model has no guide '${guide}'`);
  }

  traceOptions(guide: string, seed: number): TraceOptions {
    return { k: this.k, guide, seed, stickingTheLanding: this.estimator === 'stl', analyticKl: this.analyticKl };
  }

  /** Per-sample ELBO terms `[k, batch]`: Σ log p(x|...) + Σ_l β_l (−KL_l or log p_l − log q_l). */
  elboTerms(trace: Trace, betas: Betas): Tensor {
    return tf.tidy(() => {
      let total: Tensor = tf.zeros([trace.k, trace.batch]);
      for (const logP of trace.observed.values()) total = tf.add(total, logP);
      for (const term of trace.latents) {
        const beta = betas.get(term.name) ?? 1;
        const value = term.kl ? tf.neg(term.kl) : tf.sub(term.logP, term.logQ);
        total = tf.add(total, beta === 1 ? value : tf.mul(value, beta));
      }
      return total;
    });
  }

  estimate(trace: Trace, betas: Betas): Estimate {
    return tf.tidy(() => {
      const bound = tf.mean(this.elboTerms(trace, betas), 0);
      return { loss: tf.neg(tf.mean(bound)) as Scalar, bound };
    });
  }
}

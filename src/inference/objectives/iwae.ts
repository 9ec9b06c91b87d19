/**
 * IWAE: the importance-weighted bound (Burda et al. 2016)
 *   L_k = E[ log (1/k) Σ_i w_i ],  w_i = p(x, z_i) / q(z_i | x),  z_i ~ q(z | x),
 * computed in log space as logSumExp(log w) − log k. log p(x) >= L_{k+1} >= L_k >= L_1 = ELBO.
 */
import * as tf from '@tensorflow/tfjs';
import type { Trace, TraceOptions } from '../../backend/compile/trace.js';
import { logMeanExp } from '../../backend/ops/log-mean-exp.js';
import type { IrModel } from '../../ir/ir.js';
import { logWeights } from './log-weights.js';
import type { Betas, Estimate, GradientEstimator, Objective, ObjectiveOptions } from './objective.js';
import { checkGuideExists, refuseOptions, resolveCommonOptions } from './validate-options.js';
import { UserError } from '../../util/user-error.js';

export class IwaeObjective implements Objective {
  readonly name: string = 'iwae';
  readonly k: number;
  readonly estimator: GradientEstimator;

  /**
   * @param variant for the IWAE family's subclasses (miwae, ciwae): their name in messages, their
   *   class for option errors, and the objective-specific options they own (the others are refused)
   */
  constructor(options: ObjectiveOptions = {}, variant: { name: string; label: string; owns: readonly ('m' | 'beta')[] } = { name: 'iwae', label: 'IwaeObjective', owns: [] }) {
    ({ k: this.k, estimator: this.estimator } = resolveCommonOptions(variant.label, options, 10));
    refuseOptions(variant.name, options, (['m', 'beta', 'freeBits'] as const).filter((o) => !(variant.owns as readonly string[]).includes(o)));
    if (options.analyticKl) throw new UserError(`${variant.label}: analyticKl applies only to the vae objective; the importance weights need log q of each sample`);
  }

  validate(model: IrModel, guide: string): void {
    checkGuideExists(this.name, model, guide);
  }

  traceOptions(guide: string, seed: number): TraceOptions {
    return { k: this.k, guide, seed, stickingTheLanding: this.estimator === 'stl' };
  }

  estimate(trace: Trace, betas: Betas): Estimate {
    return tf.tidy(() => {
      const bound = logMeanExp(logWeights(trace, betas), 0);
      return { loss: tf.neg(tf.mean(bound)) as tf.Scalar, bound };
    });
  }
}

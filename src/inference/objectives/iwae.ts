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
import { refuseOptions, resolveCommonOptions } from './validate-options.js';
import { UserError } from '../../util/user-error.js';

export class IwaeObjective implements Objective {
  readonly name: string = 'iwae';
  readonly k: number;
  readonly estimator: GradientEstimator;

  constructor(options: ObjectiveOptions = {}) {
    ({ k: this.k, estimator: this.estimator } = resolveCommonOptions('IwaeObjective', options, 10));
    refuseOptions('iwae', options, ['m', 'beta', 'freeBits']);
    if (options.analyticKl) throw new UserError('IwaeObjective: analyticKl applies only to the vae objective; the importance weights need log q of each sample');
  }

  validate(model: IrModel, guide: string): void {
    if (!model.guides.some((g) => g.name === guide)) throw new UserError(`${this.name}: the model has no guide '${guide}'`);
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

/**
 * PIWAE(M, L): the partially importance-weighted auto-encoder (Rainforth,
 * Kosiorek, Le, Maddison, Igl, Wood, Teh 2018, "Tighter variational bounds
 * are not necessarily better", sec. 4; seed 002). One set of M·L samples per
 * data point trains the two parameter groups on different bounds:
 *
 *   model θ:  IWAE_{M·L} = log (1/(M·L)) Σ_{m,l} w_{m,l}          (tight: a better model gradient)
 *   guide φ:  MIWAE_{M,L} = (1/M) Σ_m log (1/L) Σ_l w_{m,l}       (looser: a higher guide SNR)
 *
 * with two optimizers. M = 1 is IWAE-L for both groups. The budget rule is
 * MIWAE's: `m` is M and `k` is L, the samples in each of the guide's bounds,
 * so a step draws M·L samples and the model's bound is IWAE over all of them
 * (the paper's PIWAE(M, L) with K = M·L). The reported bound is the model's.
 * `estimator: 'dreg'` gives the guide the DReG estimate of MIWAE's gradient
 * (within each of the M bounds), `stl` sticks the landing.
 */
import * as tf from '@tensorflow/tfjs';
import type { Trace } from '../../backend/compile/trace.js';
import { logMeanExp } from '../../backend/ops/log-mean-exp.js';
import { logWeights } from './log-weights.js';
import { MiwaeObjective } from './miwae.js';
import type { Betas, Estimate, ObjectiveOptions } from './objective.js';

export class PiwaeObjective extends MiwaeObjective {
  override readonly name = 'piwae';

  constructor(options: ObjectiveOptions = {}) {
    super(options, { name: 'piwae', label: 'PiwaeObjective', owns: ['m'] });
  }

  /** Always two losses and two optimizers, whatever the estimator. */
  override get separateGroups(): boolean {
    return true;
  }

  /**
   * Two passes: the guide's weight (w̃ within a bound)² / M can exceed the model's w̃ over all M·L samples by
   * far, so the one-pass form's ratio c/a would lose guide gradient where a underflows (dreg.ts).
   */
  override get jointGroups(): boolean {
    return false;
  }

  override estimate(trace: Trace, betas: Betas): Estimate {
    return tf.tidy(() => {
      const logW = logWeights(trace, betas); // [M·L, batch]
      const bound = logMeanExp(logW, 0);
      const modelLoss = tf.neg(tf.mean(bound)) as tf.Scalar;
      const guideObjective = this.estimator === 'dreg' ? this.dregGuideSurrogate(logW) : this.boundOf(logW);
      return { loss: modelLoss, bound, groupLosses: { model: modelLoss, guide: tf.neg(tf.mean(guideObjective)) as tf.Scalar } };
    });
  }
}

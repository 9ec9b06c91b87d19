/**
 * MIWAE(M, K): the average of M independent IWAE-K bounds (Rainforth,
 * Kosiorek, Le, Maddison, Igl, Wood, Teh 2018, "Tighter variational bounds
 * are not necessarily better", eq. 7; seed 002):
 *
 *   MIWAE_{M,K} = (1/M) Σ_m log (1/K) Σ_k w_{m,k},   w_{m,k} = p(x, z_{m,k}) / q(z_{m,k} | x),
 *
 * from M·K samples per data point. M = 1 is IWAE-K; K = 1 is the ELBO
 * averaged over M samples. For the same M·K samples MIWAE_{M,K} ≤ IWAE_{MK}
 * (Jensen, log is concave), but its guide gradient has a higher
 * signal-to-noise ratio (seed 002 sec. 3).
 *
 * The budget rule: `k` is the samples per IWAE bound (K) and `m` the number
 * of bounds (M), both given; a step draws M·K samples per data point.
 */
import * as tf from '@tensorflow/tfjs';
import type { Trace, TraceOptions } from '../../backend/compile/trace.js';
import { logMeanExp } from '../../backend/ops/log-mean-exp.js';
import { IwaeObjective } from './iwae.js';
import { logWeights } from './log-weights.js';
import type { Betas, Estimate, ObjectiveOptions } from './objective.js';
import { UserError } from '../../util/user-error.js';

export class MiwaeObjective extends IwaeObjective {
  override readonly name = 'miwae';
  /** M: independent IWAE bounds averaged (`k` is K, the samples in each). */
  readonly m: number;

  constructor(options: ObjectiveOptions = {}) {
    super(options, { name: 'miwae', label: 'MiwaeObjective', owns: ['m'] });
    const m = options.m;
    if (m === undefined) throw new UserError('miwae: give m, the number of independent IWAE bounds, and k, the samples in each (m: 8, k: 8 draws 64 samples per data point)');
    if (!Number.isInteger(m) || m < 1) throw new UserError(`miwae: m must be a positive integer, but got ${String(m)}`);
    this.m = m;
  }

  override traceOptions(guide: string, seed: number): TraceOptions {
    return { ...super.traceOptions(guide, seed), k: this.m * this.k };
  }

  /** Particle rows m·K ... m·K + K − 1 of the trace form bound m (the rows are i.i.d., any split is one). */
  override estimate(trace: Trace, betas: Betas): Estimate {
    return tf.tidy(() => {
      const logW = logWeights(trace, betas); // [M·K, batch]
      const grouped = tf.reshape(logW, [this.m, this.k, logW.shape[1]!]);
      const bound = tf.mean(logMeanExp(grouped, 1), 0);
      return { loss: tf.neg(tf.mean(bound)) as tf.Scalar, bound };
    });
  }
}

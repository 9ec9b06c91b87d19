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
import type { Tensor } from '@tensorflow/tfjs-core';
import type { TraceOptions } from '../../backend/compile/trace.js';
import { logMeanExp } from '../../backend/ops/log-mean-exp.js';
import { dregSurrogate, type DregWeights } from './dreg.js';
import { IwaeObjective, type IwaeVariant } from './iwae.js';
import type { ObjectiveOptions } from './objective.js';
import { UserError } from '../../util/user-error.js';

export class MiwaeObjective extends IwaeObjective {
  override readonly name: string = 'miwae';
  /** M: independent IWAE bounds averaged (`k` is K, the samples in each). */
  readonly m: number;

  constructor(options: ObjectiveOptions = {}, variant: IwaeVariant = { name: 'miwae', label: 'MiwaeObjective', owns: ['m'] }) {
    super(options, variant);
    const m = options.m;
    if (m === undefined) throw new UserError(`${variant.name}: give m, the number of independent IWAE bounds, and k, the samples in each (m: 8, k: 8 draws 64 samples per data point)`);
    if (!Number.isInteger(m) || m < 1) throw new UserError(`${variant.name}: m must be a positive integer, but got ${String(m)}`);
    this.m = m;
  }

  override traceOptions(guide: string, seed: number, pass?: 'all' | 'model' | 'guide'): TraceOptions {
    return { ...super.traceOptions(guide, seed, pass), k: this.m * this.k };
  }

  /** Particle rows m·K ... m·K + K − 1 of the trace form bound m (the rows are i.i.d., any split is one). */
  protected override boundOf(logW: Tensor): Tensor {
    return tf.mean(logMeanExp(this.grouped(logW), 1), 0);
  }

  /** (1/M) Σ_m of each bound's DReG surrogate, its weights normalized within the bound. */
  protected override dregGuideSurrogate(logW: Tensor): Tensor {
    return tf.mean(dregSurrogate(this.grouped(logW), 1), 0);
  }

  /** a = w̃/M and c = w̃²/M, w̃ normalized within each of the M bounds, back in the trace's `[M·K, batch]`. */
  protected override dregWeights(logW: Tensor): DregWeights {
    const grouped = this.grouped(logW);
    const normalized = tf.exp(tf.sub(grouped, tf.logSumExp(grouped, 1, true)));
    return { model: tf.reshape(tf.div(normalized, this.m), logW.shape), guide: tf.reshape(tf.div(tf.square(normalized), this.m), logW.shape) };
  }

  /** `[M·K, batch]` as `[M, K, batch]`. */
  private grouped(logW: Tensor): Tensor {
    return tf.reshape(logW, [this.m, logW.shape[0]! / this.m, logW.shape[1]!]);
  }
}

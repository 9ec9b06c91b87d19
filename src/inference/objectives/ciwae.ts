/**
 * CIWAE(β): a convex combination of the ELBO and the IWAE bound on the same
 * K samples (Rainforth et al. 2018, eq. 6; seed 002):
 *
 *   CIWAE_β = β · (1/K) Σ_k log w_k + (1 − β) · log (1/K) Σ_k w_k,   β ∈ [0, 1].
 *
 * β = 0 is IWAE-K, β = 1 the ELBO averaged over K samples ("VAE-K"); for the
 * same samples ELBO ≤ CIWAE_β ≤ IWAE_K, so it is a lower bound on log p(x).
 * β is fixed (`beta: 0.5`) or learned (`beta: 'learn'`, seed 002 sec. 3.7):
 * β = σ(b), b stepped after each step on the loss's exact gradient
 * β(1 − β)·mean(IWAE − ELBO) (learned-beta.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { logMeanExp } from '../../backend/ops/log-mean-exp.js';
import { dregSurrogate, type DregWeights } from './dreg.js';
import { IwaeObjective } from './iwae.js';
import { LearnedBeta } from './learned-beta.js';
import type { ObjectiveOptions } from './objective.js';
import { UserError } from '../../util/user-error.js';

/** The statistic a learned β is stepped on: the batch mean of IWAE_K − ELBO_K. */
const GAP = 'iwaeMinusElbo';

export class CiwaeObjective extends IwaeObjective {
  override readonly name = 'ciwae';
  /** The learned β when `beta: 'learn'` (shared with the caller, which keeps it across calls); undefined when β is fixed. */
  readonly learnedBeta: LearnedBeta | undefined;
  private readonly fixedBeta: number;
  private readonly betaLearningRate: number;

  constructor(options: ObjectiveOptions = {}) {
    super(options, { name: 'ciwae', label: 'CiwaeObjective', owns: ['beta', 'betaInit'] });
    const beta = options.beta ?? 0.5;
    if (beta === 'learn') {
      this.learnedBeta = options.learnedBeta ?? new LearnedBeta(options.betaInit ?? 0.5);
      this.fixedBeta = Number.NaN;
    } else {
      if (typeof beta !== 'number' || !(beta >= 0 && beta <= 1)) throw new UserError(`ciwae: beta must be a number in [0, 1] (the ELBO's weight) or 'learn', but got ${String(beta)}`);
      if (options.betaInit !== undefined) throw new UserError(`ciwae: betaInit is the initial value of a learned beta; give beta: 'learn' with it, or drop it (beta is fixed at ${beta})`);
      this.learnedBeta = undefined;
      this.fixedBeta = beta;
    }
    this.betaLearningRate = options.learningRate ?? 1e-3;
    if (!(this.betaLearningRate > 0)) throw new UserError(`ciwae: the learning rate of beta must be positive, but got ${this.betaLearningRate}`);
  }

  /** The ELBO's weight this step: the fixed β, or the learned one's current value. */
  get beta(): number {
    return this.learnedBeta?.value ?? this.fixedBeta;
  }

  /** With a learned β: the batch mean of IWAE_K − ELBO_K, the loss's gradient in β(1 − β) units (detached: read back, not differentiated). */
  protected override statisticsOf(logW: Tensor): Record<string, Scalar> | undefined {
    if (!this.learnedBeta) return undefined;
    return { [GAP]: tf.mean(tf.sub(logMeanExp(logW, 0), tf.mean(logW, 0))) as tf.Scalar };
  }

  /** Steps a learned β's logit on the step's bound gap (nothing when β is fixed). */
  afterStep(_bound: number, statistics?: Readonly<Record<string, number>>): void {
    const gap = statistics?.[GAP];
    if (this.learnedBeta && gap !== undefined) this.learnedBeta.update(gap, this.betaLearningRate);
  }

  learned(): Readonly<Record<string, number>> {
    return this.learnedBeta ? { beta: this.learnedBeta.value } : {};
  }

  protected override boundOf(logW: Tensor): Tensor {
    const beta = this.beta;
    return tf.add(tf.mul(tf.mean(logW, 0), beta), tf.mul(logMeanExp(logW, 0), 1 - beta));
  }

  /** a = β/K + (1 − β)·w̃ and c = β/K + (1 − β)·w̃² (c ≤ a): STL's weights for the ELBO part, DReG's for the IWAE part. */
  protected override dregWeights(logW: Tensor): DregWeights {
    const beta = this.beta;
    const normalized = tf.exp(tf.sub(logW, tf.logSumExp(logW, 0, true)));
    const elbo = beta / logW.shape[0]!;
    return { model: tf.add(tf.mul(normalized, 1 - beta), elbo), guide: tf.add(tf.mul(tf.square(normalized), 1 - beta), elbo) };
  }

  /** β·(mean of log w) on the detached-φ trace is STL for the ELBO part; DReG for the IWAE part. */
  protected override dregGuideSurrogate(logW: Tensor): Tensor {
    const beta = this.beta;
    return tf.add(tf.mul(tf.mean(logW, 0), beta), tf.mul(dregSurrogate(logW, 0), 1 - beta));
  }
}

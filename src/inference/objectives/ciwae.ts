/**
 * CIWAE(β): a convex combination of the ELBO and the IWAE bound on the same
 * K samples (Rainforth et al. 2018, eq. 6; seed 002):
 *
 *   CIWAE_β = β · (1/K) Σ_k log w_k + (1 − β) · log (1/K) Σ_k w_k,   β ∈ [0, 1].
 *
 * β = 0 is IWAE-K, β = 1 the ELBO averaged over K samples ("VAE-K"); for the
 * same samples ELBO ≤ CIWAE_β ≤ IWAE_K, so it is a lower bound on log p(x).
 * β is fixed (`beta: 0.5`); seed 002 sec. 3.7's learnable β is future work
 * (issue 10).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs-core';
import { logMeanExp } from '../../backend/ops/log-mean-exp.js';
import { dregSurrogate } from './dreg.js';
import { IwaeObjective } from './iwae.js';
import type { ObjectiveOptions } from './objective.js';
import { UserError } from '../../util/user-error.js';

export class CiwaeObjective extends IwaeObjective {
  override readonly name = 'ciwae';
  /** The weight of the ELBO in the combination, in [0, 1]. */
  readonly beta: number;

  constructor(options: ObjectiveOptions = {}) {
    super(options, { name: 'ciwae', label: 'CiwaeObjective', owns: ['beta'] });
    const beta = options.beta ?? 0.5;
    if (typeof beta !== 'number' || !(beta >= 0 && beta <= 1)) throw new UserError(`ciwae: beta must be a number in [0, 1] (the ELBO's weight), but got ${String(beta)}`);
    this.beta = beta;
  }

  protected override boundOf(logW: Tensor): Tensor {
    return tf.add(tf.mul(tf.mean(logW, 0), this.beta), tf.mul(logMeanExp(logW, 0), 1 - this.beta));
  }

  /** β·(mean of log w) on the detached-φ trace is STL for the ELBO part; DReG for the IWAE part. */
  protected override dregGuideSurrogate(logW: Tensor): Tensor {
    return tf.add(tf.mul(tf.mean(logW, 0), this.beta), tf.mul(dregSurrogate(logW, 0), 1 - this.beta));
  }
}

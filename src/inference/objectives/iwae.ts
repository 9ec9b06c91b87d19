/**
 * IWAE: the importance-weighted bound (Burda et al. 2016)
 *   L_k = E[ log (1/k) Σ_i w_i ],  w_i = p(x, z_i) / q(z_i | x),  z_i ~ q(z | x),
 * computed in log space as logSumExp(log w) − log k. log p(x) >= L_{k+1} >= L_k >= L_1 = ELBO.
 *
 * The base of the family (tdiwae, miwae, ciwae, piwae): a subclass changes
 * `boundOf` (and `dregGuideSurrogate`) and inherits the estimators.
 */
import * as tf from '@tensorflow/tfjs';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { Trace, TraceOptions } from '../../backend/compile/trace.js';
import { logMeanExp } from '../../backend/ops/log-mean-exp.js';
import type { IrModel } from '../../ir/ir.js';
import { dregJointLoss, dregSurrogate, guideIsReparameterized, refuseDregOnDirectGuideParameters, type DregWeights } from './dreg.js';
import { stopGradient } from '../../backend/ops/stop-gradient.js';
import { logWeights } from './log-weights.js';
import type { Betas, Estimate, GradientEstimator, Objective, ObjectiveOptions } from './objective.js';
import { checkGuideExists, refuseOptions, resolveCommonOptions } from './validate-options.js';
import { UserError } from '../../util/user-error.js';

/** What a subclass of the IWAE family tells its constructor. */
export interface IwaeVariant {
  readonly name: string;
  /** The class name, for option errors. */
  readonly label: string;
  /** The objective-specific options it takes (the others are refused). */
  readonly owns: readonly ('m' | 'beta' | 'betaInit')[];
}

export class IwaeObjective implements Objective {
  readonly name: string = 'iwae';
  readonly k: number;
  readonly estimator: GradientEstimator;

  /**
   * @param variant for the IWAE family's subclasses (miwae, ciwae): their name in messages, their
   *   class for option errors, and the objective-specific options they own (the others are refused)
   */
  constructor(options: ObjectiveOptions = {}, variant: IwaeVariant = { name: 'iwae', label: 'IwaeObjective', owns: [] }) {
    ({ k: this.k, estimator: this.estimator } = resolveCommonOptions(variant.label, options, 10));
    refuseOptions(variant.name, options, (['m', 'beta', 'betaInit', 'freeBits'] as const).filter((o) => !(variant.owns as readonly string[]).includes(o)));
    if (options.analyticKl) throw new UserError(`${variant.label}: analyticKl applies only to the vae objective; the importance weights need log q of each sample`);
  }

  /** Set by `validate`: the guide's latents are all reparameterized, so DReG can run in one pass. */
  private reparameterizedGuide = false;

  validate(model: IrModel, guide: string): void {
    checkGuideExists(this.name, model, guide);
    if (this.estimator === 'dreg') refuseDregOnDirectGuideParameters(this.name, model, guide);
    this.reparameterizedGuide = guideIsReparameterized(model, guide);
  }

  /** DReG trains the guide on its own surrogate (dreg.ts), the model on the bound: two losses. */
  get separateGroups(): boolean {
    return this.estimator === 'dreg';
  }

  /**
   * DReG's two losses in one backward pass (dreg.ts, `dregJointLoss`) on a validated model whose guide
   * samples only reparameterized latents; a guide with discrete latents keeps two passes.
   */
  get jointGroups(): boolean {
    return this.estimator === 'dreg' && this.reparameterizedGuide;
  }

  /**
   * STL and DReG both score log q with the guide's parameters detached; a model-only pass does not need
   * it (the same samples and values, without re-evaluating the guide's parameters).
   */
  traceOptions(guide: string, seed: number, pass: 'all' | 'model' | 'guide' = 'all'): TraceOptions {
    return { k: this.k, guide, seed, stickingTheLanding: this.estimator !== 'reparam' && pass !== 'model' };
  }

  estimate(trace: Trace, betas: Betas): Estimate {
    return tf.tidy(() => {
      const logW = logWeights(trace, betas);
      const bound = this.boundOf(logW);
      const loss = tf.neg(tf.mean(bound)) as tf.Scalar;
      const statistics = this.statisticsOf(logW);
      const extra = statistics ? { statistics } : {};
      if (this.estimator !== 'dreg') return { loss, bound, ...extra };
      const groupLosses = { model: loss, guide: tf.neg(tf.mean(this.dregGuideSurrogate(logW))) as tf.Scalar };
      const scale = trace.sampleGradientScale;
      return { loss, bound, groupLosses, ...(scale ? { jointLoss: dregJointLoss(logW, this.dregWeights(stopGradient(logW)), scale) } : {}), ...extra };
    });
  }

  /**
   * The per-sample weights of the two gradients, `[samples, batch]` each, from detached log-weights:
   * `model` a_i = ∂ bound/∂ log w_i (IWAE: w̃_i) and `guide` c_i, DReG's weight on
   * ∂ log w_i/∂z_i ∂z_i/∂φ (IWAE: w̃_i²). A subclass's pair must match its `boundOf` and
   * `dregGuideSurrogate`, and needs c_i ≤ a_i wherever a_i underflows (dreg.ts).
   */
  protected dregWeights(logW: Tensor): DregWeights {
    const normalized = tf.exp(tf.sub(logW, tf.logSumExp(logW, 0, true)));
    return { model: normalized, guide: tf.square(normalized) };
  }

  /** Scalars from log-weights `[samples, batch]` that `afterStep` receives (none here). */
  protected statisticsOf(_logW: Tensor): Record<string, Scalar> | undefined {
    return undefined;
  }

  /** The bound per data point from log-weights `[samples, batch]`: here log (1/k) Σ_i w_i. */
  protected boundOf(logW: Tensor): Tensor {
    return logMeanExp(logW, 0);
  }

  /** The guide's DReG surrogate per data point (its φ-gradient is the DReG estimate of the bound's). */
  protected dregGuideSurrogate(logW: Tensor): Tensor {
    return dregSurrogate(logW, 0);
  }
}

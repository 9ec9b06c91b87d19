/**
 * One joint evaluation of guide and model on a batch: k reparameterized
 * samples per data point from the guide, and every log-density term the
 * objectives need, each `[k, batch]`.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { SampleGradientScale } from '../ops/sample-gradient-scale.js';

/** Terms of one latent variable z_l. */
export interface LatentTerm {
  readonly name: string;
  /** log p(z_l | parents) under the model, `[k, batch]`. */
  readonly logP: tf.Tensor;
  /** log q(z_l | ...) under the guide, `[k, batch]` (guide parameters detached when sticking the landing). */
  readonly logQ: tf.Tensor;
  /** KL(q(z_l | ...) || p(z_l | parents)) in closed form, `[k, batch]`, when requested and available. */
  readonly kl?: tf.Tensor;
  /**
   * True for a discrete latent sampled without a pathwise gradient (mode `score`): the objective must
   * add a score-function term Σ sg(learning signal) · logQ (REINFORCE, VIMCO) for the guide's gradient.
   */
  readonly scoreFunction?: boolean;
}

export interface Trace {
  readonly k: number;
  readonly batch: number;
  /** Latent terms in the model's order (parents first). */
  readonly latents: readonly LatentTerm[];
  /** log p(x | ...) for each observed variable, `[k, batch]`. */
  readonly observed: ReadonlyMap<string, tf.Tensor>;
  /** The guide's samples, `[k, batch, d]` per latent. */
  readonly samples: ReadonlyMap<string, tf.Tensor>;
  /** Distribution parameters of the guide per latent (e.g. loc, scale), broadcast to `[k, batch, d]`; for a flow, its base's. */
  readonly guideParams: ReadonlyMap<string, Readonly<Record<string, tf.Tensor>>>;
  /** The options' `sampleGradientScale`, for the objective to set its factor. */
  readonly sampleGradientScale?: SampleGradientScale;
}

export interface TraceOptions {
  /** Number of importance samples per data point (k >= 1). */
  readonly k: number;
  /** Which guide to sample from; the model's default guide when omitted. */
  readonly guide?: string;
  /** Seed of the guide's noise; 0 is a seed like any other. */
  readonly seed?: number;
  /** Sticking the landing (Roeder et al. 2017): evaluate log q with the guide's parameters detached. */
  readonly stickingTheLanding?: boolean;
  /** Also compute closed-form KL terms where the guide and model families allow it. */
  readonly analyticKl?: boolean;
  /** How each discrete latent (Bernoulli, Categorical, OneHotCategorical) is sampled; `score` where absent. */
  readonly discrete?: Readonly<Record<string, DiscreteMode>>;
  /** Temperature λ of each `relaxed` or `straight-through` latent (default 1). */
  readonly temperatures?: Readonly<Record<string, number>>;
  /**
   * Values to use instead of sampling, `[k, batch, d]` per latent (exact enumeration): log q and log p are
   * scored at them, and a discrete one is treated as `score`.
   */
  readonly values?: ReadonlyMap<string, tf.Tensor>;
  /**
   * A gradient scale applied to each sample where it enters log p and log q (not where it feeds the guide's
   * later statements), so that one backward pass can give the guide a differently weighted gradient (DReG
   * in one pass; sample-gradient-scale.ts). Needs `stickingTheLanding` and reparameterized, unflowed latents.
   */
  readonly sampleGradientScale?: SampleGradientScale;
}

/**
 * How a guide samples a discrete latent:
 * - `score`: exact discrete samples with no pathwise gradient; the objective adds a score-function term
 *   (REINFORCE for `vae`, VIMCO for `vimco`). Unbiased.
 * - `relaxed`: Concrete / binary Concrete samples at temperature λ, scored with the relaxed densities in
 *   both q and p (Maddison et al. 2017; Jang et al. 2017). Reparameterized; a bound on the relaxed model.
 * - `straight-through`: discrete samples in the forward pass, the relaxed sample's gradient in the
 *   backward pass, discrete densities in q and p (Jang et al. 2017). Biased.
 */
export type DiscreteMode = 'score' | 'relaxed' | 'straight-through';
export const DISCRETE_MODES: readonly DiscreteMode[] = ['score', 'relaxed', 'straight-through'];

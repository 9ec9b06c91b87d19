/**
 * One draw of an objective's gradient estimator: the gradient of every
 * parameter on a fixed minibatch with one noise seed, exactly as a training
 * step computes it (model parameters from the model's loss and guide
 * parameters from the guide's when the objective trains them apart), without
 * clipping or an optimizer. Repeated over seeds it gives the estimator's
 * mean and spread (gradient SNR, unbiasedness tests).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { CompiledModel } from '../backend/compile/compiled-model.js';
import type { Betas, Objective } from './objectives/objective.js';
import { gradientPasses, passGradients, tracePass, type StepOptions } from './train-step.js';

export interface GradientDrawOptions {
  readonly guide: string;
  readonly seed: number;
  readonly betas?: Betas;
  /** Modes and temperatures of discrete latents, as a training step takes them. */
  readonly trace?: StepOptions['trace'];
  /** One pass per parameter group even where the objective has a joint pass (to test one against the other). */
  readonly separatePasses?: boolean;
}

/**
 * @param batch observed variables, `[batch, d]` each
 * @returns the gradient by Strata parameter name (the caller disposes the tensors)
 */
export function estimatorGradients(model: CompiledModel, objective: Objective, batch: Readonly<Record<string, Tensor>>, options: GradientDrawOptions): Map<string, Tensor> {
  const strataName = new Map([...model.variables].map(([name, v]) => [v.name, name]));
  const out = new Map<string, Tensor>();
  for (const pass of gradientPasses(model, objective, options.separatePasses)) {
    const grads = tf.tidy(() => {
      const { value, grads } = passGradients(pass, (scale) => pass.select(objective.estimate(tracePass(model, objective, batch, pass, options, scale), options.betas ?? new Map())));
      value.dispose();
      return pass.vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
    });
    pass.vars.forEach((v, i) => out.set(strataName.get(v.name)!, grads[i]!));
  }
  return out;
}

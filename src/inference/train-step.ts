/**
 * One optimizer step: a single `tf.tidy` computes the loss, the gradients,
 * their global norm and the clipped gradients; values are read outside it;
 * a non-finite loss or gradient stops training with the step named.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensorMap, Optimizer, Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import { UserError } from '../util/user-error.js';
import type { CompiledModel } from '../backend/compile/compiled-model.js';
import type { Trace, TraceOptions } from '../backend/compile/trace.js';
import { SampleGradientScale } from '../backend/ops/sample-gradient-scale.js';
import { clipByGlobalNorm, globalNorm } from './clip.js';
import type { Betas, Estimate, Objective } from './objectives/objective.js';

/** Thrown when a loss or gradient is NaN or infinite. */
export class NonFiniteError extends UserError {
  constructor(
    message: string,
    readonly step: number,
  ) {
    super(message);
    this.name = 'NonFiniteError';
  }
}

export interface StepResult {
  readonly loss: number;
  /** Mean bound over the batch. */
  readonly bound: number;
  readonly gradNorm: number;
  /** Mean of log p(z_l | ...) − log q(z_l | ...) per latent over samples and batch. */
  readonly terms: Record<string, number>;
  /** Mean of log p(x | ...) per observed variable. */
  readonly observed: Record<string, number>;
  /** The objective's `Estimate.statistics` of the first pass, read (for `Objective.afterStep`). */
  readonly statistics: Record<string, number>;
}

/** One optimizer for all parameters, or one per group for objectives that set `separateGroups`. */
export type Optimizers = { readonly all: Optimizer } | { readonly model: Optimizer; readonly guide: Optimizer };

export interface StepOptions {
  readonly guide: string;
  readonly seed: number;
  readonly betas: Betas;
  readonly clipNorm?: number;
  /** Index of this step, for error messages. */
  readonly step: number;
  /** Modes and temperatures of discrete latents this step (discrete-training.ts). */
  readonly trace?: Pick<TraceOptions, 'discrete' | 'temperatures'>;
}

interface Metrics {
  bound: Tensor;
  terms: Map<string, Tensor>;
  observed: Map<string, Tensor>;
  statistics: Map<string, Tensor>;
}

/** The parameters one backward pass differentiates and the loss it differentiates. */
export interface GradientPass {
  readonly group: 'all' | 'model' | 'guide';
  readonly vars: Variable[];
  readonly select: (e: Estimate) => Scalar;
  /**
   * For a `jointGroups` objective: the one pass over all parameters whose trace carries a
   * `sampleGradientScale` and whose gradients the trainer splits into the model's and the guide's.
   */
  readonly joint?: boolean;
}

/**
 * One pass over all parameters, or for objectives with `separateGroups`
 * either one joint pass (`jointGroups`: DReG on a reparameterized guide) or
 * one pass per group (model, then guide). Separate passes trace again with
 * the same seed, so both see the same samples; the model pass backpropagates
 * through the model's parameters only.
 * @param separate two passes even where the objective could use one (to test one against the other)
 */
export function gradientPasses(model: CompiledModel, objective: Objective, separate = false): GradientPass[] {
  if (!objective.separateGroups) return [{ group: 'all', vars: model.variablesOf('all'), select: (e) => e.loss }];
  if (objective.jointGroups && !separate) {
    const joint = (e: Estimate) => {
      if (!e.jointLoss) throw new Error(`${objective.name} returned no joint loss on a trace with a sample gradient scale`);
      return e.jointLoss;
    };
    return [{ group: 'all', vars: model.variablesOf('all'), select: joint, joint: true }];
  }
  const group = (g: 'model' | 'guide') => (e: Estimate) => {
    if (!e.groupLosses) throw new Error(`${objective.name} returned no per-group losses`);
    return e.groupLosses[g];
  };
  return (['model', 'guide'] as const).map((g) => ({ group: g, vars: model.variablesOf(g), select: group(g) }));
}

/**
 * The trace a pass differentiates: the objective's options for that pass, with the step's discrete-latent
 * modes, and for a joint pass the sample gradient scale `scale` (the caller disposes it after the backward pass).
 */
export function tracePass(model: CompiledModel, objective: Objective, batch: Record<string, Tensor>, pass: GradientPass, options: Pick<StepOptions, 'guide' | 'seed' | 'trace'>, scale?: SampleGradientScale): Trace {
  if (pass.joint && !scale) throw new Error(`${objective.name}: a joint pass needs a sample gradient scale`);
  return model.trace(batch, { ...objective.traceOptions(options.guide, options.seed, pass.group), ...options.trace, ...(pass.joint ? { sampleGradientScale: scale } : {}) });
}

/**
 * `fn(scale)` inside `tf.variableGrads` over `pass.vars`, with a fresh sample gradient scale for a joint
 * pass, freed once the gradients are computed.
 */
export function passGradients(pass: GradientPass, fn: (scale: SampleGradientScale | undefined) => Scalar): { value: Scalar; grads: NamedTensorMap } {
  const scale = pass.joint ? new SampleGradientScale() : undefined;
  try {
    return tf.variableGrads(() => fn(scale), pass.vars);
  } finally {
    scale?.dispose();
  }
}

/** Where a pass's gradients go: one optimizer, or (a joint pass) the model's and the guide's, each clipped apart. */
interface PassUpdate {
  readonly vars: Variable[];
  readonly optimizer: Optimizer;
}

function passes(model: CompiledModel, objective: Objective, optimizers: Optimizers): (GradientPass & { updates: PassUpdate[] })[] {
  const list = gradientPasses(model, objective);
  if ('all' in optimizers) {
    if (objective.separateGroups) throw new Error(`${objective.name} trains model and guide parameters separately: give it { model, guide } optimizers`);
    return list.map((p) => ({ ...p, updates: [{ vars: p.vars, optimizer: optimizers.all }] }));
  }
  if (!objective.separateGroups) throw new Error(`${objective.name} trains all parameters on one loss: give it one optimizer ({ all })`);
  return list.map((p) => ({
    ...p,
    updates: p.joint ? (['model', 'guide'] as const).map((g) => ({ vars: model.variablesOf(g), optimizer: optimizers[g] })) : [{ vars: p.vars, optimizer: optimizers[p.group as 'model' | 'guide'] }],
  }));
}

/** Runs one step on a minibatch `batch` (`[batch, d]` per observed variable). */
export async function trainStep(model: CompiledModel, objective: Objective, optimizers: Optimizers, batch: Record<string, Tensor>, options: StepOptions): Promise<StepResult> {
  let metrics: Metrics | undefined;
  const computed = passes(model, objective, optimizers).map((pass, index) => {
    const tensors = tf.tidy(() => {
      const { value, grads } = passGradients(pass, (scale) => {
        const trace = tracePass(model, objective, batch, pass, options, scale);
        const estimate = objective.estimate(trace, options.betas);
        if (index === 0) {
          metrics = {
            bound: tf.keep(tf.mean(estimate.bound)),
            terms: new Map(trace.latents.map((l) => [l.name, tf.keep(tf.mean(tf.sub(l.logP, l.logQ)))])),
            observed: new Map([...trace.observed].map(([n, t]) => [n, tf.keep(tf.mean(t))])),
            statistics: new Map(Object.entries(estimate.statistics ?? {}).map(([n, t]) => [n, tf.keep(t)])),
          };
        }
        return pass.select(estimate);
      });
      const updates = pass.updates.map((u) => {
        const list = u.vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
        const norm = globalNorm(list);
        const clipped = options.clipNorm !== undefined ? clipByGlobalNorm(list, norm, options.clipNorm) : list;
        return { norm, named: Object.fromEntries(u.vars.map((v, i) => [v.name, clipped[i]!])) as NamedTensorMap };
      });
      return { value, updates };
    });
    return { value: tensors.value, updates: tensors.updates.map((u, i) => ({ ...u, optimizer: pass.updates[i]!.optimizer })) };
  });
  const m = metrics!;
  const read = async (t: Tensor) => (await t.data())[0]!;
  const losses = await Promise.all(computed.map((c) => read(c.value)));
  const applied = computed.flatMap((c) => c.updates);
  const norms = await Promise.all(applied.map((u) => read(u.norm)));
  const bound = await read(m.bound);
  const terms = Object.fromEntries(await Promise.all([...m.terms].map(async ([n, t]) => [n, await read(t)] as const)));
  const observed = Object.fromEntries(await Promise.all([...m.observed].map(async ([n, t]) => [n, await read(t)] as const)));
  const statistics = Object.fromEntries(await Promise.all([...m.statistics].map(async ([n, t]) => [n, await read(t)] as const)));
  const dispose = () => tf.dispose([m.bound, ...m.terms.values(), ...m.observed.values(), ...m.statistics.values(), ...computed.map((c) => c.value), ...applied.flatMap((u) => [u.norm, ...Object.values(u.named)])]);
  const badLoss = losses.find((l) => !Number.isFinite(l));
  const badNorm = norms.find((n) => !Number.isFinite(n));
  if (badLoss !== undefined || badNorm !== undefined) {
    dispose();
    const what = badLoss !== undefined ? `the loss is ${badLoss}` : `the gradient norm is ${badNorm}`;
    throw new NonFiniteError(`training stopped at step ${options.step}: ${what}; lower the learning rate, clip gradients or check the data`, options.step);
  }
  applied.forEach((u) => u.optimizer.applyGradients(u.named));
  dispose();
  const gradNorm = Math.sqrt(norms.reduce((s, n) => s + n * n, 0));
  // With two passes the first is the model's, whose loss is the objective's (−bound); the guide's is a
  // surrogate. A joint pass's loss is a surrogate too: the objective's loss is then −bound.
  const joint = computed.length === 1 && applied.length === 2;
  return { loss: joint ? -bound : losses[0]!, bound, gradNorm, terms, observed, statistics };
}

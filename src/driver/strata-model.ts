/**
 * A compiled Strata model as users hold it: bounds, SIR samples, log-weights
 * and its parameters, on data given as arrays or tensors.
 *
 * Every random quantity is seeded, with seed 0 when `seed` is omitted (as
 * `strata eval` and `strata sample` default `--seed` to 0): the same call
 * twice gives the same numbers. Pass different seeds for independent draws.
 */
import * as tf from '@tensorflow/tfjs';
import type { Optimizer, Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { CompiledModel } from '../backend/compile/compiled-model.js';
import type { IrModel } from '../ir/ir.js';
import { iwaeBound } from '../inference/bound.js';
import type { TrainPosition } from '../inference/train.js';
import { logWeights } from '../inference/objectives/log-weights.js';
import { createObjective, MovingAverageBaseline, type GradientEstimator, type ObjectiveName } from '../inference/objectives/index.js';
import type { LearnedBeta } from '../inference/objectives/learned-beta.js';
import { gradientSnr, type GradientSnr } from '../inference/diagnostics/gradient-snr.js';
import { sampleSir, type SirResult } from '../inference/sir.js';
import { toDataTensors, type DataInput } from './data-input.js';
import { UserError } from '../util/user-error.js';

export interface ParameterValue {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

/** What `gradientSnr` measures: an objective with its options, and how many draws. */
export interface GradientSnrRequest {
  readonly objective?: ObjectiveName;
  readonly k?: number;
  readonly estimator?: GradientEstimator;
  readonly m?: number;
  readonly beta?: number;
  readonly reps: number;
  readonly seed?: number;
  readonly guide?: string;
  readonly onDraw?: (done: number, total: number) => void | Promise<void>;
}

export class StrataModel {
  readonly compiled: CompiledModel;
  /** Adam state carried across `infer` calls on this model (resuming continues it). */
  optimizer?: Optimizer;
  /**
   * Instead of `optimizer`, one Adam per parameter group, for objectives that train model and guide
   * with separate losses (PIWAE, DReG). Both step on every step, so their step counts agree and a
   * checkpoint stores them as one Adam state (Adam is per coordinate: the split is exact).
   */
  groupOptimizers?: { readonly model: Optimizer; readonly guide: Optimizer };
  /** The learning rate `optimizer` (or `groupOptimizers`) was created with. */
  optimizerLearningRate?: number;
  /** How far training has gone: epochs completed and steps into the next (a run resumes here). */
  position: TrainPosition = { epoch: 0, step: 0 };
  /** The REINFORCE baseline of score-function latents under vae, kept across `infer` calls and checkpointed (run.json's `scoreBaseline`). */
  readonly scoreBaseline = new MovingAverageBaseline();
  /** CIWAE's learned β (`beta: 'learn'`), created by the first such `infer` call and kept (and checkpointed) from then on. */
  learnedBeta?: LearnedBeta;

  /**
   * @param ir the checked model
   * @param guide the guide used by default
   * @param seed parameter-initialization seed
   * @param name where the model came from (a file name), for messages
   */
  constructor(
    readonly ir: IrModel,
    readonly guide: string,
    seed: number,
    readonly name: string,
  ) {
    if (!ir.guides.some((g) => g.name === guide)) {
      throw new UserError(`${name} has no guide '${guide}'; its guides are ${ir.guides.map((g) => g.name).join(', ')}`);
    }
    this.compiled = new CompiledModel(ir, seed);
  }

  private withData<T>(data: DataInput, run: (tensors: Record<string, Tensor2D>) => Promise<T>): Promise<T> {
    const tensors = toDataTensors(this.ir, data);
    return run(tensors).finally(() => tf.dispose(Object.values(tensors)));
  }

  /**
   * IWAE-k estimate of log p(x) per data point (Burda et al. 2016),
   * log p(x) ≈ logSumExp_i(log w_i) − log k, streamed in chunks of samples.
   * Deterministic: `seed` defaults to 0, as `strata eval --seed` does.
   *
   * @param data `[batch, d]` rows of the observed variable (arrays, a Float32Array with its shape, or a tensor)
   * @param options.k importance samples per row; `chunk` samples per pass (default min(k, 100)); `seed` (default 0)
   * @returns `[batch]` values
   * @example
   * const logpx = await model.bound({ x: testX }, { k: 5000 });          // seed 0
   * const other = await model.bound({ x: testX }, { k: 5000, seed: 1 }); // independent noise
   */
  bound(data: DataInput, options: { k: number; chunk?: number; seed?: number; guide?: string }): Promise<Float32Array> {
    return this.withData(data, (t) => iwaeBound(this.compiled, t, { ...options, seed: options.seed ?? 0, guide: options.guide ?? this.guide }));
  }

  /** SIR samples from q_EW per data point, `[batch, n, d]` per latent, plus the ESS; `seed` defaults to 0. */
  sample(data: DataInput, options: { k: number; n: number; latents?: readonly string[]; seed?: number; guide?: string }): Promise<SirResult> {
    return this.withData(data, (t) => sampleSir(this.compiled, t, { ...options, seed: options.seed ?? 0, guide: options.guide ?? this.guide }));
  }

  /** The `[k, batch]` log-weights log p(x, z) − log q(z | x), z ~ q (the caller disposes the tensor); `seed` defaults to 0. */
  logWeights(data: DataInput, options: { k: number; seed?: number; guide?: string }): Promise<Tensor2D> {
    return this.withData(data, async (t) =>
      tf.tidy(() => logWeights(this.compiled.trace(t, { k: options.k, seed: options.seed ?? 0, guide: options.guide ?? this.guide })) as Tensor2D),
    );
  }

  /**
   * The signal-to-noise ratio |E[Δ]| / σ[Δ] of an objective's gradient estimator per parameter group
   * (model, guide), over `reps` independent draws on these rows held fixed (Rainforth et al. 2018,
   * eq. 8). Draw r uses noise seed `seed + r` (`seed` defaults to 0).
   *
   * @example const snr = await model.gradientSnr({ x: rows }, { objective: 'iwae', k: 64, estimator: 'dreg', reps: 200 });
   */
  gradientSnr(data: DataInput, options: GradientSnrRequest): Promise<GradientSnr> {
    const objective = createObjective(options.objective ?? 'iwae', { k: options.k, estimator: options.estimator, m: options.m, beta: options.beta });
    return this.withData(data, (t) => gradientSnr(this.compiled, objective, t, { guide: options.guide ?? this.guide, reps: options.reps, seed: options.seed ?? 0, ...(options.onDraw ? { onDraw: options.onDraw } : {}) }));
  }

  /** Parameter names in declaration order: `decoder.weight`, `prior.0.bias`, `guide_log_scale`, ... */
  parameterNames(): string[] {
    return this.ir.parameters.map((p) => p.name);
  }

  /** Copies of every parameter's values. */
  getParameters(): Record<string, ParameterValue> {
    return Object.fromEntries(
      this.ir.parameters.map((p) => [p.name, { values: this.compiled.variables.get(p.name)!.dataSync().slice() as Float32Array, shape: [...p.shape] }]),
    );
  }

  /** Sets some or all parameters (values row-major, e.g. `decoder.weight` is [in, out]). */
  setParameters(values: Readonly<Record<string, ArrayLike<number> | ParameterValue | Tensor>>): void {
    for (const [name, value] of Object.entries(values)) {
      const parameter = this.ir.parameters.find((p) => p.name === name);
      if (!parameter) throw new UserError(`setParameters: unknown parameter '${name}'; parameters are ${this.parameterNames().join(', ')}`);
      const shape = [...parameter.shape];
      const size = shape.reduce((a, b) => a * b, 1);
      const tensor = tf.tidy(() => {
        if (value instanceof tf.Tensor) return tf.reshape(tf.cast(value, 'float32'), shape);
        // Arrays and typed arrays have a `values` method too: test for them first.
        const flat = Array.isArray(value) || ArrayBuffer.isView(value) ? (value as ArrayLike<number>) : (value as ParameterValue).values;
        if (flat.length !== size) throw new UserError(`setParameters: '${name}' has shape [${shape.join(', ')}] (${size} values) but got ${flat.length}`);
        return tf.tensor(Array.from(flat), shape, 'float32');
      });
      this.compiled.variables.get(name)!.assign(tensor);
      tensor.dispose();
    }
  }

  /** Frees the model's tensors and optimizer state. */
  dispose(): void {
    this.compiled.dispose();
    this.optimizer?.dispose();
    this.groupOptimizers?.model.dispose();
    this.groupOptimizers?.guide.dispose();
  }
}

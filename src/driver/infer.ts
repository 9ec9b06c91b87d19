/**
 * `infer(model, options)`: trains a model's parameters with an inference
 * objective. Sensible defaults: IWAE with k = 10, Adam at 1e-3, 10 epochs,
 * batches of 100, seed 0.
 */
import * as tf from '@tensorflow/tfjs';
import type { AnnealSchedule } from '../inference/anneal.js';
import type { DiscreteMode } from '../backend/compile/trace.js';
import type { TemperatureSchedule } from '../inference/temperature.js';
import { CiwaeObjective, createObjective, type GradientEstimator, type ObjectiveName } from '../inference/objectives/index.js';
import { train, type EpochRecord, type TrainPosition } from '../inference/train.js';
import type { Optimizers } from '../inference/train-step.js';
import { toDataTensors, type DataInput } from './data-input.js';
import type { StrataModel } from './strata-model.js';
import { createAdam, readAdamState } from './checkpoint/adam-state.js';

export interface InferOptions {
  readonly data: DataInput;
  readonly objective?: ObjectiveName;
  readonly k?: number;
  readonly estimator?: GradientEstimator;
  /** vae only: closed-form KL terms where available (default true). */
  readonly analyticKl?: boolean;
  /** miwae only: M, the number of independent IWAE-k bounds averaged. */
  readonly m?: number;
  /**
   * ciwae only: the ELBO's weight β in [0, 1] (default 0.5), or `'learn'`: β = σ(b) trained with the
   * network (seed 002 sec. 3.7), its state kept on the model (`model.learnedBeta`) across calls.
   */
  readonly beta?: number | 'learn';
  /** ciwae with `beta: 'learn'`: β's initial value in (0, 1) (default 0.5), used when the model has no learned β yet. */
  readonly betaInit?: number;
  /** vae only: free bits, λ nats per latent (`{ z1: 0.5 }`; Kingma et al. 2016). */
  readonly freeBits?: Readonly<Record<string, number>>;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  readonly clipNorm?: number;
  readonly anneal?: AnnealSchedule;
  /**
   * How each discrete latent is trained: `score` (the default: REINFORCE under vae, VIMCO under vimco),
   * `relaxed` (Concrete relaxation) or `straight-through` (biased); `{ z: 'relaxed' }`.
   */
  readonly discrete?: Readonly<Record<string, DiscreteMode>>;
  /** Temperature of relaxed latents: `{ z: { from: 1, to: 0.5, steps: 5000 } }` (geometric), or `{ z: { from: 0.5 } }`. */
  readonly temperature?: TemperatureSchedule;
  readonly seed?: number;
  readonly guide?: string;
  readonly onEpoch?: (record: EpochRecord) => void | Promise<void>;
  /** Called after every optimizer step (e.g. for a progress bar). */
  readonly onStep?: (info: { epoch: number; step: number; stepsPerEpoch: number; loss: number; bound: number }) => void | Promise<void>;
  /** Polled between steps; returning true stops training early (the position is kept for resuming). */
  readonly shouldStop?: () => boolean;
}

export interface InferResult {
  /** Per-epoch loss, bound, per-latent log p − log q averages. */
  readonly history: EpochRecord[];
  /** Where training stopped: epochs completed and steps into the next. */
  readonly position: TrainPosition;
  readonly interrupted: boolean;
}

/**
 * Gives the model Adam at `learningRate`: one optimizer, or one per parameter
 * group when the objective trains model and guide with separate losses. When
 * the rate or the layout changes, the new optimizers keep the old state's
 * moments and step count exactly (Adam is per coordinate, so splitting one
 * Adam into two, or merging two that stepped together, changes nothing).
 */
async function useOptimizers(model: StrataModel, learningRate: number, separateGroups: boolean): Promise<Optimizers> {
  const current: Optimizers | undefined = model.groupOptimizers ?? (model.optimizer ? { all: model.optimizer } : undefined);
  if (current && model.optimizerLearningRate === learningRate && ('all' in current) !== separateGroups) return current;
  const state = await readAdamState(model);
  const make = async (group: 'all' | 'model' | 'guide') => (state ? await createAdam(model, { ...state, config: { ...state.config, learningRate } }, group) : tf.train.adam(learningRate));
  const next: Optimizers = separateGroups ? { model: await make('model'), guide: await make('guide') } : { all: await make('all') };
  model.optimizer?.dispose();
  model.groupOptimizers?.model.dispose();
  model.groupOptimizers?.guide.dispose();
  model.optimizer = 'all' in next ? next.all : undefined;
  model.groupOptimizers = 'all' in next ? undefined : next;
  model.optimizerLearningRate = learningRate;
  return next;
}

/** Trains `model` in place. */
export async function infer(model: StrataModel, options: InferOptions): Promise<InferResult> {
  const learningRate = options.learningRate ?? 1e-3;
  const learnsBeta = options.beta === 'learn' && options.objective === 'ciwae';
  const objective = createObjective(options.objective ?? 'iwae', {
    k: options.k, estimator: options.estimator, analyticKl: options.analyticKl, m: options.m, beta: options.beta, betaInit: options.betaInit, freeBits: options.freeBits, baseline: model.scoreBaseline,
    ...(learnsBeta ? { learningRate, ...(model.learnedBeta ? { learnedBeta: model.learnedBeta } : {}) } : {}),
  });
  if (objective instanceof CiwaeObjective && objective.learnedBeta) model.learnedBeta = objective.learnedBeta;
  objective.validate(model.ir, options.guide ?? model.guide);
  const data = toDataTensors(model.ir, options.data);
  const optimizers = await useOptimizers(model, learningRate, objective.separateGroups === true);
  try {
    const result = await train(model.compiled, {
      objective,
      guide: options.guide ?? model.guide,
      data,
      epochs: options.epochs ?? 10,
      batchSize: options.batchSize ?? 100,
      learningRate,
      clipNorm: options.clipNorm,
      anneal: options.anneal,
      ...(options.discrete ? { discrete: options.discrete } : {}),
      ...(options.temperature ? { temperature: options.temperature } : {}),
      seed: options.seed ?? 0,
      start: model.position,
      optimizers,
      shouldStop: options.shouldStop,
      onStep: async ({ epoch, step, stepsPerEpoch, result }) => {
        model.position = step + 1 === stepsPerEpoch ? { epoch: epoch + 1, step: 0 } : { epoch, step: step + 1 };
        await options.onStep?.({ epoch, step, stepsPerEpoch, loss: result.loss, bound: result.bound });
      },
      onEpoch: options.onEpoch,
    });
    model.position = result.position;
    return result;
  } finally {
    tf.dispose(Object.values(data));
  }
}

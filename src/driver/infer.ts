/**
 * `infer(model, options)`: trains a model's parameters with an inference
 * objective. Sensible defaults: IWAE with k = 10, Adam at 1e-3, 10 epochs,
 * batches of 100, seed 0.
 */
import * as tf from '@tensorflow/tfjs';
import type { AnnealSchedule } from '../inference/anneal.js';
import { createObjective, type GradientEstimator, type ObjectiveName } from '../inference/objectives/index.js';
import { train, type EpochRecord, type TrainPosition } from '../inference/train.js';
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
  /** ciwae only: the ELBO's weight β in [0, 1] (default 0.5). */
  readonly beta?: number;
  /** vae only: free bits, λ nats per latent (`{ z1: 0.5 }`; Kingma et al. 2016). */
  readonly freeBits?: Readonly<Record<string, number>>;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  readonly clipNorm?: number;
  readonly anneal?: AnnealSchedule;
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
 * Gives the model an Adam optimizer at `learningRate`; when the rate changes,
 * the new optimizer keeps the old one's moments and step count exactly.
 */
async function useLearningRate(model: StrataModel, learningRate: number): Promise<void> {
  if (model.optimizer && model.optimizerLearningRate === learningRate) return;
  const state = await readAdamState(model);
  const next = state ? await createAdam(model, { ...state, config: { ...state.config, learningRate } }) : tf.train.adam(learningRate);
  model.optimizer?.dispose();
  model.optimizer = next;
  model.optimizerLearningRate = learningRate;
}

/** Trains `model` in place. */
export async function infer(model: StrataModel, options: InferOptions): Promise<InferResult> {
  const objective = createObjective(options.objective ?? 'iwae', { k: options.k, estimator: options.estimator, analyticKl: options.analyticKl, m: options.m, beta: options.beta, freeBits: options.freeBits });
  const learningRate = options.learningRate ?? 1e-3;
  objective.validate(model.ir, options.guide ?? model.guide);
  const data = toDataTensors(model.ir, options.data);
  await useLearningRate(model, learningRate);
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
      seed: options.seed ?? 0,
      start: model.position,
      optimizers: { all: model.optimizer! },
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

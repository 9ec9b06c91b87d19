/**
 * The training loop: Adam on seeded, shuffled minibatches, β-annealing,
 * global gradient-norm clipping and per-epoch metrics. Each step is one
 * `tf.tidy` (see train-step.ts); awaits happen outside it.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { CompiledModel } from '../backend/compile/compiled-model.js';
import { SeededRandom } from '../backend/random.js';
import { betasAt, validateSchedule, type AnnealSchedule } from './anneal.js';
import { discreteTraceOptions, validateDiscreteTraining, type DiscreteTraining } from './discrete-training.js';
import { shuffledBatches } from './minibatches.js';
import { yieldToEventLoop } from '../util/yield-to-event-loop.js';
import type { Objective } from './objectives/objective.js';
import { trainStep, type Optimizers, type StepResult } from './train-step.js';
import { UserError } from '../util/user-error.js';

export interface TrainOptions extends DiscreteTraining {
  readonly objective: Objective;
  readonly guide: string;
  /** Observed data `[n, d]` per variable (all with the same n). */
  readonly data: Readonly<Record<string, Tensor>>;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Global gradient-norm clip; none when undefined. */
  readonly clipNorm?: number;
  readonly anneal?: AnnealSchedule;
  readonly seed: number;
  /** Where to start (when resuming): epochs completed and steps done within the next epoch. */
  readonly start?: TrainPosition;
  /** Polled between steps; when it returns true, training stops after the current step. */
  readonly shouldStop?: () => boolean;
  readonly optimizers?: Optimizers;
  readonly onEpoch?: (record: EpochRecord) => void | Promise<void>;
  readonly onStep?: (info: { epoch: number; step: number; stepsPerEpoch: number; result: StepResult }) => void | Promise<void>;
}

/** A point in training: `epoch` epochs completed plus `step` steps of the next one. */
export interface TrainPosition {
  readonly epoch: number;
  readonly step: number;
}

export interface TrainResult {
  /** One record per epoch completed in this call. */
  readonly history: EpochRecord[];
  /** Where training stopped (resume from here). */
  readonly position: TrainPosition;
  /** True when `shouldStop` ended training early. */
  readonly interrupted: boolean;
}

/**
 * The seed stream of one epoch, a pure function of the run's seed and the
 * epoch number, so a run resumed at any step draws exactly the batches and
 * noise of an uninterrupted one.
 */
export function epochStream(seed: number, epoch: number): SeededRandom {
  const base = new SeededRandom(seed).nextUint32();
  let h = Math.imul(base ^ (base >>> 16), 0x85ebca6b) ^ Math.imul(epoch + 1, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return new SeededRandom((h ^ (h >>> 16)) >>> 0);
}

/** Averages over one epoch's steps. */
export interface EpochRecord {
  readonly epoch: number;
  readonly steps: number;
  readonly loss: number;
  readonly bound: number;
  readonly gradNorm: number;
  /** Mean log p(z_l | ...) − log q(z_l | ...) per latent. */
  readonly terms: Record<string, number>;
  /** Mean log p(x | ...) per observed variable. */
  readonly observed: Record<string, number>;
  readonly betas: Record<string, number>;
  /** Values the objective learns besides the parameters, at the epoch's end (ciwae's learned β); absent when none. */
  readonly learned?: Record<string, number>;
  readonly seconds: number;
}

function checkTrainOptions(options: TrainOptions, n: number): void {
  const positiveInt = (v: number, name: string) => {
    if (!Number.isInteger(v) || v < 1) throw new UserError(`train: ${name} must be a positive integer, but got ${v}`);
  };
  positiveInt(options.epochs, 'epochs');
  positiveInt(options.batchSize, 'batchSize');
  if (!(options.learningRate > 0)) throw new UserError(`train: learningRate must be positive, but got ${options.learningRate}`);
  if (options.clipNorm !== undefined && !(options.clipNorm > 0)) throw new UserError(`train: clipNorm must be positive, but got ${options.clipNorm}`);
  if (!Number.isSafeInteger(options.seed)) throw new UserError(`train: seed must be an integer, but got ${options.seed}`);
  if (n < 1) throw new UserError('train: the data has no rows');
}

function mean(results: readonly StepResult[], pick: (r: StepResult) => Record<string, number>): Record<string, number> {
  const keys = Object.keys(pick(results[0]!));
  return Object.fromEntries(keys.map((key) => [key, results.reduce((s, r) => s + pick(r)[key]!, 0) / results.length]));
}

/** Trains `model` in place; returns the epochs completed and where it stopped. */
export async function train(model: CompiledModel, options: TrainOptions): Promise<TrainResult> {
  const n = Object.values(options.data)[0]?.shape[0] ?? 0;
  checkTrainOptions(options, n);
  options.objective.validate(model.ir, options.guide);
  validateSchedule(options.anneal ?? {}, model.ir.latents.map((l) => l.name));
  validateDiscreteTraining(model.ir, options.guide, options.objective, options);
  const optimizers = options.optimizers ?? { all: tf.train.adam(options.learningRate) };
  const stepsPerEpoch = Math.ceil(n / options.batchSize);
  const first = options.start ?? { epoch: 0, step: 0 };
  const history: EpochRecord[] = [];
  for (let epoch = first.epoch; epoch < first.epoch + options.epochs; epoch++) {
    const began = performance.now();
    const results: StepResult[] = [];
    const rng = epochStream(options.seed, epoch);
    const batches = shuffledBatches(n, options.batchSize, rng);
    const stepSeeds = batches.map(() => rng.nextSeed());
    let betas = new Map<string, number>();
    const skip = epoch === first.epoch ? first.step : 0;
    for (let i = skip; i < batches.length; i++) {
      if (options.shouldStop?.()) return { history, position: { epoch, step: i }, interrupted: true };
      const step = epoch * stepsPerEpoch + i;
      betas = betasAt(options.anneal ?? {}, step, epoch + i / stepsPerEpoch);
      const index = tf.tensor1d(batches[i]!, 'int32');
      const batch = Object.fromEntries(Object.entries(options.data).map(([name, t]) => [name, tf.gather(t, index)]));
      try {
        const trace = discreteTraceOptions(options, step, epoch + i / stepsPerEpoch);
        const result = await trainStep(model, options.objective, optimizers, batch, { guide: options.guide, seed: stepSeeds[i]!, betas, clipNorm: options.clipNorm, step, trace });
        options.objective.afterStep?.(result.bound, result.statistics);
        results.push(result);
        await options.onStep?.({ epoch, step: i, stepsPerEpoch, result });
      } finally {
        tf.dispose([index, ...Object.values(batch)]);
      }
      // On backends whose reads resolve at once (cpu, native) an epoch would otherwise never leave the
      // microtask queue: Ctrl-C, timers and the progress bar's redraws would wait for the epoch's end.
      await yieldToEventLoop();
    }
    if (results.length === 0) continue;
    const learned = options.objective.learned?.() ?? {};
    const record: EpochRecord = {
      epoch: epoch + 1,
      steps: results.length,
      loss: results.reduce((s, r) => s + r.loss, 0) / results.length,
      bound: results.reduce((s, r) => s + r.bound, 0) / results.length,
      gradNorm: results.reduce((s, r) => s + r.gradNorm, 0) / results.length,
      terms: mean(results, (r) => r.terms),
      observed: mean(results, (r) => r.observed),
      betas: Object.fromEntries(betas),
      ...(Object.keys(learned).length > 0 ? { learned: { ...learned } } : {}),
      seconds: (performance.now() - began) / 1000,
    };
    history.push(record);
    await options.onEpoch?.(record);
  }
  return { history, position: { epoch: first.epoch + options.epochs, step: 0 }, interrupted: false };
}

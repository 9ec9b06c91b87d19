/**
 * The training loop: Adam on seeded, shuffled minibatches, β-annealing,
 * global gradient-norm clipping and per-epoch metrics. Each step is one
 * `tf.tidy` (see train-step.ts); awaits happen outside it.
 */
import * as tf from '@tensorflow/tfjs';
import type { CompiledModel } from '../backend/compile/compiled-model.js';
import { SeededRandom } from '../backend/random.js';
import { betasAt, validateSchedule, type AnnealSchedule } from './anneal.js';
import { shuffledBatches } from './minibatches.js';
import type { Objective } from './objectives/objective.js';
import { trainStep, type Optimizers, type StepResult } from './train-step.js';

export interface TrainOptions {
  readonly objective: Objective;
  readonly guide: string;
  /** Observed data `[n, d]` per variable (all with the same n). */
  readonly data: Readonly<Record<string, tf.Tensor>>;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Global gradient-norm clip; none when undefined. */
  readonly clipNorm?: number;
  readonly anneal?: AnnealSchedule;
  readonly seed: number;
  /** Epochs already done (when resuming): epoch numbers and annealing continue from here. */
  readonly startEpoch?: number;
  readonly optimizers?: Optimizers;
  readonly onEpoch?: (record: EpochRecord) => void | Promise<void>;
  readonly onStep?: (info: { epoch: number; step: number; stepsPerEpoch: number; result: StepResult }) => void | Promise<void>;
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
  readonly seconds: number;
}

function checkTrainOptions(options: TrainOptions, n: number): void {
  const positiveInt = (v: number, name: string) => {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`train: ${name} must be a positive integer, but got ${v}`);
  };
  positiveInt(options.epochs, 'epochs');
  positiveInt(options.batchSize, 'batchSize');
  if (!(options.learningRate > 0)) throw new RangeError(`train: learningRate must be positive, but got ${options.learningRate}`);
  if (options.clipNorm !== undefined && !(options.clipNorm > 0)) throw new RangeError(`train: clipNorm must be positive, but got ${options.clipNorm}`);
  if (!Number.isSafeInteger(options.seed)) throw new RangeError(`train: seed must be an integer, but got ${options.seed}`);
  if (n < 1) throw new RangeError('train: the data has no rows');
}

function mean(results: readonly StepResult[], pick: (r: StepResult) => Record<string, number>): Record<string, number> {
  const keys = Object.keys(pick(results[0]!));
  return Object.fromEntries(keys.map((key) => [key, results.reduce((s, r) => s + pick(r)[key]!, 0) / results.length]));
}

/** Trains `model` in place and returns one record per epoch. */
export async function train(model: CompiledModel, options: TrainOptions): Promise<EpochRecord[]> {
  const n = Object.values(options.data)[0]?.shape[0] ?? 0;
  checkTrainOptions(options, n);
  options.objective.validate(model.ir, options.guide);
  validateSchedule(options.anneal ?? {}, model.ir.latents.map((l) => l.name));
  const optimizers = options.optimizers ?? { all: tf.train.adam(options.learningRate) };
  const rng = new SeededRandom(options.seed);
  const start = options.startEpoch ?? 0;
  for (let e = 0; e < start; e++) shuffledBatches(n, options.batchSize, rng); // replay the stream when resuming
  const stepsPerEpoch = Math.ceil(n / options.batchSize);
  const history: EpochRecord[] = [];
  for (let epoch = start; epoch < start + options.epochs; epoch++) {
    const began = performance.now();
    const results: StepResult[] = [];
    const batches = shuffledBatches(n, options.batchSize, rng);
    let betas = new Map<string, number>();
    for (const [i, indices] of batches.entries()) {
      const step = epoch * stepsPerEpoch + i;
      betas = betasAt(options.anneal ?? {}, step, epoch + i / stepsPerEpoch);
      const index = tf.tensor1d(indices, 'int32');
      const batch = Object.fromEntries(Object.entries(options.data).map(([name, t]) => [name, tf.gather(t, index)]));
      try {
        const result = await trainStep(model, options.objective, optimizers, batch, { guide: options.guide, seed: rng.nextSeed(), betas, clipNorm: options.clipNorm, step });
        results.push(result);
        await options.onStep?.({ epoch, step, stepsPerEpoch, result });
      } finally {
        tf.dispose([index, ...Object.values(batch)]);
      }
    }
    const record: EpochRecord = {
      epoch: epoch + 1,
      steps: results.length,
      loss: results.reduce((s, r) => s + r.loss, 0) / results.length,
      bound: results.reduce((s, r) => s + r.bound, 0) / results.length,
      gradNorm: results.reduce((s, r) => s + r.gradNorm, 0) / results.length,
      terms: mean(results, (r) => r.terms),
      observed: mean(results, (r) => r.observed),
      betas: Object.fromEntries(betas),
      seconds: (performance.now() - began) / 1000,
    };
    history.push(record);
    await options.onEpoch?.(record);
  }
  return history;
}

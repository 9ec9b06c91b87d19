/**
 * Trains one configuration of a reproduction into its run directory,
 * resumably: a checkpoint (the format of `strata train`, so `strata eval DIR`
 * and `openRun` read it) after every epoch and when stopped; a re-run
 * continues from it, mid-epoch included. The learning rate follows a
 * per-epoch schedule; infer() carries Adam's moments and step count across
 * each change (and across the split into two optimizers for PIWAE).
 * The training images are redrawn every epoch (dynamic binarization).
 * CIWAE's learned β (`beta: 'learn'`) lives on the model, so infer() continues
 * it across the epochs' calls and the checkpoint stores and restores it.
 */
import * as tf from '@tensorflow/tfjs';
import { appendFile, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { infer, loadModel, type EpochRecord, type ObjectiveName, type StrataModel } from '../../src/index.js';
import { binarize, type LoadedDataset } from '../../src/data/index.js';
import { loadCheckpoint, restoreInto, saveCheckpoint, type RunOptions } from '../../src/driver/checkpoint/checkpoint.js';
import { writeFileAtomic } from '../../src/util/atomic-write.js';
import { UserError } from '../../src/util/user-error.js';

/** What to train, how long, and with which optimizer settings. */
export interface TrainingSpec {
  /** The reproduction's name, first in error messages. */
  readonly experiment: string;
  /** Recorded as plan.json in a new run directory; a re-run with a different plan is refused. */
  readonly plan: object;
  readonly objective: ObjectiveName;
  readonly k: number;
  /** miwae and piwae: M. */
  readonly m?: number;
  /** ciwae: the ELBO's weight, or `'learn'` (β = σ(b) trained with the network, seed 002 sec. 3.7; checkpointed in run.json). */
  readonly beta?: number | 'learn';
  /** ciwae with `beta: 'learn'`: β's initial value in (0, 1). */
  readonly betaInit?: number;
  /** vae: closed-form KL where available (false: the k-sample Monte Carlo ELBO). */
  readonly analyticKl?: boolean;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly adam: { readonly beta1: number; readonly beta2: number; readonly epsilon: number };
  /** The learning rate of a 0-based epoch. */
  readonly learningRateAt: (epoch: number) => number;
  /** Recorded in run.json's data spec for `strata eval`. */
  readonly trainRows?: number;
  readonly testRows?: number;
}

export interface TrainHooks {
  readonly onEpochStart?: (epoch: number, epochs: number, stepsPerEpoch: number, stepsDone: number) => void;
  readonly onStep?: (step: number, bound: number) => void;
  readonly onEpoch?: (record: EpochRecord, learningRate: number) => void;
  /** Polled between steps; true stops after the current step with a checkpoint. */
  readonly shouldStop?: () => boolean;
}

export interface TrainOutcome {
  /** The trained model (the caller disposes it). */
  readonly model: StrataModel;
  readonly interrupted: boolean;
  readonly epochsDone: number;
  /** Training wall time up to the last checkpoint, summed over every invocation. */
  readonly trainSeconds: number;
  readonly lastEpoch: EpochRecord | undefined;
}

const PLAN = 'plan.json';
const STATE = 'state.json';
const METRICS = 'metrics.jsonl';

async function readJson<T>(path: string): Promise<T | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

/** Refuses a run directory started with another plan (another budget, say). */
export async function checkPlan(experiment: string, dir: string, plan: object): Promise<void> {
  const found = await readJson<object>(join(dir, PLAN));
  if (found !== undefined && JSON.stringify(found) !== JSON.stringify(plan)) {
    throw new UserError(`${experiment}: ${join(dir, PLAN)} records another plan (${JSON.stringify(found)}) than this budget's (${JSON.stringify(plan)}); use another --out or remove ${dir}`);
  }
}

/** The last epoch's record in metrics.jsonl, keeping only epochs the checkpoint holds. */
async function trimmedMetrics(dir: string, epochsDone: number): Promise<EpochRecord | undefined> {
  const text = await readFile(join(dir, METRICS), 'utf8').catch(() => '');
  const records = text.split('\n').flatMap((line) => {
    try {
      const r = JSON.parse(line) as EpochRecord;
      return r.epoch <= epochsDone ? [r] : [];
    } catch {
      return [];
    }
  });
  await writeFileAtomic(join(dir, METRICS), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return records.at(-1);
}

interface OpenedRun {
  readonly model: StrataModel;
  readonly source: string;
  readonly lastEpoch: EpochRecord | undefined;
  readonly trainSeconds: number;
}

/**
 * The configuration's model: restored from the checkpoint in `dir`, or fresh
 * (a new run directory with its plan, model copy and an Adam with the spec's settings).
 */
async function openRunDirectory(dir: string, modelPath: string, spec: TrainingSpec): Promise<OpenedRun> {
  await checkPlan(spec.experiment, dir, spec.plan);
  if (existsSync(join(dir, 'run.json'))) {
    const copy = join(dir, 'model.ppl');
    const source = await readFile(copy, 'utf8');
    const model = await loadModel(copy, { seed: spec.seed });
    try {
      await restoreInto(model, await loadCheckpoint(dir), { source });
      const lastEpoch = await trimmedMetrics(dir, model.position.epoch);
      const trainSeconds = (await readJson<{ trainSeconds: number }>(join(dir, STATE)))?.trainSeconds ?? 0;
      return { model, source, lastEpoch, trainSeconds };
    } catch (error) {
      model.dispose();
      throw error;
    }
  }
  const source = await readFile(modelPath, 'utf8');
  const model = await loadModel(modelPath, { seed: spec.seed });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, PLAN), `${JSON.stringify(spec.plan, null, 2)}\n`);
  await copyFile(modelPath, join(dir, 'model.ppl'));
  await writeFile(join(dir, METRICS), '');
  // infer() keeps this optimizer's settings (ε included) and moments when the rate changes or it splits in two.
  const lr = spec.learningRateAt(0);
  model.optimizer = tf.train.adam(lr, spec.adam.beta1, spec.adam.beta2, spec.adam.epsilon);
  model.optimizerLearningRate = lr;
  return { model, source, lastEpoch: undefined, trainSeconds: 0 };
}

/** The spec's m, beta and betaInit, where given (for infer and run.json alike). */
function objectiveOptions(spec: TrainingSpec): Pick<TrainingSpec, 'm' | 'beta' | 'betaInit'> {
  return { ...(spec.m === undefined ? {} : { m: spec.m }), ...(spec.beta === undefined ? {} : { beta: spec.beta }), ...(spec.betaInit === undefined ? {} : { betaInit: spec.betaInit }) };
}

/** The checkpoint's run options (what `strata eval` and `openRun` read back). */
function runOptions(spec: TrainingSpec, dataDir: string, learningRate: number): RunOptions {
  return {
    objective: spec.objective, k: spec.k, ...objectiveOptions(spec),
    estimator: 'reparam', batchSize: spec.batchSize, learningRate, seed: spec.seed, epochs: spec.epochs,
    data: { spec: 'mnist:dynamic', seed: spec.seed, dataDir, ...(spec.trainRows === undefined ? {} : { train: spec.trainRows }), ...(spec.testRows === undefined ? {} : { test: spec.testRows }) },
  };
}

/**
 * Trains for the spec's epochs in `dir` (created, or resumed from its
 * checkpoint), a checkpoint after every epoch and on a stop.
 *
 * @param modelPath the configuration's .ppl file
 * @param data mnist:dynamic with `intensities` (the training images are redrawn per epoch)
 * @param dataDir recorded in run.json for `strata eval`
 */
export async function trainScheduled(spec: TrainingSpec, dir: string, modelPath: string, data: LoadedDataset, dataDir: string, hooks: TrainHooks = {}): Promise<TrainOutcome> {
  const opened = await openRunDirectory(dir, modelPath, spec);
  const { model, source } = opened;
  let { lastEpoch, trainSeconds } = opened;
  try {
    const stepsPerEpoch = Math.ceil(data.train.rows / spec.batchSize);
    let interrupted = false;
    let began = performance.now();
    while (model.position.epoch < spec.epochs && !interrupted) {
      const epoch = model.position.epoch;
      const learningRate = spec.learningRateAt(epoch);
      hooks.onEpochStart?.(epoch, spec.epochs, stepsPerEpoch, model.position.step);
      const rows = binarize(data.intensities!.train, spec.seed, epoch + 1);
      const result = await infer(model, {
        data: { values: rows.values, shape: [rows.rows, rows.cols] }, objective: spec.objective, k: spec.k,
        ...objectiveOptions(spec), ...(spec.analyticKl === undefined ? {} : { analyticKl: spec.analyticKl }),
        epochs: 1, batchSize: spec.batchSize, learningRate, seed: spec.seed,
        onStep: ({ step, bound }) => hooks.onStep?.(step + 1, bound),
        ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
      });
      interrupted = result.interrupted;
      const record = result.history[0];
      if (record) {
        lastEpoch = record;
        await appendFile(join(dir, METRICS), `${JSON.stringify({ ...record, learningRate })}\n`);
        hooks.onEpoch?.(record, learningRate);
      }
      await saveCheckpoint(dir, model, { modelPath, source, options: runOptions(spec, dataDir, learningRate), ...(lastEpoch ? { lastEpoch } : {}) });
      trainSeconds += (performance.now() - began) / 1000;
      began = performance.now();
      await writeFileAtomic(join(dir, STATE), `${JSON.stringify({ trainSeconds })}\n`);
    }
    return { model, interrupted, epochsDone: model.position.epoch, trainSeconds, lastEpoch };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

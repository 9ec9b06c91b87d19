/**
 * Trains one configuration into its run directory, resumably: a checkpoint
 * (the format of `strata train`, so `strata eval DIR` and `openRun` read it)
 * after every epoch and when stopped; a re-run continues from it, mid-epoch
 * included. The learning rate follows the paper's schedule epoch by epoch;
 * infer() carries Adam's moments and step count across each change.
 */
import * as tf from '@tensorflow/tfjs';
import { appendFile, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { infer, loadModel, type EpochRecord, type StrataModel } from '../../src/index.js';
import { binarize, type LoadedDataset } from '../../src/data/index.js';
import { loadCheckpoint, restoreInto, saveCheckpoint, type RunOptions } from '../../src/driver/checkpoint/checkpoint.js';
import { writeFileAtomic } from '../../src/util/atomic-write.js';
import { UserError } from '../../src/util/user-error.js';
import type { Budget, Configuration } from './budgets.js';
import { BURDA_ADAM, learningRateAt } from './schedule.js';

/** What a run directory was started with; a re-run with another plan is refused. */
export interface RunPlan {
  readonly configuration: Configuration;
  readonly budget: string;
  readonly epochs: number;
  readonly batchSize: number;
  readonly trainRows: number | null;
  readonly testRows: number | null;
  readonly seed: number;
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

export function planOf(configuration: Configuration, budget: Budget): RunPlan {
  return { configuration, budget: budget.name, epochs: budget.epochs, batchSize: budget.batchSize, trainRows: budget.trainRows ?? null, testRows: budget.testRows ?? null, seed: budget.seed };
}

async function readJson<T>(path: string): Promise<T | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

/** Refuses a run directory started with another plan (another budget, say). */
export async function checkPlan(dir: string, plan: RunPlan): Promise<void> {
  const found = await readJson<RunPlan>(join(dir, PLAN));
  if (found !== undefined && JSON.stringify(found) !== JSON.stringify(plan)) {
    throw new UserError(`burda-mnist: ${join(dir, PLAN)} records another plan (${JSON.stringify(found)}) than this budget's (${JSON.stringify(plan)}); use another --out or remove ${dir}`);
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
 * (a new run directory with its plan, model copy and an Adam with the paper's ε).
 */
async function openConfigurationRun(dir: string, modelPath: string, plan: RunPlan): Promise<OpenedRun> {
  await checkPlan(dir, plan);
  if (existsSync(join(dir, 'run.json'))) {
    const copy = join(dir, 'model.ppl');
    const source = await readFile(copy, 'utf8');
    const model = await loadModel(copy, { seed: plan.seed });
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
  const model = await loadModel(modelPath, { seed: plan.seed });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, PLAN), `${JSON.stringify(plan, null, 2)}\n`);
  await copyFile(modelPath, join(dir, 'model.ppl'));
  await writeFile(join(dir, METRICS), '');
  // infer() keeps this optimizer (and, when the rate changes, its ε and moments).
  model.optimizer = tf.train.adam(learningRateAt(0), BURDA_ADAM.beta1, BURDA_ADAM.beta2, BURDA_ADAM.epsilon);
  model.optimizerLearningRate = learningRateAt(0);
  return { model, source, lastEpoch: undefined, trainSeconds: 0 };
}

/** The checkpoint's run options (what `strata eval` and `openRun` read back). */
function runOptions(configuration: Configuration, budget: Budget, dataDir: string, learningRate: number): RunOptions {
  return {
    objective: configuration.objective, k: configuration.k, estimator: 'reparam', batchSize: budget.batchSize, learningRate, seed: budget.seed, epochs: budget.epochs,
    data: { spec: 'mnist:dynamic', seed: budget.seed, dataDir, ...(budget.trainRows === undefined ? {} : { train: budget.trainRows }), ...(budget.testRows === undefined ? {} : { test: budget.testRows }) },
  };
}

/**
 * Trains `configuration` for the budget's epochs in `dir` (created, or
 * resumed from its checkpoint), a checkpoint after every epoch and on a stop.
 *
 * @param modelPath the configuration's .ppl file
 * @param data mnist:dynamic with `intensities` (the training images are redrawn per epoch)
 * @param dataDir recorded in run.json for `strata eval`
 */
export async function trainConfiguration(configuration: Configuration, budget: Budget, dir: string, modelPath: string, data: LoadedDataset, dataDir: string, hooks: TrainHooks = {}): Promise<TrainOutcome> {
  const opened = await openConfigurationRun(dir, modelPath, planOf(configuration, budget));
  const { model, source } = opened;
  let { lastEpoch, trainSeconds } = opened;
  try {
    const stepsPerEpoch = Math.ceil(data.train.rows / budget.batchSize);
    let interrupted = false;
    let began = performance.now();
    while (model.position.epoch < budget.epochs && !interrupted) {
      const epoch = model.position.epoch;
      const learningRate = learningRateAt(epoch);
      hooks.onEpochStart?.(epoch, budget.epochs, stepsPerEpoch, model.position.step);
      const rows = binarize(data.intensities!.train, budget.seed, epoch + 1);
      const result = await infer(model, {
        data: { values: rows.values, shape: [rows.rows, rows.cols] }, objective: configuration.objective, k: configuration.k,
        ...(configuration.objective === 'vae' ? { analyticKl: false } : {}), epochs: 1, batchSize: budget.batchSize, learningRate, seed: budget.seed,
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
      await saveCheckpoint(dir, model, { modelPath, source, options: runOptions(configuration, budget, dataDir, learningRate), ...(lastEpoch ? { lastEpoch } : {}) });
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

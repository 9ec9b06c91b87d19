/**
 * `strata train` as a function: load the model and data, check they fit,
 * train epoch by epoch with metrics.jsonl and checkpoints, resume from a run
 * directory, stop cleanly on request (Ctrl-C) with a checkpoint.
 */
import { appendFile, copyFile, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { binarize } from '../data/mnist.js';
import { validateSchedule, type AnnealSchedule } from '../inference/anneal.js';
import type { DiscreteMode } from '../backend/compile/trace.js';
import { validateDiscreteTraining } from '../inference/discrete-training.js';
import type { TemperatureSchedule } from '../inference/temperature.js';
import { createObjective, type GradientEstimator, type ObjectiveName } from '../inference/objectives/index.js';
import type { EpochRecord } from '../inference/train.js';
import { UserError } from '../util/user-error.js';
import { loadCheckpoint, restoreInto, saveCheckpoint, type RunOptions } from './checkpoint/checkpoint.js';
import { infer } from './infer.js';
import { writeFileAtomic } from './format-file.js';
import { compileModel } from './load-model.js';
import { readSourceFile } from './load-source.js';
import { checkNewRunDirectory, claimNewRunDirectory, claimRunToResume } from './run-directory/claim-run-directory.js';
import type { RunLock } from './run-directory/run-lock.js';
import { checkModelFitsData, loadRunData, rowsOf, type DataSpec } from './run-data.js';
import type { StrataModel } from './strata-model.js';

export interface TrainRunOptions {
  /** The .ppl file (ignored when resuming: the run's own copy is used). */
  readonly modelPath?: string;
  readonly out: string;
  readonly data: DataSpec;
  readonly objective: ObjectiveName;
  readonly k: number;
  /** miwae: M, the number of IWAE-k bounds averaged. */
  readonly m?: number;
  /** ciwae: the ELBO's weight β, or `'learn'` (seed 002 sec. 3.7). */
  readonly beta?: number | 'learn';
  /** ciwae with `beta: 'learn'`: β's initial value. */
  readonly betaInit?: number;
  /** vae: free bits, λ nats per latent. */
  readonly freeBits?: Readonly<Record<string, number>>;
  readonly estimator: GradientEstimator;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly clipNorm?: number;
  readonly anneal?: AnnealSchedule;
  /** Training mode of each discrete latent (`score` where absent). */
  readonly discrete?: Readonly<Record<string, DiscreteMode>>;
  /** Temperature schedules of relaxed discrete latents. */
  readonly temperature?: TemperatureSchedule;
  readonly seed: number;
  readonly guide?: string;
  readonly backend?: string;
  /** Save a checkpoint every this many epochs (and always at the end). */
  readonly checkpointEvery: number;
  readonly resume: boolean;
  /** A new run into a directory that holds one moves the old run aside (`OUT.old-<time>`) instead of refusing. */
  readonly force?: boolean;
}

export interface TrainRunHooks {
  /** `options`: what the run trains with (on a resume, the run's own recorded options). */
  readonly onStart?: (info: { model: StrataModel; description: string; startEpoch: number; totalEpochs: number; stepsPerEpoch: number; options: TrainRunOptions }) => void;
  readonly onStep?: (info: { epoch: number; step: number; stepsPerEpoch: number; loss: number; bound: number }) => void;
  readonly onEpoch?: (record: EpochRecord, totalEpochs: number) => void;
  readonly onCheckpoint?: (dir: string, epoch: number, step: number) => void;
  readonly shouldStop?: () => boolean;
  /** What was done to the run directory on the user's behalf (stale lock taken over, old run moved aside, temporary files removed), as lines. */
  readonly onNotice?: (message: string) => void;
}

export interface TrainRunResult {
  readonly out: string;
  readonly history: EpochRecord[];
  readonly interrupted: boolean;
  readonly position: { epoch: number; step: number };
}

/** The run's own copy of the model source. */
export const MODEL_COPY = 'model.ppl';
export const METRICS_FILE = 'metrics.jsonl';

async function resumeOptions(out: string, given: TrainRunOptions): Promise<{ options: TrainRunOptions; source: string }> {
  const loaded = await loadCheckpoint(out);
  const saved = loaded.runInfo.options;
  const data = saved.data as unknown as DataSpec | undefined;
  if (!data) throw new UserError(`${out}/run.json records no data spec; cannot resume`);
  const source = await readSourceFile(join(out, MODEL_COPY));
  return {
    source,
    options: {
      ...given,
      data,
      objective: saved.objective,
      k: saved.k ?? given.k,
      ...(saved.m === undefined ? {} : { m: saved.m }),
      ...(saved.beta === undefined ? {} : { beta: saved.beta }),
      ...(saved.betaInit === undefined ? {} : { betaInit: saved.betaInit }),
      ...(saved.freeBits === undefined ? {} : { freeBits: saved.freeBits }),
      estimator: saved.estimator ?? given.estimator,
      epochs: given.epochs > 0 ? given.epochs : saved.epochs,
      batchSize: saved.batchSize,
      learningRate: saved.learningRate,
      ...(saved.clipNorm === undefined ? {} : { clipNorm: saved.clipNorm }),
      ...(saved.anneal === undefined ? {} : { anneal: saved.anneal }),
      ...(saved.discrete === undefined ? {} : { discrete: saved.discrete }),
      ...(saved.temperature === undefined ? {} : { temperature: saved.temperature }),
      seed: saved.seed,
      guide: loaded.runInfo.model.guide,
    },
  };
}

/**
 * Trains a model on a dataset into a run directory, which it locks for the
 * run's duration (one writer per directory). A new run never overwrites one:
 * a directory holding a run is refused, or moved aside with `force`.
 */
export async function runTraining(given: TrainRunOptions, hooks: TrainRunHooks = {}): Promise<TrainRunResult> {
  const claim = { ...(given.force === undefined ? {} : { force: given.force }), ...(hooks.onNotice ? { notice: hooks.onNotice } : {}) };
  if (given.resume && given.force) throw new UserError('train: --force applies to a new run, not to --resume');
  // A refusal comes before the data is loaded; the lock of a resumed run before its checkpoint is read.
  const lock = given.resume ? await claimRunToResume(given.out, claim) : (await checkNewRunDirectory(given.out, claim), undefined);
  try {
    return await trainLocked(given, hooks, async () => claimNewRunDirectory(given.out, claim));
  } finally {
    await lock?.release();
  }
}

async function trainLocked(given: TrainRunOptions, hooks: TrainRunHooks, claimNew: () => Promise<RunLock>): Promise<TrainRunResult> {
  let lock: RunLock | undefined;
  const resumed = given.resume ? await resumeOptions(given.out, given) : undefined;
  const options = resumed?.options ?? given;
  if (!resumed && !options.modelPath) throw new UserError('train: a model file is needed');
  const modelPath = resumed ? join(options.out, MODEL_COPY) : options.modelPath!;
  const source = resumed?.source ?? (await readSourceFile(modelPath));
  const dataset = await loadRunData(options.data);
  const model = await compileModel(source, { fileName: modelPath, seed: options.seed, ...(options.guide ? { guide: options.guide } : {}), ...(options.backend ? { backend: options.backend } : {}) });
  try {
    checkModelFitsData(model.ir, modelPath, dataset);
    // Bad options fail here, before the run directory is touched.
    const objective = createObjective(options.objective, { k: options.k, estimator: options.estimator, m: options.m, beta: options.beta, betaInit: options.betaInit, freeBits: options.freeBits });
    objective.validate(model.ir, model.guide);
    validateSchedule(options.anneal ?? {}, model.ir.latents.map((l) => l.name));
    validateDiscreteTraining(model.ir, model.guide, objective, options);
    if (resumed) {
      await restoreInto(model, await loadCheckpoint(options.out), { source });
      await trimMetrics(options.out, model.position.epoch);
    } else {
      lock = await claimNew();
      await copyFile(modelPath, join(options.out, MODEL_COPY));
      await writeFile(join(options.out, METRICS_FILE), '');
    }
    const runOptions: RunOptions = {
      objective: options.objective, k: options.k, ...(options.m === undefined ? {} : { m: options.m }), ...(options.beta === undefined ? {} : { beta: options.beta }),
      ...(options.betaInit === undefined ? {} : { betaInit: options.betaInit }),
      ...(options.freeBits === undefined ? {} : { freeBits: options.freeBits }),
      estimator: options.estimator, batchSize: options.batchSize, learningRate: options.learningRate,
      ...(options.clipNorm === undefined ? {} : { clipNorm: options.clipNorm }), ...(options.anneal === undefined ? {} : { anneal: options.anneal }),
      ...(options.discrete === undefined ? {} : { discrete: options.discrete }), ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
      seed: options.seed, epochs: options.epochs, data: { ...absoluteDataSpec(options.data) },
    };
    const save = async (lastEpoch?: EpochRecord) => {
      await saveCheckpoint(options.out, model, { modelPath: given.modelPath ?? modelPath, source, options: runOptions, ...(lastEpoch ? { lastEpoch } : {}) });
      hooks.onCheckpoint?.(options.out, model.position.epoch, model.position.step);
    };
    const total = options.epochs;
    const stepsPerEpoch = Math.ceil(dataset.train.rows / options.batchSize);
    hooks.onStart?.({ model, description: dataset.description, startEpoch: model.position.epoch, totalEpochs: total, stepsPerEpoch, options });
    const history: EpochRecord[] = [];
    while (model.position.epoch < total) {
      const epoch = model.position.epoch;
      const rows = dataset.intensities ? binarize(dataset.intensities.train, options.seed, epoch + 1) : dataset.train;
      const result = await infer(model, {
        data: rowsOf(rows), objective: options.objective, k: options.k, estimator: options.estimator, epochs: 1, batchSize: options.batchSize,
        ...(options.m === undefined ? {} : { m: options.m }), ...(options.beta === undefined ? {} : { beta: options.beta }),
        ...(options.betaInit === undefined ? {} : { betaInit: options.betaInit }),
        ...(options.freeBits === undefined ? {} : { freeBits: options.freeBits }),
        learningRate: options.learningRate, ...(options.clipNorm === undefined ? {} : { clipNorm: options.clipNorm }),
        ...(options.anneal === undefined ? {} : { anneal: options.anneal }), seed: options.seed,
        ...(options.discrete === undefined ? {} : { discrete: options.discrete }), ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
        onStep: hooks.onStep, shouldStop: hooks.shouldStop,
      });
      const record = result.history[0];
      if (record) {
        history.push(record);
        await appendFile(join(options.out, METRICS_FILE), `${JSON.stringify(record)}\n`);
        hooks.onEpoch?.(record, total);
      }
      if (result.interrupted) {
        await save(record ?? history.at(-1));
        return { out: options.out, history, interrupted: true, position: model.position };
      }
      if (model.position.epoch % options.checkpointEvery === 0 || model.position.epoch >= total) await save(record);
    }
    return { out: options.out, history, interrupted: false, position: model.position };
  } finally {
    model.dispose();
    await lock?.release();
  }
}

/**
 * Keeps the metrics.jsonl lines of epochs up to `epoch` (the checkpoint's):
 * a run killed after an epoch's line but before its checkpoint redoes that
 * epoch, and a torn last line is dropped.
 */
async function trimMetrics(out: string, epoch: number): Promise<void> {
  const text = await readFile(join(out, METRICS_FILE), 'utf8').catch(() => '');
  const kept = text.split('\n').filter((line) => {
    try {
      return (JSON.parse(line) as EpochRecord).epoch <= epoch;
    } catch {
      return false;
    }
  });
  if (kept.join('\n') !== text.trimEnd()) await writeFileAtomic(join(out, METRICS_FILE), kept.map((l) => `${l}\n`).join(''));
}

/**
 * Reads metrics.jsonl of a run (one EpochRecord per line). A last line that
 * does not parse is one a writer is appending (or a kill tore) and is left
 * out; any other bad line is an error naming it.
 * @throws UserError naming the file and line of a malformed line before the last
 */
export async function readMetrics(out: string): Promise<EpochRecord[]> {
  const path = join(out, METRICS_FILE);
  const text = await readFile(path, 'utf8').catch(() => '');
  const lines = text.split('\n');
  const records: EpochRecord[] = [];
  lines.forEach((line, index) => {
    if (line.trim().length === 0) return;
    try {
      records.push(JSON.parse(line) as EpochRecord);
    } catch (cause) {
      const last = lines.slice(index + 1).every((l) => l.trim().length === 0);
      if (!last) throw new UserError(`cannot read '${path}' line ${index + 1}: not a JSON metrics record`, { cause });
    }
  });
  return records;
}

/** The data spec with `file:` paths and the data directory made absolute, so eval and resume work from any directory. */
export function absoluteDataSpec(data: DataSpec): DataSpec {
  const spec = data.spec.startsWith('file:') ? `file:${resolve(data.spec.slice('file:'.length))}` : data.spec;
  return { ...data, spec, ...(data.dataDir === undefined ? {} : { dataDir: resolve(data.dataDir) }) };
}

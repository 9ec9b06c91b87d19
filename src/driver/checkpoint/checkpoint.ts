/**
 * Checkpoints: a directory holding a model's parameters and Adam state and
 * the run.json that says which files are current, so training resumes
 * exactly where it stopped (same parameters, same moments, same position;
 * the random streams are pure functions of the seed and the epoch).
 *
 *   dir/params-000012.safetensors      parameters by Strata name (`decoder.weight`)
 *   dir/optimizer-000012.safetensors   Adam: iter, accumulators, `<param>/m`, `<param>/v`
 *   dir/run.json                       { format: 1, generation: 12, files, model, options, position, ... }
 *
 * A save writes the generation's tensor files first and run.json last, each
 * atomically, then deletes other generations; a kill at any point leaves
 * run.json naming a complete set, and loading reads exactly that set.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, UserError } from '../../util/user-error.js';
import { packageVersion } from '../../util/package-version.js';
import { syncDirectory, writeFileAtomic } from '../../util/atomic-write.js';
import type { ParameterValue, StrataModel } from '../strata-model.js';
import { LearnedBeta } from '../../inference/objectives/learned-beta.js';
import { adamStateFromTensors, adamStateToTensors, createAdam, readAdamState, type AdamState } from './adam-state.js';
import { checkSlots, checkSource, parameterMismatches } from './compatibility.js';
import { parseRunJson, RUN_FORMAT, sourceSha256, type RunInfo, type RunJson } from './run-info.js';
import { readSafetensors, SafetensorsError, writeSafetensors, type SafeTensor } from './safetensors.js';

export type { RunInfo, RunJson, RunOptions } from './run-info.js';
export type { AdamState } from './adam-state.js';

/** A checkpoint read from disk, not yet applied to a model. */
export interface LoadedCheckpoint {
  readonly dir: string;
  readonly runInfo: RunJson;
  /** Values by Strata parameter name, as `StrataModel.setParameters` takes them. */
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  /** Absent when the run had not created an optimizer. */
  readonly optimizerState?: AdamState;
}

export interface RestoreOptions {
  /** The model's current source text, checked against the checkpoint's SHA-256. */
  readonly source?: string;
  /** Resume even though the source changed (the parameters must still match). */
  readonly allowSourceChange?: boolean;
}

const RUN_FILE = 'run.json';
const GENERATION_FILE = /^(params|optimizer)-(\d+)\.safetensors$/;

function fileFor(kind: 'params' | 'optimizer', generation: number): string {
  return `${kind}-${String(generation).padStart(6, '0')}.safetensors`;
}

/** Names of this directory's generation files, with their generations. */
async function generationFiles(dir: string): Promise<{ name: string; generation: number }[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.flatMap((name) => {
    const match = GENERATION_FILE.exec(name);
    return match ? [{ name, generation: Number(match[2]) }] : [];
  });
}

/**
 * The run.json already in `dir`, if any. One that cannot be read (another
 * format, hand-edited) is not overwritten: it may be another run's record.
 */
async function previousRun(dir: string): Promise<RunJson | undefined> {
  const path = join(dir, RUN_FILE);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return parseRunJson(text, path);
  } catch (cause) {
    throw new UserError(`will not overwrite the checkpoint in '${dir}': ${errorMessage(cause)}; remove it or save elsewhere`, { cause });
  }
}

async function parameterTensors(model: StrataModel): Promise<Map<string, SafeTensor>> {
  const tensors = new Map<string, SafeTensor>();
  for (const p of model.ir.parameters) {
    const data = (await model.compiled.variables.get(p.name)!.data()) as Float32Array;
    tensors.set(p.name, { dtype: 'F32', shape: [...p.shape], data });
  }
  return tensors;
}

/**
 * Saves the model's parameters, its Adam state and the run record into `dir`
 * (created if missing) as a new generation, then removes older generations.
 *
 * @param info what the model does not know: its path and source, the run's options, the last epoch's metrics
 * @returns the run.json written
 * @throws UserError when a file cannot be written, or `dir` holds a run.json this version cannot read
 * @example await saveCheckpoint('runs/lg', model, { modelPath, source, options, lastEpoch: history.at(-1) });
 */
export async function saveCheckpoint(dir: string, model: StrataModel, info: RunInfo): Promise<RunJson> {
  await mkdir(dir, { recursive: true }).catch((cause: unknown) => {
    throw new UserError(`cannot create checkpoint directory '${dir}': ${errorMessage(cause)}`, { cause });
  });
  const position = { epoch: model.position.epoch, step: model.position.step };
  const previous = await previousRun(dir);
  const tensors = await parameterTensors(model);
  const state = await readAdamState(model);
  const generation = Math.max(previous?.generation ?? 0, ...(await generationFiles(dir)).map((f) => f.generation)) + 1;
  const stamp = { generation: String(generation), model: info.modelPath };
  const params = fileFor('params', generation);
  await writeSafetensors(join(dir, params), tensors, { format: 'strata-params-1', ...stamp });
  let optimizer: string | null = null;
  if (state !== undefined) {
    const adam = adamStateToTensors(state);
    optimizer = fileFor('optimizer', generation);
    await writeSafetensors(join(dir, optimizer), adam.tensors, { ...adam.metadata, ...stamp });
  }
  const sha256 = sourceSha256(info.source);
  const now = new Date().toISOString();
  const run: RunJson = {
    format: RUN_FORMAT,
    generation,
    files: { params, optimizer },
    model: { path: info.modelPath, sha256, guide: model.guide },
    options: info.options,
    position,
    rng: { seed: info.options.seed },
    backend: tf.getBackend(),
    strataVersion: packageVersion(),
    created: previous !== undefined && previous.model.sha256 === sha256 ? previous.created : now,
    updated: now,
    metrics: info.lastEpoch ?? null,
    ...(model.learnedBeta ? { learnedBeta: model.learnedBeta.toState() } : {}),
    ...(model.scoreBaseline.value === undefined ? {} : { scoreBaseline: model.scoreBaseline.value }),
  };
  await writeFileAtomic(join(dir, RUN_FILE), JSON.stringify(run, null, 2) + '\n');
  await syncDirectory(dir);
  const stale = (await generationFiles(dir)).filter((f) => f.generation !== generation);
  await Promise.all(stale.map((f) => unlink(join(dir, f.name)).catch(() => undefined)));
  return run;
}

async function readRunText(dir: string): Promise<string> {
  return readFile(join(dir, RUN_FILE), 'utf8').catch((cause: unknown) => {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' || code === 'ENOTDIR' ? `${RUN_FILE} is missing` : errorMessage(cause);
    throw new UserError(`no checkpoint in '${dir}': ${reason}`, { cause });
  });
}

/** How many times a reader follows run.json to a newer generation while a writer saves. */
const READ_ATTEMPTS = 20;

/**
 * Reads the checkpoint in `dir`: run.json and exactly the tensor files it
 * names, checked for consistency (generation stamps, dtypes, Adam slots
 * pairing with parameters of the same shapes).
 *
 * Safe while a writer saves: a save writes the new generation's files, then
 * run.json, then deletes the older generation, so a reader that read the old
 * run.json may find its files gone. It then reads run.json again and, if it
 * names a newer generation, reads that one: the result is always the newest
 * complete checkpoint, never a mix and never a torn file.
 *
 * @throws UserError when run.json is missing, malformed or of another format, or a file it names is missing or corrupt
 */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  let text = await readRunText(dir);
  for (let attempt = 1; ; attempt++) {
    try {
      return await readCheckpointNamedBy(dir, text);
    } catch (error) {
      const now = await readRunText(dir).catch(() => text);
      if (now === text || attempt >= READ_ATTEMPTS) throw error;
      text = now; // a writer saved a newer generation meanwhile
    }
  }
}

/** The checkpoint run.json's `text` names. */
async function readCheckpointNamedBy(dir: string, text: string): Promise<LoadedCheckpoint> {
  const runPath = join(dir, RUN_FILE);
  const runInfo = parseRunJson(text, runPath);
  const readGeneration = async (name: string) => {
    const path = join(dir, name);
    const contents = await readSafetensors(path);
    const stamped = contents.metadata['generation'];
    if (stamped !== String(runInfo.generation)) throw new SafetensorsError(path, `it is generation ${stamped ?? '(none)'} but ${RUN_FILE} names generation ${runInfo.generation}`);
    return { path, contents };
  };
  const params = await readGeneration(runInfo.files.params);
  const parameters: Record<string, ParameterValue> = Object.fromEntries(
    [...params.contents.tensors].map(([name, t]) => {
      if (t.dtype !== 'F32') throw new SafetensorsError(params.path, `parameter '${name}' must be F32, but is ${t.dtype}`);
      return [name, { values: t.data, shape: t.shape }];
    }),
  );
  let optimizerState: AdamState | undefined;
  if (runInfo.files.optimizer !== null) {
    const file = await readGeneration(runInfo.files.optimizer);
    optimizerState = adamStateFromTensors(file.contents, file.path);
    checkSlots(optimizerState, parameters, file.path);
  }
  return { dir, runInfo, parameters, optimizerState };
}

/**
 * Applies a loaded checkpoint to a freshly compiled model: its parameters,
 * a new Adam with the saved state (replacing and disposing any optimizer the
 * model had), CIWAE's learned β if the run learns one, the REINFORCE baseline if it has one, and its training position. Everything is checked before
 * anything changes.
 *
 * @throws UserError when the source's SHA-256 differs (unless `allowSourceChange`)
 *   or the parameters' names or shapes do not match the model (all mismatches listed)
 */
export async function restoreInto(model: StrataModel, loaded: LoadedCheckpoint, options: RestoreOptions = {}): Promise<void> {
  checkSource(loaded, model, options);
  const mismatches = parameterMismatches(model, loaded.parameters);
  if (mismatches.length > 0) {
    throw new UserError(`checkpoint '${loaded.dir}' does not fit ${model.name}: ${mismatches.join('; ')}`);
  }
  const learnedBeta = loaded.runInfo.learnedBeta === undefined ? undefined : LearnedBeta.fromState(loaded.runInfo.learnedBeta);
  const scoreBaseline = loaded.runInfo.scoreBaseline;
  if (scoreBaseline !== undefined && !Number.isFinite(scoreBaseline)) throw new UserError(`checkpoint '${loaded.dir}': run.json's scoreBaseline ${JSON.stringify(scoreBaseline)} is not a finite number`);
  const optimizer = loaded.optimizerState ? await createAdam(model, loaded.optimizerState) : undefined;
  model.learnedBeta = learnedBeta;
  model.scoreBaseline.restore(scoreBaseline);
  model.setParameters(loaded.parameters);
  model.optimizer?.dispose();
  model.groupOptimizers?.model.dispose();
  model.groupOptimizers?.guide.dispose();
  model.groupOptimizers = undefined;
  model.optimizer = optimizer; // infer() splits it per parameter group when the objective needs that
  // infer() replaces an optimizer whose recorded rate differs from the one it is given.
  model.optimizerLearningRate = loaded.optimizerState?.config.learningRate;
  model.position = { epoch: loaded.runInfo.position.epoch, step: loaded.runInfo.position.step };
}

/**
 * run.json, the record of a training run that a checkpoint directory keeps:
 * which tensor files hold the current state (by generation), the model and
 * its source hash, the options, where training stands, the seed its random
 * streams derive from, and the last epoch's metrics. Written last, so it
 * always names a complete, consistent set of files.
 */
import { createHash } from 'node:crypto';
import type { AnnealSchedule } from '../../inference/anneal.js';
import type { DiscreteMode } from '../../backend/compile/trace.js';
import type { TemperatureSchedule } from '../../inference/temperature.js';
import type { GradientEstimator, ObjectiveName } from '../../inference/objectives/index.js';
import type { EpochRecord, TrainPosition } from '../../inference/train.js';
import type { LearnedBetaState } from '../../inference/objectives/learned-beta.js';
import { packageVersion } from '../../util/package-version.js';
import { UserError } from '../../util/user-error.js';

/** The run.json format this module writes and reads. */
export const RUN_FORMAT = 1;

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** The training options of a run, as given (defaults filled in by the caller). */
export interface RunOptions {
  readonly objective: ObjectiveName;
  readonly k?: number;
  /** miwae: M bounds of k samples each. */
  readonly m?: number;
  /** ciwae: the ELBO's weight, or `'learn'` (its current value is in `RunJson.learnedBeta`). */
  readonly beta?: number | 'learn';
  /** ciwae with `beta: 'learn'`: β's initial value. */
  readonly betaInit?: number;
  /** vae: free bits, λ nats per latent. */
  readonly freeBits?: Readonly<Record<string, number>>;
  readonly estimator?: GradientEstimator;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly clipNorm?: number;
  readonly anneal?: AnnealSchedule;
  /** Training mode of each discrete latent (`score` where absent). */
  readonly discrete?: Readonly<Record<string, DiscreteMode>>;
  /** Temperature schedules of relaxed discrete latents. */
  readonly temperature?: TemperatureSchedule;
  /** The run's seed: every epoch's stream is `epochStream(seed, epoch)`, so the seed and position fix all randomness. */
  readonly seed: number;
  /** Epochs requested for the whole run. */
  readonly epochs: number;
  /** How the data was given (files, columns, split), recorded as is. */
  readonly data?: JsonValue;
}

/** What `saveCheckpoint` needs to know that the model does not hold. */
export interface RunInfo {
  /** The model file as the user named it. */
  readonly modelPath: string;
  /** The model's source text; its SHA-256 is recorded and checked on resume. */
  readonly source: string;
  readonly options: RunOptions;
  /** Metrics of the last epoch completed, if any. */
  readonly lastEpoch?: EpochRecord;
}

/** The contents of run.json. */
export interface RunJson {
  readonly format: typeof RUN_FORMAT;
  /** Generation of the tensor files below; bumped by every save. */
  readonly generation: number;
  /** File names inside the checkpoint directory. */
  readonly files: { readonly params: string; readonly optimizer: string | null };
  readonly model: { readonly path: string; readonly sha256: string; readonly guide: string };
  readonly options: RunOptions;
  /** Epochs completed and steps into the next: where a resumed run starts. */
  readonly position: TrainPosition;
  readonly rng: { readonly seed: number };
  /** The tfjs backend that trained (`cpu`, `wasm`, `tensorflow`). */
  readonly backend: string;
  readonly strataVersion: string;
  /** ISO 8601 times of the first and the latest save. */
  readonly created: string;
  readonly updated: string;
  readonly metrics: EpochRecord | null;
  /** CIWAE's learned β (`beta: 'learn'`): its logit and Adam moments, exactly (run.json numbers are doubles). */
  readonly learnedBeta?: LearnedBetaState;
  /** vae with score-function latents: the REINFORCE baseline's moving average, exactly (absent before its first update). */
  readonly scoreBaseline?: number;
}

/** Hex SHA-256 of a model's source text (UTF-8). */
export function sourceSha256(source: string): string {
  return createHash('sha256').update(source, 'utf8').digest('hex');
}


/** A file name inside the checkpoint directory: no separators, no leading dot. */
export function isPlainFileName(name: unknown): name is string {
  return typeof name === 'string' && /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** [field path, test, what it must be] for every field a resume relies on. */
const REQUIRED: readonly (readonly [string, (v: unknown) => boolean, string])[] = [
  ['generation', isCount, 'a non-negative integer'],
  ['files.params', isPlainFileName, 'a file name'],
  ['files.optimizer', (v) => v === null || isPlainFileName(v), 'a file name or null'],
  ['model.path', (v) => typeof v === 'string', 'a string'],
  ['model.sha256', (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v), 'a hex SHA-256'],
  ['model.guide', (v) => typeof v === 'string', 'a string'],
  ['options.objective', (v) => typeof v === 'string', 'a string'],
  ['options.batchSize', (v) => isCount(v) && v > 0, 'a positive integer'],
  ['options.learningRate', (v) => typeof v === 'number' && v > 0, 'a positive number'],
  ['options.seed', (v) => typeof v === 'number' && Number.isSafeInteger(v), 'an integer'],
  ['options.epochs', isCount, 'a non-negative integer'],
  ['position.epoch', isCount, 'a non-negative integer'],
  ['position.step', isCount, 'a non-negative integer'],
  ['rng.seed', (v) => typeof v === 'number' && Number.isSafeInteger(v), 'an integer'],
];

function lookup(root: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), root);
}

/**
 * Parses and checks run.json.
 * @param path the file name used in error messages
 * @throws UserError on invalid JSON, another format version or a missing or ill-typed field
 */
export function parseRunJson(text: string, path: string): RunJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new UserError(`cannot read '${path}': not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
  if (!isObject(json)) throw new UserError(`cannot read '${path}': not a JSON object`);
  if (json['format'] !== RUN_FORMAT) {
    throw new UserError(`cannot read '${path}': checkpoint format ${JSON.stringify(json['format'])}; Strata ${packageVersion()} reads format ${RUN_FORMAT}`);
  }
  const bad = REQUIRED.filter(([field, test]) => !test(lookup(json, field))).map(([field, , want]) => `'${field}' must be ${want}`);
  if (bad.length > 0) throw new UserError(`cannot read '${path}': ${bad.join('; ')}`);
  return json as unknown as RunJson;
}

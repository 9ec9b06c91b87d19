/**
 * Adam's state as a checkpoint stores it: hyperparameters, the step count,
 * the bias-correction accumulators β1^(t+1) and β2^(t+1), and the first and
 * second moments of every parameter, keyed by Strata parameter names (tfjs
 * variable names carry a per-instance suffix, so they do not survive a reload).
 *
 * tfjs 4.22's AdamOptimizer (tfjs-core/src/optimizers/adam_optimizer.ts):
 * - `getWeights()` returns `[iter, ...m, ...v]`, slots named `${variable.name}/m`
 *   and `/v`; `iter` is a fresh int32 scalar the caller must dispose.
 * - `applyGradients` matches slot i to the i-th gradient by position, not
 *   name, so slots are restored in the order train-step passes variables
 *   (`variablesOf('all')`, i.e. IR parameter order).
 * - `setWeights` recomputes the accumulators as `pow(β, iter + 1)`, which
 *   differs in the last bits from the running product `applyGradients` keeps;
 *   for a bitwise-identical resume we store them and assign them back.
 */
import * as tf from '@tensorflow/tfjs';
import type { StrataModel } from '../strata-model.js';
import { SafetensorsError, type SafeTensor, type SafetensorsContents } from './safetensors.js';

export interface AdamConfig {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

/** First and second moments of one parameter, row-major. */
export interface AdamSlots {
  readonly shape: readonly number[];
  readonly m: Float32Array;
  readonly v: Float32Array;
}

export interface AdamState {
  readonly config: AdamConfig;
  /** Optimizer steps taken. */
  readonly iterations: number;
  /** β1^(t+1) and β2^(t+1) as float32, when the optimizer exposes them. */
  readonly accumulators?: { readonly beta1: number; readonly beta2: number };
  /** Moments by Strata parameter name; empty before the first step. */
  readonly slots: ReadonlyMap<string, AdamSlots>;
}

/** The private fields of tfjs's AdamOptimizer that getWeights leaves out. */
interface AdamInternals {
  accBeta1?: unknown;
  accBeta2?: unknown;
}

const FORMAT = 'strata-adam-1';
const SLOT = /^(.*)\/(m|v)$/;

async function scalarValue(t: unknown): Promise<number | undefined> {
  return t instanceof tf.Variable && t.size === 1 ? (await t.data())[0] : undefined;
}

/**
 * Reads the model's Adam state (undefined when it has no optimizer yet). With
 * one Adam per parameter group the two are read as one state: they step
 * together, so their step counts and accumulators agree, and their slots are
 * disjoint.
 * @throws Error when an optimizer is not Adam, holds a slot for no parameter of the model, or the group optimizers disagree
 */
export async function readAdamState(model: StrataModel): Promise<AdamState | undefined> {
  if (model.groupOptimizers !== undefined) {
    const [a, b] = await Promise.all([readOne(model, model.groupOptimizers.model), readOne(model, model.groupOptimizers.guide)]);
    if (a.iterations !== b.iterations || a.accumulators?.beta1 !== b.accumulators?.beta1 || a.accumulators?.beta2 !== b.accumulators?.beta2) {
      throw new Error(`saveCheckpoint: the model and guide optimizers of ${model.name} have taken different numbers of steps (${a.iterations} and ${b.iterations})`);
    }
    return { ...a, slots: new Map([...a.slots, ...b.slots]) };
  }
  return model.optimizer === undefined ? undefined : readOne(model, model.optimizer);
}

async function readOne(model: StrataModel, optimizer: tf.Optimizer): Promise<AdamState> {
  if (optimizer.getClassName() !== 'Adam') throw new Error(`saveCheckpoint: only Adam state can be saved, but the model's optimizer is ${optimizer.getClassName()}`);
  const config = optimizer.getConfig() as unknown as AdamConfig;
  const strataName = new Map([...model.compiled.variables].map(([name, v]) => [v.name, name]));
  const [iter, ...weights] = await optimizer.getWeights();
  try {
    const iterations = (await iter!.tensor.data())[0]!;
    const halves = new Map<string, { m?: Float32Array; v?: Float32Array; shape: number[] }>();
    for (const w of weights) {
      const [, variable, kind] = SLOT.exec(w.name) ?? [];
      const name = variable === undefined ? undefined : strataName.get(variable);
      if (name === undefined) throw new Error(`saveCheckpoint: optimizer slot '${w.name}' belongs to no parameter of ${model.name}`);
      const entry = halves.get(name) ?? { shape: [...w.tensor.shape] };
      entry[kind as 'm' | 'v'] = ((await w.tensor.data()) as Float32Array).slice();
      halves.set(name, entry);
    }
    const slots = new Map([...halves].map(([name, h]) => [name, { shape: h.shape, m: h.m!, v: h.v! }]));
    const internals = optimizer as unknown as AdamInternals;
    const beta1 = await scalarValue(internals.accBeta1);
    const beta2 = await scalarValue(internals.accBeta2);
    const accumulators = beta1 !== undefined && beta2 !== undefined ? { beta1, beta2 } : undefined;
    return { config: { learningRate: config.learningRate, beta1: config.beta1, beta2: config.beta2, epsilon: config.epsilon }, iterations, accumulators, slots };
  } finally {
    iter!.tensor.dispose();
  }
}

/** The state as safetensors: `iter` (I32), `acc_beta1`/`acc_beta2` (F32), `<param>/m` and `<param>/v` (F32). */
export function adamStateToTensors(state: AdamState): { tensors: Map<string, SafeTensor>; metadata: Record<string, string> } {
  const tensors = new Map<string, SafeTensor>([['iter', { dtype: 'I32', shape: [], data: Int32Array.of(state.iterations) }]]);
  if (state.accumulators) {
    tensors.set('acc_beta1', { dtype: 'F32', shape: [], data: Float32Array.of(state.accumulators.beta1) });
    tensors.set('acc_beta2', { dtype: 'F32', shape: [], data: Float32Array.of(state.accumulators.beta2) });
  }
  for (const [name, s] of state.slots) {
    tensors.set(`${name}/m`, { dtype: 'F32', shape: s.shape, data: s.m });
    tensors.set(`${name}/v`, { dtype: 'F32', shape: s.shape, data: s.v });
  }
  const { learningRate, beta1, beta2, epsilon } = state.config;
  return { tensors, metadata: { format: FORMAT, optimizer: 'adam', learningRate: String(learningRate), beta1: String(beta1), beta2: String(beta2), epsilon: String(epsilon) } };
}

function scalarOf(contents: SafetensorsContents, name: string, dtype: 'I32' | 'F32', path: string): number | undefined {
  const t = contents.tensors.get(name);
  if (t === undefined) return undefined;
  if (t.dtype !== dtype || t.shape.length !== 0) throw new SafetensorsError(path, `'${name}' must be a ${dtype} scalar`);
  return t.data[0]!;
}

/**
 * Reads the state back from a file's contents.
 * @throws SafetensorsError naming the file when a field is missing or malformed
 */
export function adamStateFromTensors(contents: SafetensorsContents, path: string): AdamState {
  const meta = contents.metadata;
  if (meta['format'] !== FORMAT) throw new SafetensorsError(path, `not a Strata Adam state (metadata format ${JSON.stringify(meta['format'])}, expected '${FORMAT}')`);
  const number = (key: string) => {
    const value = Number(meta[key]);
    if (meta[key] === undefined || !Number.isFinite(value)) throw new SafetensorsError(path, `metadata '${key}' must be a number, but is ${JSON.stringify(meta[key])}`);
    return value;
  };
  const config = { learningRate: number('learningRate'), beta1: number('beta1'), beta2: number('beta2'), epsilon: number('epsilon') };
  const iterations = scalarOf(contents, 'iter', 'I32', path);
  if (iterations === undefined) throw new SafetensorsError(path, "the step count 'iter' is missing");
  const beta1 = scalarOf(contents, 'acc_beta1', 'F32', path);
  const beta2 = scalarOf(contents, 'acc_beta2', 'F32', path);
  const halves = new Map<string, { m?: Float32Array; v?: Float32Array; shape: readonly number[] }>();
  for (const [key, t] of contents.tensors) {
    if (key === 'iter' || key === 'acc_beta1' || key === 'acc_beta2') continue;
    const [, name, kind] = SLOT.exec(key) ?? [];
    if (name === undefined) throw new SafetensorsError(path, `unexpected tensor '${key}' (slots are named '<parameter>/m' and '<parameter>/v')`);
    if (t.dtype !== 'F32') throw new SafetensorsError(path, `slot '${key}' must be F32, but is ${t.dtype}`);
    const entry = halves.get(name) ?? { shape: t.shape };
    if (entry.shape.join() !== t.shape.join()) throw new SafetensorsError(path, `slots of '${name}' have different shapes`);
    entry[kind as 'm' | 'v'] = t.data;
    halves.set(name, entry);
  }
  const unpaired = [...halves].filter(([, h]) => !h.m || !h.v).map(([name]) => name);
  if (unpaired.length > 0) throw new SafetensorsError(path, `parameters with only one of their m and v slots: ${unpaired.join(', ')}`);
  const slots = new Map([...halves].map(([name, h]) => [name, { shape: h.shape, m: h.m!, v: h.v! }]));
  return { config, iterations, accumulators: beta1 !== undefined && beta2 !== undefined ? { beta1, beta2 } : undefined, slots };
}

/**
 * A new Adam holding `state` for the parameters of `group`, slots bound to
 * `model`'s variables in `variablesOf(group)` order (the order train-step
 * passes gradients). The caller has checked that the slots cover every
 * parameter (or none) with matching shapes.
 */
export async function createAdam(model: StrataModel, state: AdamState, group: 'all' | 'model' | 'guide' = 'all'): Promise<tf.Optimizer> {
  const { learningRate, beta1, beta2, epsilon } = state.config;
  const optimizer = tf.train.adam(learningRate, beta1, beta2, epsilon);
  const weights: Awaited<ReturnType<tf.Optimizer['getWeights']>> = [{ name: 'iter', tensor: tf.scalar(state.iterations, 'int32') }];
  if (state.slots.size > 0) {
    const parameters = model.ir.parameters.filter((p) => group === 'all' || p.owner.kind === group).map((p) => ({ variable: model.compiled.variables.get(p.name)!, slots: state.slots.get(p.name)! }));
    for (const kind of ['m', 'v'] as const) {
      for (const { variable, slots } of parameters) weights.push({ name: `${variable.name}/${kind}`, tensor: tf.tensor(slots[kind], [...slots.shape], 'float32') });
    }
  }
  try {
    // setWeights makes each slot a variable sharing the tensor's data; ours can go.
    await optimizer.setWeights(weights);
    const { accBeta1, accBeta2 } = optimizer as unknown as AdamInternals;
    if (state.accumulators && accBeta1 instanceof tf.Variable && accBeta2 instanceof tf.Variable) {
      const { beta1: acc1, beta2: acc2 } = state.accumulators;
      tf.tidy(() => {
        accBeta1.assign(tf.scalar(acc1, 'float32'));
        accBeta2.assign(tf.scalar(acc2, 'float32'));
      });
    }
  } catch (error) {
    optimizer.dispose();
    throw error;
  } finally {
    tf.dispose(weights.map((w) => w.tensor));
  }
  return optimizer;
}

/**
 * Rows 'train-step k=K': one optimizer step of the benchmark TDVAE
 * (models/tdvae-bench.ppl) on a batch of 100 patches with the IWAE loss and
 * Adam at 1e-4, exactly what `infer` runs per step (`trainStep`: trace,
 * loss, gradients, global norm, read-back, Adam update).
 */
import * as tf from '@tensorflow/tfjs';
import type { StrataModel } from '../src/index.js';
import { createObjective, type GradientEstimator, type ObjectiveName } from '../src/index.js';
import { trainStep, type Optimizers } from '../src/inference/train-step.js';
import { syntheticPatches } from './patches.js';
import type { RepeatPlan } from './repeat.js';
import { measureRow, type Measurement } from './row.js';

export const BATCH = 100;
export const LEARNING_RATE = 1e-4;
/** Distinct batches the steps cycle through. */
const BATCHES = 4;

/** The model's single data variable: its name and width. */
export function dataVariable(model: StrataModel): { name: string; width: number } {
  const data = model.ir.data;
  if (data.length !== 1 || data[0]!.shape.length !== 1) throw new Error('the benchmark model must have one data variable of shape [d]');
  return { name: data[0]!.name, width: data[0]!.shape[0]! };
}

/** An objective with its options, as the objective rows vary it. */
export interface ObjectiveVariant {
  readonly objective: ObjectiveName;
  readonly estimator: GradientEstimator;
  readonly k: number;
  readonly m?: number;
  readonly beta?: number;
}

/**
 * The objective × estimator rows (issue 10): each at k = 10 samples per data point where the objective
 * draws k (MIWAE and PIWAE draw M·k: 8×8 and 2×5), next to 'train-step k=10' (IWAE, reparam).
 */
export const OBJECTIVE_VARIANTS: readonly ObjectiveVariant[] = [
  { objective: 'iwae', estimator: 'stl', k: 10 },
  { objective: 'iwae', estimator: 'dreg', k: 10 },
  { objective: 'tdiwae', estimator: 'reparam', k: 10 },
  { objective: 'tdiwae', estimator: 'dreg', k: 10 },
  { objective: 'ciwae', estimator: 'reparam', k: 10, beta: 0.5 },
  { objective: 'ciwae', estimator: 'dreg', k: 10, beta: 0.5 },
  { objective: 'miwae', estimator: 'reparam', k: 8, m: 8 },
  { objective: 'miwae', estimator: 'dreg', k: 8, m: 8 },
  { objective: 'piwae', estimator: 'reparam', k: 5, m: 2 },
  { objective: 'piwae', estimator: 'dreg', k: 5, m: 2 },
];

/** 'tdiwae dreg k=10', 'miwae 8x8 reparam'. */
export function variantLabel(v: ObjectiveVariant): string {
  return `${v.objective} ${v.m === undefined ? `k=${v.k}` : `${v.m}x${v.k}`} ${v.estimator}`;
}

/** The benchmark's step: a fresh Adam (two for objectives that train model and guide apart) and an objective stepping through `BATCHES` batches. */
export function createStepper(model: StrataModel, k: number, variant: ObjectiveVariant = { objective: 'iwae', estimator: 'reparam', k }): { step: () => Promise<void>; dispose: () => void } {
  const { name, width } = dataVariable(model);
  const objective = createObjective(variant.objective, { k: variant.k, estimator: variant.estimator, m: variant.m, beta: variant.beta });
  objective.validate(model.ir, model.guide); // as infer does: it decides, e.g., whether DReG runs in one pass
  const optimizers: Optimizers = objective.separateGroups ? { model: tf.train.adam(LEARNING_RATE), guide: tf.train.adam(LEARNING_RATE) } : { all: tf.train.adam(LEARNING_RATE) };
  const batches = Array.from({ length: BATCHES }, (_, i) => syntheticPatches(BATCH, width, 100 + i));
  let index = 0;
  const step = async () => {
    const i = index++;
    await trainStep(model.compiled, objective, optimizers, { [name]: batches[i % BATCHES]! }, { guide: model.guide, seed: i, betas: new Map(), step: i });
  };
  return { step, dispose: () => (tf.dispose(batches), Object.values(optimizers).forEach((o: tf.Optimizer) => o.dispose())) };
}

/** Times a training step per objective × estimator variant, each from the same initial parameters. */
export async function benchObjectiveSteps(model: StrataModel, variants: readonly ObjectiveVariant[], plan: RepeatPlan, backend: string): Promise<Measurement[]> {
  const initial = model.getParameters();
  const rows: Measurement[] = [];
  for (const variant of variants) {
    model.setParameters(initial);
    const stepper = createStepper(model, variant.k, variant);
    try {
      const spec = {
        id: `objective ${variantLabel(variant)}`,
        group: 'objective' as const,
        label: `train step, ${variantLabel(variant)}`,
        unit: 'steps/s',
        params: { k: variant.k, batch: BATCH, objective: variant.objective, estimator: variant.estimator, ...(variant.m === undefined ? {} : { m: variant.m }), optimizer: 'adam', learningRate: LEARNING_RATE },
      };
      rows.push(await measureRow(spec, { call: stepper.step, workPerCall: 1 }, plan, backend));
    } finally {
      stepper.dispose();
    }
  }
  model.setParameters(initial);
  return rows;
}

/**
 * Times the training step for each k, restoring the initial parameters
 * before each so every row starts from the same model.
 */
export async function benchTrainSteps(model: StrataModel, ks: readonly number[], plan: RepeatPlan, backend: string): Promise<Measurement[]> {
  const initial = model.getParameters();
  const rows: Measurement[] = [];
  for (const k of ks) {
    model.setParameters(initial);
    const stepper = createStepper(model, k);
    try {
      const spec = {
        id: `train-step k=${k}`,
        group: 'train-step' as const,
        label: `train step, k=${k}`,
        unit: 'steps/s',
        params: { k, batch: BATCH, objective: 'iwae', optimizer: 'adam', learningRate: LEARNING_RATE },
      };
      rows.push(await measureRow(spec, { call: stepper.step, workPerCall: 1 }, plan, backend));
    } finally {
      stepper.dispose();
    }
  }
  model.setParameters(initial);
  return rows;
}

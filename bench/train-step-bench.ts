/**
 * Rows 'train-step k=K': one optimizer step of the benchmark TDVAE
 * (models/tdvae-bench.ppl) on a batch of 100 patches with the IWAE loss and
 * Adam at 1e-4, exactly what `infer` runs per step (`trainStep`: trace,
 * loss, gradients, global norm, read-back, Adam update).
 */
import * as tf from '@tensorflow/tfjs';
import type { StrataModel } from '../src/index.js';
import { createObjective } from '../src/index.js';
import { trainStep } from '../src/inference/train-step.js';
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

/** The benchmark's step: a fresh Adam and IWAE-k objective stepping through `BATCHES` batches. */
export function createStepper(model: StrataModel, k: number): { step: () => Promise<void>; dispose: () => void } {
  const { name, width } = dataVariable(model);
  const objective = createObjective('iwae', { k });
  const optimizer = tf.train.adam(LEARNING_RATE);
  const batches = Array.from({ length: BATCHES }, (_, i) => syntheticPatches(BATCH, width, 100 + i));
  let index = 0;
  const step = async () => {
    const i = index++;
    await trainStep(model.compiled, objective, { all: optimizer }, { [name]: batches[i % BATCHES]! }, { guide: model.guide, seed: i, betas: new Map(), step: i });
  };
  return { step, dispose: () => (tf.dispose(batches), optimizer.dispose()) };
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

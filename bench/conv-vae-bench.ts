/**
 * Rows 'conv-vae train-step k=K' and 'conv-vae bound k=K': the convolutional
 * VAE of models/conv-vae-mnist.ppl (28x28x1 binary images; the guide two
 * stride-2 conv2d layers and a dense head, the decoder a dense layer and two
 * stride-2 deconv2d layers) on batches of 100 synthetic binary images. A
 * step is what `infer` runs (trace, IWAE loss, gradients, Adam at 1e-4); the
 * bound is `model.bound` over 100 images in chunks of 100 samples.
 * bench/pytorch/conv_vae_bench.py times the same model in PyTorch.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createObjective, loadModel, type StrataModel } from '../src/index.js';
import { trainStep } from '../src/inference/train-step.js';
import { SeededRandom } from '../src/backend/random.js';
import { repoRoot } from './paths.js';
import type { RepeatPlan } from './repeat.js';
import { measureRow, type Measurement } from './row.js';
import { BATCH, LEARNING_RATE } from './train-step-bench.js';

/** The benchmark's conv VAE. */
export const CONV_VAE_MODEL = 'models/conv-vae-mnist.ppl';
/** Samples per data point of the step rows, and of the bound row. */
export const CONV_VAE_KS: readonly number[] = [1, 10];
export const CONV_VAE_BOUND_K = 100;
/** Fraction of pixels that are 1 in the synthetic images (about MNIST's). */
const INK = 0.13;

/** `[rows, 784]` 0/1 pixels, each 1 with probability INK; the same for the same seed. */
export function syntheticImages(rows: number, seed: number): tf.Tensor2D {
  const rng = new SeededRandom(seed);
  return tf.tensor2d(Float32Array.from({ length: rows * 784 }, () => (rng.nextFloat() < INK ? 1 : 0)), [rows, 784]);
}

async function stepRow(model: StrataModel, k: number, plan: RepeatPlan, backend: string): Promise<Measurement> {
  const objective = createObjective('iwae', { k });
  const optimizers = { all: tf.train.adam(LEARNING_RATE) };
  const batches = Array.from({ length: 4 }, (_, i) => syntheticImages(BATCH, 100 + i));
  let index = 0;
  const call = async () => {
    const i = index++;
    await trainStep(model.compiled, objective, optimizers, { x: batches[i % batches.length]! }, { guide: model.guide, seed: i, betas: new Map(), step: i });
  };
  try {
    const spec = {
      id: `conv-vae train-step k=${k}`,
      group: 'conv-vae' as const,
      label: `conv VAE train step, k=${k}`,
      unit: 'steps/s',
      params: { k, batch: BATCH, objective: 'iwae', optimizer: 'adam', learningRate: LEARNING_RATE, model: CONV_VAE_MODEL },
    };
    return await measureRow(spec, { call, workPerCall: 1 }, plan, backend);
  } finally {
    tf.dispose(batches);
    optimizers.all.dispose();
  }
}

async function boundRow(model: StrataModel, k: number, plan: RepeatPlan, backend: string): Promise<Measurement> {
  const x = syntheticImages(BATCH, 7);
  let seed = 0;
  const call = async () => {
    await model.bound(x, { k, chunk: 100, seed: seed++ });
  };
  try {
    const spec = {
      id: `conv-vae bound k=${k}`,
      group: 'conv-vae' as const,
      label: `conv VAE bound, k=${k}`,
      unit: 'points/s',
      params: { k, chunk: 100, batch: BATCH, model: CONV_VAE_MODEL },
    };
    return await measureRow(spec, { call, workPerCall: BATCH }, plan, backend);
  } finally {
    tf.dispose(x);
  }
}

/** Every conv VAE row on the active backend, each step row from the same initial parameters. */
export async function benchConvVae(plan: RepeatPlan, backend: string): Promise<Measurement[]> {
  const model = await loadModel(path.join(repoRoot(), CONV_VAE_MODEL), { backend, seed: 0 });
  try {
    const initial = model.getParameters();
    const rows: Measurement[] = [];
    for (const k of CONV_VAE_KS) {
      model.setParameters(initial);
      rows.push(await stepRow(model, k, plan, backend));
    }
    model.setParameters(initial);
    rows.push(await boundRow(model, CONV_VAE_BOUND_K, plan, backend));
    return rows;
  } finally {
    model.dispose();
  }
}

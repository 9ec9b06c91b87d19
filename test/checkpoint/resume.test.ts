/**
 * The resume guarantee: training, saving, loading into a freshly compiled
 * model (with other initial values) and training on gives bitwise the same
 * parameters and Adam state as training on without the round trip, at an
 * epoch boundary and mid-epoch. And checkpoints leak no tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAdamState, type AdamState } from '../../src/driver/checkpoint/adam-state.js';
import { loadCheckpoint, restoreInto, saveCheckpoint } from '../../src/driver/checkpoint/checkpoint.js';
import { infer, type StrataModel } from '../../src/index.js';
import type { RunInfo } from '../../src/driver/checkpoint/checkpoint.js';
import { compile, INFO, parameterBytes, SOURCE, trainOptions } from './fixture.js';

let dir = '';
const models: StrataModel[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-ck-'));
});
afterEach(async () => {
  models.splice(0).forEach((m) => m.dispose());
  await rm(dir, { recursive: true });
});

async function fresh(seed: number): Promise<StrataModel> {
  const model = await compile(seed);
  models.push(model);
  return model;
}

/** The state with every array as hex, so `toEqual` compares bits. */
function stateBytes(state: AdamState | undefined) {
  if (state === undefined) return undefined;
  const hex = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
  return {
    config: state.config,
    iterations: state.iterations,
    accumulators: state.accumulators && Buffer.from(Float32Array.of(state.accumulators.beta1, state.accumulators.beta2).buffer).toString('hex'),
    slots: Object.fromEntries([...state.slots].map(([name, s]) => [name, { shape: s.shape, m: hex(s.m), v: hex(s.v) }])),
  };
}

async function roundTrip(from: StrataModel, seed: number): Promise<StrataModel> {
  await saveCheckpoint(dir, from, INFO);
  const to = await fresh(seed);
  await restoreInto(to, await loadCheckpoint(dir), { source: SOURCE });
  return to;
}

describe('resuming from a checkpoint', () => {
  it('restores parameters, Adam state and position exactly; one more epoch on both gives bitwise-identical parameters', async () => {
    const a = await fresh(0);
    await infer(a, trainOptions(1));
    const b = await roundTrip(a, 99);
    expect(parameterBytes(b)).toEqual(parameterBytes(a));
    expect(b.position).toEqual({ epoch: 1, step: 0 });
    const stateA = await readAdamState(a);
    expect(stateA!.iterations).toBe(5);
    expect(stateA!.slots.size).toBe(a.parameterNames().length);
    expect(stateBytes(await readAdamState(b))).toEqual(stateBytes(stateA));

    expect(b.optimizerLearningRate).toBe(0.01);
    const restored = b.optimizer;
    await infer(a, trainOptions(1));
    await infer(b, trainOptions(1));
    expect(b.optimizer).toBe(restored); // infer at the same rate keeps the restored Adam
    expect(a.position).toEqual({ epoch: 2, step: 0 });
    expect(b.position).toEqual(a.position);
    expect(parameterBytes(b)).toEqual(parameterBytes(a));
    expect(stateBytes(await readAdamState(b))).toEqual(stateBytes(await readAdamState(a)));
  });

  it('a run stopped mid-epoch, saved and resumed in a new model ends bitwise where an uninterrupted run ends', async () => {
    const straight = await fresh(0);
    await infer(straight, trainOptions(2));

    const stopped = await fresh(0);
    let steps = 0;
    const result = await infer(stopped, { ...trainOptions(2), onStep: () => void steps++, shouldStop: () => steps === 7 });
    expect(result.interrupted).toBe(true);
    expect(stopped.position).toEqual({ epoch: 1, step: 2 });

    const resumed = await roundTrip(stopped, 7);
    expect(resumed.position).toEqual({ epoch: 1, step: 2 });
    await infer(resumed, trainOptions(1)); // finishes epoch 1 from step 2
    expect(resumed.position).toEqual({ epoch: 2, step: 0 });
    expect(parameterBytes(resumed)).toEqual(parameterBytes(straight));
    expect(stateBytes(await readAdamState(resumed))).toEqual(stateBytes(await readAdamState(straight)));
  });

  it('a model saved before any training restores with no optimizer and position 0', async () => {
    const a = await fresh(3);
    const run = await saveCheckpoint(dir, a, INFO);
    expect(run.files.optimizer).toBeNull();
    const b = await fresh(4);
    await infer(b, trainOptions(1)); // b has an optimizer and a position; the restore replaces both
    await restoreInto(b, await loadCheckpoint(dir), { source: SOURCE });
    expect(parameterBytes(b)).toEqual(parameterBytes(a));
    expect(b.optimizer).toBeUndefined();
    expect(b.position).toEqual({ epoch: 0, step: 0 });
  });
});

/** Two Bernoulli bits trained by vae: REINFORCE with the model's moving-average baseline. */
const BITS_SOURCE = `
data x: real[6]
model {
  param prior_logits: real[2] = normal(0, 1)
  net decoder = linear(2 -> 6)
  z: binary[2] ~ Bernoulli(logits: prior_logits)
  x ~ Normal(decoder(z), 0.6)
}
guide q {
  net encoder = linear(6 -> 2)
  z ~ Bernoulli(logits: encoder(x))
}
`;
const BITS_INFO: RunInfo = { ...INFO, source: BITS_SOURCE, options: { ...INFO.options, objective: 'vae', k: 2 } };
const bitsOptions = (epochs: number) => ({ ...trainOptions(epochs), objective: 'vae' as const, k: 2 });

describe('resuming a score-function run', () => {
  it("keeps the REINFORCE baseline: a vae run with Bernoulli latents stopped mid-epoch and resumed ends bitwise where an uninterrupted one ends", async () => {
    const bits = async (seed: number) => {
      const model = await compile(seed, BITS_SOURCE);
      models.push(model);
      return model;
    };
    const straight = await bits(0);
    await infer(straight, bitsOptions(2));
    expect(straight.scoreBaseline.value).toBeDefined();

    const stopped = await bits(0);
    let steps = 0;
    await infer(stopped, { ...bitsOptions(2), onStep: () => void steps++, shouldStop: () => steps === 6 });
    const saved = stopped.scoreBaseline.value;
    await saveCheckpoint(dir, stopped, BITS_INFO);
    const resumed = await bits(7);
    await restoreInto(resumed, await loadCheckpoint(dir), { source: BITS_SOURCE });
    expect(resumed.scoreBaseline.value).toBe(saved);
    await infer(resumed, bitsOptions(1));
    expect(resumed.position).toEqual(straight.position);
    expect(resumed.scoreBaseline.value).toBe(straight.scoreBaseline.value);
    expect(parameterBytes(resumed)).toEqual(parameterBytes(straight));
  });
});

describe('tensor memory', () => {
  it('saving and loading create no tensors; restoring adds exactly the optimizer (2 accumulators + m and v per parameter), once', async () => {
    const a = await fresh(0);
    await infer(a, trainOptions(1));
    const b = await fresh(1);
    const parameters = b.parameterNames().length;

    const beforeSave = tf.memory().numTensors;
    await saveCheckpoint(dir, a, INFO);
    await saveCheckpoint(dir, a, INFO);
    const loaded = await loadCheckpoint(dir);
    expect(tf.memory().numTensors).toBe(beforeSave);

    await restoreInto(b, loaded, { source: SOURCE });
    expect(tf.memory().numTensors).toBe(beforeSave + 2 + 2 * parameters);
    await restoreInto(b, loaded, { source: SOURCE }); // replaces (and disposes) the optimizer it made
    expect(tf.memory().numTensors).toBe(beforeSave + 2 + 2 * parameters);
    await expect(restoreInto(b, loaded, { allowSourceChange: true, source: SOURCE + ' ' })).resolves.toBeUndefined();
    expect(tf.memory().numTensors).toBe(beforeSave + 2 + 2 * parameters);

    const beforeStep = tf.memory().numTensors;
    await infer(b, trainOptions(1));
    expect(tf.memory().numTensors).toBe(beforeStep);
  });

  it('a failed restore changes nothing and leaks nothing', async () => {
    const a = await fresh(0);
    await infer(a, trainOptions(1));
    await saveCheckpoint(dir, a, INFO);
    const b = await fresh(1);
    const before = { tensors: tf.memory().numTensors, parameters: parameterBytes(b) };
    await expect(restoreInto(b, await loadCheckpoint(dir), { source: SOURCE + '\n// edited\n' })).rejects.toThrow(/different source/);
    expect(tf.memory().numTensors).toBe(before.tensors);
    expect(parameterBytes(b)).toEqual(before.parameters);
    expect(b.optimizer).toBeUndefined();
  });
});

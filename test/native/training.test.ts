/**
 * The benchmark TDVAE (models/tdvae-bench.ppl) on the native backend against
 * the cpu backend: the IWAE loss and every parameter's gradient agree to
 * 1e-5 relative to that gradient's norm, a training step leaves
 * tf.memory().numTensors unchanged, and a few Adam steps in poison mode
 * (freed pool buffers filled with NaN) follow the cpu trajectory.
 *
 * The noise is drawn by tfjs-core's JavaScript generators, so both backends
 * see the same samples for the same seed.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/backend.js';
import { seededNormal } from '../../src/backend/random.js';
import { compileModel, createObjective, type StrataModel } from '../../src/index.js';
import { trainStep } from '../../src/inference/train-step.js';
import { nativeBackend, nativeBuilt } from './helpers.js';

const SOURCE = readFileSync(new URL('../../models/tdvae-bench.ppl', import.meta.url), 'utf8');
const BATCH = 12;
const K = 3;
/** Gradients agree to this, relative to each parameter's gradient norm. */
const GRAD_RTOL = 1e-5;

function batchOf(seed: number): tf.Tensor2D {
  return tf.tidy(() => tf.mul(seededNormal([BATCH, 400], seed), 0.3) as tf.Tensor2D);
}

/** Loss and gradients (as plain arrays) on the active backend. */
function lossAndGrads(model: StrataModel, x: tf.Tensor2D, seed: number): { loss: number; grads: Map<string, Float32Array> } {
  const objective = createObjective('iwae', { k: K });
  const { value, grads } = tf.variableGrads(() => {
    const trace = model.compiled.trace({ x }, objective.traceOptions(model.guide, seed));
    return objective.estimate(trace, new Map()).loss;
  }, model.compiled.variablesOf('all'));
  const result = {
    loss: value.dataSync()[0]!,
    grads: new Map(Object.entries(grads).map(([name, g]) => [name, Float32Array.from(g.dataSync())])),
  };
  tf.dispose([value, ...Object.values(grads)]);
  return result;
}

function norm(values: Float32Array): number {
  return Math.sqrt(values.reduce((s, v) => s + v * v, 0));
}

describe.skipIf(!nativeBuilt)('native backend on the benchmark TDVAE', () => {
  let model: StrataModel;
  let x: tf.Tensor2D;

  beforeAll(async () => {
    model = await compileModel(SOURCE, { backend: 'native', seed: 3, fileName: 'models/tdvae-bench.ppl' });
    x = batchOf(7);
  });

  afterAll(async () => {
    model?.dispose();
    x?.dispose();
    nativeBackend().pool.setPoison(false);
    await selectBackend('cpu');
  });

  it('gives the cpu backend\'s IWAE loss and gradients to 1e-5 relative to each gradient\'s norm', async () => {
    await selectBackend('native');
    const native = lossAndGrads(model, x, 11);
    await selectBackend('cpu');
    const cpu = lossAndGrads(model, x, 11);
    expect(Math.abs(native.loss - cpu.loss)).toBeLessThanOrEqual(GRAD_RTOL * Math.abs(cpu.loss));
    expect([...native.grads.keys()].sort()).toEqual([...cpu.grads.keys()].sort());
    for (const [name, want] of cpu.grads) {
      const got = native.grads.get(name)!;
      const diff = Float32Array.from(got, (g, i) => g - want[i]!);
      const relative = norm(diff) / norm(want);
      expect(norm(want), `gradient of ${name} is nonzero`).toBeGreaterThan(0);
      expect(relative, `gradient of ${name}: ‖native − cpu‖ / ‖cpu‖`).toBeLessThanOrEqual(GRAD_RTOL);
    }
  });

  it('keeps numTensors flat across training steps and follows the cpu trajectory in poison mode', async () => {
    const initial = model.getParameters();
    const run = async (backend: string, poison: boolean) => {
      await selectBackend(backend);
      if (backend === 'native') nativeBackend().pool.setPoison(poison);
      model.setParameters(initial);
      const optimizer = tf.train.adam(1e-3);
      const objective = createObjective('iwae', { k: K });
      const losses: number[] = [];
      for (let step = 0; step < 3; step++) {
        const before = tf.memory().numTensors;
        const result = await trainStep(model.compiled, objective, { all: optimizer }, { x }, { guide: model.guide, seed: 100 + step, betas: new Map(), step });
        if (step > 0) expect(tf.memory().numTensors, `numTensors after step ${step} on ${backend}`).toBe(before);
        losses.push(result.loss);
      }
      optimizer.dispose();
      return losses;
    };
    const native = await run('native', true);
    const cpu = await run('cpu', false);
    native.forEach((loss, i) => expect(Math.abs(loss - cpu[i]!), `loss at step ${i}`).toBeLessThanOrEqual(1e-4 * Math.abs(cpu[i]!)));
    expect(nativeBackend().pool.stats().reused).toBeGreaterThan(0);
  });
});

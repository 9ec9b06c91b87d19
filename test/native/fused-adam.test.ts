/**
 * The fused Adam update on the native backend is bit-identical to tfjs's
 * op-by-op AdamOptimizer on the cpu backend over several steps (including a
 * variable without a gradient), runs one kernel per variable, and leaks no
 * tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { NATIVE_ADAM_KERNEL } from '../../src/backend/native/fused-adam.js';
import { nativeKernelStats, resetNativeKernelStats } from '../../src/backend/native/stats.js';
import { nativeBackend, nativeBuilt, testValues } from './helpers.js';

const SHAPES: number[][] = [[3, 70], [17], [2, 2, 5]];

/** Runs `steps` Adam steps on fresh variables; returns their final values. */
async function train(backend: string, steps: number): Promise<number[][]> {
  await tf.setBackend(backend);
  const vars = SHAPES.map((shape, i) => tf.variable(tf.tensor(testValues(shape.reduce((p, d) => p * d, 1), 10 + i), shape), true, `adam-test-${backend}-${i}`));
  const optimizer = tf.train.adam(0.05, 0.8, 0.95, 1e-6);
  const before = tf.memory().numTensors;
  for (let step = 0; step < steps; step++) {
    const grads = tf.tidy(() => {
      const out: Record<string, tf.Tensor> = {};
      // The last variable gets no gradient on even steps.
      vars.forEach((v, i) => {
        if (i < vars.length - 1 || step % 2 === 1) out[v.name] = tf.tensor(testValues(v.size, 100 * step + i, { scale: 3 }), v.shape);
      });
      return out;
    });
    optimizer.applyGradients(grads as unknown as Parameters<typeof optimizer.applyGradients>[0]);
    tf.dispose(Object.values(grads));
    if (step === 0) continue; // the first step creates the moment variables
    expect(tf.memory().numTensors, `numTensors after step ${step}`).toBe(before + 2 * vars.length);
  }
  const values = vars.map((v) => Array.from(v.dataSync()));
  optimizer.dispose();
  tf.dispose(vars);
  return values;
}

describe.skipIf(!nativeBuilt)('fused Adam on the native backend', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('matches tfjs\'s AdamOptimizer on the cpu backend bit for bit, one kernel call per variable', async () => {
    nativeBackend();
    resetNativeKernelStats();
    const native = await train('native', 5);
    const stats = nativeKernelStats();
    const cpu = await train('cpu', 5);
    expect(native).toEqual(cpu);
    // 3 variables on odd steps, 2 on even ones: 2 + 3 + 2 + 3 + 2.
    expect(stats[NATIVE_ADAM_KERNEL]).toEqual({ native: 12, fallback: 0 });
  });
});

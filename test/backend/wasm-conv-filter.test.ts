/**
 * The Conv2DBackpropFilter kernel Strata registers for wasm (tfjs-backend-wasm
 * 4.22 has none; src/backend/wasm-conv-filter.ts) against the cpu kernel, over
 * image sizes, channels, kernels, strides and both paddings (including valid
 * convolutions whose last rows and columns no window reaches); it frees its
 * temporaries; and the conv VAE of models/ trains a step on wasm with tensor
 * counts flat.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/backend.js';
import { compileModel, infer } from '../../src/index.js';

/** The filter gradient of Σ dy ⊙ conv2d(x, w) on the named backend, as plain numbers. */
async function filterGrad(backend: string, x: Float32Array, xShape: number[], dy: Float32Array, dyShape: number[], k: number, stride: number, pad: 'same' | 'valid'): Promise<{ values: number[]; shape: number[] }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, xShape as [number, number, number, number]);
    const dyt = tf.tensor4d(dy, dyShape as [number, number, number, number]);
    const w = tf.zeros([k, k, xShape[3]!, dyShape[3]!]) as tf.Tensor4D;
    const grad = tf.grad((filter: tf.Tensor) => tf.sum(tf.mul(dyt, tf.conv2d(xt, filter as tf.Tensor4D, stride, pad))))(w);
    return { values: Array.from(grad.dataSync()), shape: grad.shape };
  });
}

const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 1.37) * 0.9);

describe('Conv2DBackpropFilter on wasm', () => {
  it('matches the cpu kernel and leaves no wasm tensor behind', async () => {
    await selectBackend('wasm');
    const cases = fc.sample(fc.record({
      n: fc.integer({ min: 1, max: 4 }), h: fc.integer({ min: 3, max: 12 }), w: fc.integer({ min: 3, max: 12 }),
      c: fc.integer({ min: 1, max: 3 }), f: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 4 }),
      stride: fc.integer({ min: 1, max: 3 }), pad: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
    }), { numRuns: 40, seed: 3 });
    for (const [i, { n, h, w, c, f, k, stride, pad }] of cases.entries()) {
      if (pad === 'valid' && (k > h || k > w)) continue;
      const size = (d: number) => (pad === 'same' ? Math.ceil(d / stride) : Math.floor((d - k) / stride) + 1);
      const xShape = [n, h, w, c];
      const dyShape = [n, size(h), size(w), f];
      const x = values(n * h * w * c, i);
      const dy = values(dyShape.reduce((a, b) => a * b, 1), i + 100);
      await tf.setBackend('wasm');
      const before = tf.engine().backend.numDataIds();
      const wasm = await filterGrad('wasm', x, xShape, dy, dyShape, k, stride, pad);
      expect(tf.engine().backend.numDataIds(), `case ${i}`).toBe(before);
      const cpu = await filterGrad('cpu', x, xShape, dy, dyShape, k, stride, pad);
      expect(wasm.shape).toEqual(cpu.shape);
      const scale = cpu.values.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
      cpu.values.forEach((v, j) => {
        if (Math.abs(wasm.values[j]! - v) > 1e-5 * scale) throw new Error(`case ${JSON.stringify(cases[i])} element ${j}: wasm ${wasm.values[j]} cpu ${v}`);
      });
    }
  });

  it('lets models/conv-vae-mnist.ppl train on wasm', async () => {
    const source = readFileSync(new URL('../../models/conv-vae-mnist.ppl', import.meta.url), 'utf8');
    const model = await compileModel(source, { backend: 'wasm', seed: 1, fileName: 'models/conv-vae-mnist.ppl' });
    try {
      const rows = Float32Array.from({ length: 20 * 784 }, (_, i) => ((i * 2654435761) % 97 < 13 ? 1 : 0));
      const start = tf.memory().numTensors;
      const { history } = await infer(model, { data: { values: rows, shape: [20, 784] }, k: 2, epochs: 1, batchSize: 10, seed: 0 });
      expect(history[0]!.steps).toBe(2);
      expect(Number.isFinite(history[0]!.loss)).toBe(true);
      expect(tf.memory().numTensors).toBe(start + 2 + 2 * model.parameterNames().length);
    } finally {
      model.dispose();
    }
  });
});

/**
 * Convolutional models train: a small conv VAE on 8x8 binary images on the
 * cpu backend (steps, finite losses, the bound rises, and
 * tf.memory().numTensors stays flat once Adam has its slots), and
 * models/conv-vae-mnist.ppl a few steps on the native backend where it is
 * built, with its bound, SIR samples and tensor count checked the same way.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compileModel, infer, type StrataModel } from '../../src/index.js';
import { loadNativeAddon } from '../../src/backend/native/addon.js';

const SMALL = `data x: binary[8, 8, 1]

model {
  net decoder = cnn(4 -> 4 * 4 * 4 -> reshape(4, 4, 4) -> deconv2d(1, 3, stride: 2), relu)
  z: real[4] ~ Normal(0, 1)
  x ~ Bernoulli(logits: decoder(z))
}

guide q {
  net encoder = cnn([8, 8, 1] -> conv2d(4, 3, stride: 2) -> maxpool2d(2) -> flatten -> 8, relu)
  e = encoder(x)
  z ~ Normal(loc: e[0:4], scale: softplus(e[4:]) + 1e-3)
}
`;

/** Binary 8x8 images: a bright square in one of four corners, as flat rows of 64. */
function corners(n: number): Float32Array {
  const out = new Float32Array(n * 64);
  for (let i = 0; i < n; i++) {
    const [oy, ox] = [(i % 2) * 4, (Math.floor(i / 2) % 2) * 4];
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) out[i * 64 + (oy + y) * 8 + ox + x] = 1;
  }
  return out;
}

/** What a first `infer` may leave: Adam's two scalars and two slots per variable. */
const adamState = (model: StrataModel) => 2 + 2 * model.parameterNames().length;

describe('a conv VAE on the cpu backend', () => {
  it('trains: finite losses, a rising bound, no tensor left behind per step', async () => {
    const model = await compileModel(SMALL, { backend: 'cpu', seed: 2, fileName: 'small-conv.ppl' });
    try {
      const data = { values: corners(40), shape: [40, 64] as [number, number] };
      const initial = await model.bound(data, { k: 20, seed: 1 });
      // The API takes images as flat rows [n, 64] or as a tensor [n, 8, 8, 1]: the same numbers.
      const images = tf.tensor4d(data.values, [40, 8, 8, 1]);
      expect(await model.bound(images, { k: 20, seed: 1 })).toEqual(initial);
      images.dispose();
      const start = tf.memory().numTensors;
      const { history } = await infer(model, { data, objective: 'iwae', k: 4, epochs: 6, batchSize: 10, learningRate: 1e-2, seed: 0 });
      expect(tf.memory().numTensors).toBe(start + adamState(model));
      await infer(model, { data, objective: 'vae', epochs: 1, batchSize: 10, learningRate: 1e-2, seed: 1 });
      expect(tf.memory().numTensors).toBe(start + adamState(model));
      expect(history.every((h) => h.steps === 4 && Number.isFinite(h.loss) && h.gradNorm > 0)).toBe(true);
      const final = await model.bound(data, { k: 20, seed: 1 });
      const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
      // 28 Adam steps at lr 1e-2 on four distinct images: the bound gains tens of nats (64 pixels start near log 2 each).
      expect(mean(final) - mean(initial)).toBeGreaterThan(10);
    } finally {
      model.dispose();
    }
  });
});

describe.skipIf(!loadNativeAddon().ok)('models/conv-vae-mnist.ppl on the native backend', () => {
  it('trains a few steps on 28x28 images given as flat rows, then bounds and samples, with no tensor left behind', async () => {
    const source = readFileSync(new URL('../../models/conv-vae-mnist.ppl', import.meta.url), 'utf8');
    const model = await compileModel(source, { backend: 'native', seed: 1, fileName: 'models/conv-vae-mnist.ppl' });
    try {
      let s = 1;
      const rows = Float32Array.from({ length: 60 * 784 }, () => ((s = (s * 48271) % 2147483647) / 2147483647 < 0.2 ? 1 : 0));
      const data = { values: rows, shape: [60, 784] as [number, number] };
      const start = tf.memory().numTensors;
      const { history } = await infer(model, { data, k: 3, epochs: 1, batchSize: 20, seed: 0 });
      expect(tf.memory().numTensors).toBe(start + adamState(model));
      expect(history[0]!.steps).toBe(3);
      expect(Number.isFinite(history[0]!.loss)).toBe(true);
      const bound = await model.bound({ values: rows.subarray(0, 5 * 784), shape: [5, 784] }, { k: 10 });
      expect(bound).toHaveLength(5);
      expect(Array.from(bound).every((b) => Number.isFinite(b) && b < 0)).toBe(true);
      const { samples } = await model.sample({ values: rows.subarray(0, 2 * 784), shape: [2, 784] }, { k: 5, n: 3 });
      expect(samples['z']!.shape).toEqual([2, 3, 16]);
      expect(tf.memory().numTensors).toBe(start + adamState(model));
    } finally {
      model.dispose();
    }
  });
});

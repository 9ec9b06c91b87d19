/**
 * SIR on the wasm backend with a wide latent (regression: tfjs-backend-wasm
 * 4.22's GatherV2 with batchDims = 1 wrote out of bounds once k·draws·d passed
 * about 50,000 values, so `strata sample` and the report's correlations
 * crashed on TDVAE's 450-d z1; resampling now gathers rows of a flat matrix).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../src/index.js';

const SOURCE = `
X = 2
Z = 450

data x: real[X]

model {
  net decoder = linear(Z -> X)
  z: real[Z] ~ Normal(0, 1)
  x ~ Normal(decoder(z), 1)
}

guide q {
  net encode = linear(X -> 2 * Z)
  e = encode(x)
  z ~ Normal(loc: e[0:Z], scale: softplus(e[Z:]) + 1e-3)
}
`;

describe('SIR on wasm', () => {
  it('draws k = 10 resampled particles of a 450-d latent without corrupting memory, and keeps no tensors', async () => {
    const model = await compileModel(SOURCE, { backend: 'wasm', seed: 1, fileName: 'wide.ppl' });
    try {
      expect(tf.getBackend()).toBe('wasm');
      const before = tf.memory().numTensors;
      const result = await model.sample([[0.5, -1], [2, 0]], { k: 10, n: 300, seed: 4 });
      expect(tf.memory().numTensors).toBe(before);
      expect(result.samples['z']!.shape).toEqual([2, 300, 450]);
      expect(result.samples['z']!.values.every(Number.isFinite)).toBe(true);
      // Every draw is one of the guide's particles, so it is not the zero vector a wrong gather would leave behind.
      const z = result.samples['z']!.values;
      for (let s = 0; s < 600; s++) expect(z.subarray(s * 450, (s + 1) * 450).some((v) => v !== 0)).toBe(true);
      for (const e of result.ess) expect(e).toBeGreaterThanOrEqual(1 - 1e-4);
    } finally {
      model.dispose();
    }
  });
});

/**
 * Slices that partition a value are computed by one split: which names
 * qualify, and that the trace's values and gradients are bit-identical to
 * slicing each part on its own (the split only changes how the gradient is
 * assembled: a concat instead of zero-padded copies added together).
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkSource } from '../../src/frontend/check.js';
import { slicePartitions } from '../../src/backend/compile/slice-partitions.js';
import { logWeights } from '../../src/inference/objectives/log-weights.js';
import { compileModel } from '../../src/index.js';

const models = path.join(import.meta.dirname, '../../models');
const irOf = (source: string) => {
  const checked = checkSource(source);
  if (!checked.ir) throw new Error(JSON.stringify(checked.diagnostics));
  return checked.ir;
};

const template = (slices: string) => `
data x: real[4]
model {
  net f = linear(2 -> 12)
  z: real[2] ~ Normal(0, 1)
  p = f(z)
  ${slices}
}
guide g {
  z ~ Normal(0, 1)
}
`;

describe('slicePartitions', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('finds the loc/scale halves of the benchmark model in model and guide', () => {
    const ir = irOf(readFileSync(path.join(models, 'tdvae-bench.ppl'), 'utf8'));
    expect(Object.fromEntries(slicePartitions(ir))).toEqual({ p: [450, 450], q1: [450, 450], q2: [20, 20] });
  });

  it('takes ranges that tile the value, in any order, and nothing else', () => {
    const partitions = (slices: string) => Object.fromEntries(slicePartitions(irOf(template(slices))));
    expect(partitions('x ~ Normal(loc: p[8:12] + p[0:4], scale: softplus(p[4:8]) + 0.1)')).toEqual({ p: [4, 4, 4] });
    // Only [0, 8) of 12 columns: listed, but a 12-wide value is then sliced as usual (its parts do not sum to 12).
    expect(partitions('x ~ Normal(loc: p[0:4], scale: softplus(p[4:8]) + 0.1)')).toEqual({ p: [4, 4] });
    expect(partitions('x ~ Normal(loc: p[0:4], scale: softplus(p[0:4]) + 0.1)')).toEqual({});
    expect(partitions('x ~ Normal(loc: p[0:4], scale: softplus(p[3:7]) + 0.1)')).toEqual({});
    expect(partitions('x ~ Normal(loc: p[0:4], scale: softplus(p[5:9]) + 0.1)')).toEqual({});
    expect(partitions('x ~ Normal(loc: p[4:8], scale: softplus(p[8:12]) + 0.1)')).toEqual({});
  });
});

describe('split slices in a trace', () => {
  it('give the same log-weights and gradients, bit for bit, as separate slices (benchmark model, cpu)', async () => {
    await tf.setBackend('cpu');
    const model = await compileModel(readFileSync(path.join(models, 'tdvae-bench.ppl'), 'utf8'), { backend: 'cpu', seed: 2 });
    const x = tf.randomNormal([3, 400], 0, 0.3, 'float32', 5) as tf.Tensor2D;
    const vars = model.compiled.variablesOf('all');
    const run = () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.mean(logWeights(model.compiled.trace({ x }, { k: 4, seed: 8 }))) as tf.Scalar, vars);
        return [value, ...vars.map((v) => grads[v.name]!)].map((t) => t.dataSync().slice());
      });
    try {
      const split = run();
      const partitions = model.compiled as unknown as { slicePartitions: Map<string, number[]> };
      const saved = new Map(partitions.slicePartitions);
      partitions.slicePartitions.clear();
      const sliced = run();
      saved.forEach((v, k) => partitions.slicePartitions.set(k, v));
      expect(sliced.length).toBe(split.length);
      split.forEach((a, i) => expect(Array.from(a)).toEqual(Array.from(sliced[i]!)));
      expect(tf.memory().numTensors).toBe(vars.length + 1);
    } finally {
      x.dispose();
      model.dispose();
    }
  });
});

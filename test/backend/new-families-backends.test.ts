/**
 * The new families on every backend Strata picks from here: the native
 * addon's backend (cpu storage, fused kernels, its own gradient registrations)
 * and wasm give the cpu backend's samples, log densities and gradients, to
 * float32 accuracy. The samplers read their parameters with dataSync, which
 * each of these backends serves synchronously.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/backend.js';
import { Beta, Exponential, Gamma, LogNormal, StudentT, type ReparameterizedDistribution } from '../../src/backend/distributions/index.js';
import { nativeBuilt } from '../native/helpers.js';
import { expectAllClose } from './helpers.js';

/** Each family and the parameters it is built from (tf.grads needs every input used). */
const FAMILIES: readonly ((t: tf.Tensor[]) => ReparameterizedDistribution)[] = [
  ([df, scale, loc]) => new StudentT(df!, loc!, scale!),
  ([loc, scale]) => new LogNormal(loc!, scale!),
  ([a, b]) => new Gamma(a!, b!),
  ([a, b]) => new Beta(a!, b!),
  ([rate]) => new Exponential(rate!),
];
const PARAMETERS = [[0.7, 3], [1.5, 0.4], [0.2, 2]];
const ARITY = [3, 2, 2, 2, 1];

/** Samples (seeded), their log densities, and the gradients of both in every parameter. */
function evaluate(): number[][] {
  return tf.tidy(() =>
    FAMILIES.flatMap((build, i) => {
      const params = PARAMETERS.slice(0, ARITY[i]).map((p) => tf.tensor1d(p));
      const sample = (...t: tf.Tensor[]) => tf.sum(build(t).rsample(6, 4));
      const density = (...t: tf.Tensor[]) => tf.sum(build(t).logProb(tf.tidy(() => build(params).rsample(6, 5))));
      const x = build(params).rsample(6, 4);
      const flat = (t: tf.Tensor) => Array.from(t.dataSync());
      return [flat(x), flat(build(params).logProb(x)), ...tf.grads(sample)(params).map(flat), ...tf.grads(density)(params).map(flat)];
    }),
  );
}

const original = tf.getBackend();
afterAll(async () => {
  if (original) await tf.setBackend(original);
});

describe('the new families agree across backends', () => {
  let reference: number[][];

  it('computes the cpu reference', async () => {
    await selectBackend('cpu');
    reference = evaluate();
    expect(reference.flat().every(Number.isFinite)).toBe(true);
  });

  const matchesCpu = async (name: string) => {
    await selectBackend(name);
    const before = tf.memory().numTensors;
    const got = evaluate();
    expect(tf.memory().numTensors).toBe(before);
    got.forEach((values, i) => expectAllClose(values, reference[i]!, 1e-4, 1e-4, `${name} output ${i}`));
  };

  it.skipIf(!nativeBuilt)('native (the optional addon) matches cpu to 1e-4 relative', () => matchesCpu('native'));
  it('wasm matches cpu to 1e-4 relative', () => matchesCpu('wasm'));
});

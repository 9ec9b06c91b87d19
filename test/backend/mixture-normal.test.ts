/**
 * MixtureNormal and UniformMixture against direct double-precision
 * computations: the log-density as log Σ_j π_j Π_i N(x_i; μ_ji, σ_ji) over
 * random parameters (fast-check), the sampler's mean and variance against the
 * mixture's (seeded, 4 standard errors), reproducible seeds, shape errors.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MixtureNormal } from '../../src/backend/distributions/mixture-normal.js';
import { Normal } from '../../src/backend/distributions/normal.js';
import { UniformMixture } from '../../src/backend/distributions/uniform-mixture.js';
import { TestRandom } from '../helpers/linear-gaussian.js';
import { expectClose, meanAndVariance, useCpu, values } from './helpers.js';

beforeAll(useCpu);

const normalLogPdf = (x: number, m: number, s: number): number => -0.5 * ((x - m) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI);

/** log Σ_j e^{a_j}, shifted by the maximum. */
function logSumExp(a: readonly number[]): number {
  const m = Math.max(...a);
  return m + Math.log(a.reduce((s, v) => s + Math.exp(v - m), 0));
}

/** log p(x) of the mixture, component j's mean locs[j·d + i], scale scales[j·d + i] (or scales[0] for one). */
function mixtureLogPdf(x: readonly number[], logits: readonly number[], locs: readonly number[], scales: readonly number[]): number {
  const d = x.length;
  const logZ = logSumExp(logits);
  return logSumExp(logits.map((l, j) => l - logZ + x.reduce((s, v, i) => s + normalLogPdf(v, locs[j * d + i]!, scales.length === 1 ? scales[0]! : scales[j * d + i]!), 0)));
}

describe('MixtureNormal', () => {
  it('logProb is log Σ_j π_j Π_i N(x_i; μ_ji, σ_ji), for any K, d and parameters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 ** 30 }), fc.boolean(), (K, d, seed, shared) => {
        const rng = new TestRandom(seed);
        const logits = rng.normals(K, 2).map(Math.fround);
        const locs = rng.normals(K * d, 2).map(Math.fround);
        const scales = (shared ? [0.3 + Math.abs(rng.normal())] : Array.from({ length: K * d }, () => 0.2 + Math.abs(rng.normal()))).map(Math.fround);
        const xs = Array.from({ length: 3 }, () => rng.normals(d, 3).map(Math.fround));
        const got = tf.tidy(() => values(new MixtureNormal(tf.tensor1d(logits), tf.tensor1d(locs), tf.tensor1d(scales)).logProb(tf.tensor2d(xs, [3, d]))));
        got.forEach((g, r) => {
          const want = mixtureLogPdf(xs[r]!, logits, locs, scales);
          expect(Math.abs(g - want)).toBeLessThan(1e-4 * (1 + Math.abs(want)));
        });
      }),
      { numRuns: 100, seed: 42 },
    );
  });

  it('stays finite far from every component (log space throughout)', () => {
    tf.tidy(() => {
      const p = new MixtureNormal(tf.tensor1d([0, 0]), tf.tensor1d([-1, 1]), tf.tensor1d([0.1]));
      const got = values(p.logProb(tf.tensor2d([[50]])))[0]!;
      expect(Math.abs(got - mixtureLogPdf([50], [0, 0], [-1, 1], [0.1]))).toBeLessThan(1e-2);
    });
  });

  it('broadcasts parameters with leading axes [k, batch] against values [k, batch, d]', () => {
    tf.tidy(() => {
      const p = new MixtureNormal(tf.zeros([2, 3, 4]), tf.zeros([2, 3, 8]), tf.ones([2, 3, 1]), { sampleAxis: true });
      expect(p.paramShape).toEqual([2, 3, 2]);
      expect(p.batchShape).toEqual([3, 2]);
      expect(p.logProb(tf.zeros([2, 3, 2])).shape).toEqual([2, 3]);
      expect(p.sample(2, 0).shape).toEqual([2, 3, 2]);
    });
  });

  it('samples have the mixture\'s mean Σ π_j μ_j and variance Σ π_j (σ_j² + μ_j²) − mean² (within 4 standard errors)', () => {
    const [logits, locs, scales] = [[Math.log(0.2), Math.log(0.5), Math.log(0.3)], [-3, 0, 4], [0.5, 1, 0.7]];
    const pi = [0.2, 0.5, 0.3];
    const mean = pi.reduce((s, p, j) => s + p * locs[j]!, 0);
    const second = pi.reduce((s, p, j) => s + p * (scales[j]! ** 2 + locs[j]! ** 2), 0);
    const variance = second - mean ** 2;
    const fourth = pi.reduce((s, p, j) => {
      const [m, sd] = [locs[j]! - mean, scales[j]!];
      return s + p * (m ** 4 + 6 * m ** 2 * sd ** 2 + 3 * sd ** 4); // E[(x − mean)⁴] of component j
    }, 0);
    const n = 20_000;
    const x = tf.tidy(() => values(new MixtureNormal(tf.tensor1d(logits), tf.tensor1d(locs), tf.tensor1d(scales)).sample(n, 3)));
    const got = meanAndVariance(x);
    expect(Math.abs(got.mean - mean)).toBeLessThan(4 * Math.sqrt(variance / n));
    expect(Math.abs(got.variance - variance)).toBeLessThan(4 * Math.sqrt((fourth - variance ** 2) / n)); // SE of a sample variance
  });

  it('is reproducible per seed (0 included), gives a gradient-free sample, and refuses rsample', () => {
    tf.tidy(() => {
      const p = new MixtureNormal(tf.tensor1d([0, 1]), tf.tensor1d([0, 0, 5, 5]), tf.tensor1d([1]));
      expect(values(p.sample(4, 0))).toEqual(values(p.sample(4, 0)));
      expect(values(p.sample(4, 0))).not.toEqual(values(p.sample(4, 1)));
      expect(() => p.rsample(1, 0)).toThrow(/not reparameterizable/);
      const logits = tf.tensor1d([0, 1]);
      const g = tf.grad((l: tf.Tensor) => new MixtureNormal(l, tf.tensor1d([0, 0, 5, 5]), tf.tensor1d([1])).sample(3, 0).sum())(logits);
      expect(values(g)).toEqual([0, 0]);
    });
  });

  it('names what is wrong with the parameters\' shapes', () => {
    tf.tidy(() => {
      expect(() => new MixtureNormal(tf.zeros([3]), tf.zeros([7]), tf.ones([1]))).toThrow(/K·d values per point for K = 3 components, but its last axis has 7/);
      expect(() => new MixtureNormal(tf.zeros([2]), tf.zeros([4]), tf.ones([3]))).toThrow(/last axis of 1 or K·d = 4, but has 3/);
      expect(() => new MixtureNormal(tf.zeros([2]), tf.zeros([4]), tf.ones([1])).logProb(tf.zeros([3]))).toThrow(/2 coordinates/);
    });
  });
});

describe('UniformMixture', () => {
  it('logProb is the log-mean-exp of its K components\' log densities', () => {
    const rng = new TestRandom(9);
    const [K, d] = [4, 3];
    const locs = rng.normals(K * d).map(Math.fround);
    const scales = Array.from({ length: K * d }, () => Math.fround(0.3 + Math.abs(rng.normal())));
    const z = Array.from({ length: 2 * 5 }, () => rng.normals(d).map(Math.fround));
    tf.tidy(() => {
      const component = new Normal(tf.tensor(locs, [K, 1, 1, d]), tf.tensor(scales, [K, 1, 1, d]));
      const prior = new UniformMixture(component);
      expect(prior.components).toBe(K);
      const got = prior.logProb(tf.tensor3d(z.flat(), [2, 5, d]));
      expect(got.shape).toEqual([2, 5]);
      const want = z.map((v) => logSumExp(Array.from({ length: K }, (_, k) => v.reduce((s, x, i) => s + normalLogPdf(x, locs[k * d + i]!, scales[k * d + i]!), 0))) - Math.log(K));
      expectClose(got, want, 1e-4, 1e-5);
    });
  });

  it('sample draws each component with probability 1/K: mean and variance of the mixture within 4 standard errors', () => {
    const [K, d, n] = [3, 2, 20000];
    const locs = [-2, 0.5, 1, -1, 3, 2];
    const scales = [0.5, 1, 0.3, 0.8, 1.2, 0.4];
    tf.tidy(() => {
      const prior = new UniformMixture(new Normal(tf.tensor(locs, [K, 1, d]), tf.tensor(scales, [K, 1, d])));
      const draws = prior.sample(n, 7);
      expect(draws.shape).toEqual([n, 1, d]);
      const values = draws.dataSync();
      for (let j = 0; j < d; j++) {
        const column = Array.from({ length: n }, (_, i) => values[i * d + j]!);
        const mean = locs.filter((_, i) => i % d === j).reduce((a, b) => a + b, 0) / K;
        const second = Array.from({ length: K }, (_, c) => scales[c * d + j]! ** 2 + locs[c * d + j]! ** 2).reduce((a, b) => a + b, 0) / K;
        const variance = second - mean ** 2;
        const m = column.reduce((a, b) => a + b, 0) / n;
        const v = column.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
        expect(Math.abs(m - mean)).toBeLessThan(4 * Math.sqrt(variance / n));
        expect(Math.abs(v - variance)).toBeLessThan(0.05 * variance);
      }
      expect(Array.from(prior.sample(5, 3).dataSync())).toEqual(Array.from(prior.sample(5, 3).dataSync()));
    });
  });
});

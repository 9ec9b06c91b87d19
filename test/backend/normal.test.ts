import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Laplace } from '../../src/backend/distributions/laplace.js';
import { Normal } from '../../src/backend/distributions/normal.js';
import { expectClose, expectNoLeak, meanAndVariance, useCpu, values } from './helpers.js';

beforeAll(useCpu);

/** log N(x; m, s²) in double precision. */
const normalLogPdf = (x: number, m: number, s: number): number =>
  -0.5 * ((x - m) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI);

/** KL(N(m1, s1²) || N(m2, s2²)) in double precision. */
const normalKl = (m1: number, s1: number, m2: number, s2: number): number =>
  Math.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - 0.5;

describe('Normal', () => {
  it('logProb sums the closed-form log density over the last axis', () => {
    tf.tidy(() => {
      const q = new Normal(tf.tensor1d([0.5, -1]), tf.tensor1d([2, 0.3]));
      const x = tf.tensor2d([[1.2, -0.7], [0.5, -1], [-3, 4]]);
      const want = [[1.2, -0.7], [0.5, -1], [-3, 4]].map(([a, b]) => normalLogPdf(a!, 0.5, 2) + normalLogPdf(b!, -1, 0.3));
      const got = q.logProb(x);
      expect(got.shape).toEqual([3]);
      expectClose(got, want, 1e-4, 1e-5);
    });
  });

  it('broadcasts loc [3, 1] against scale [2] to parameters [3, 2]', () => {
    tf.tidy(() => {
      const q = new Normal(tf.tensor2d([[0], [1], [2]]), tf.tensor1d([1, 2]));
      expect(q.paramShape).toEqual([3, 2]);
      expect(q.rsample(4, 0).shape).toEqual([4, 3, 2]);
      expect(q.logProb(tf.zeros([4, 3, 2])).shape).toEqual([4, 3]);
    });
  });

  it('rsample has the stated mean and variance (within 4 standard errors)', () => {
    tf.tidy(() => {
      const [m, s] = [[1.5, -2], [0.5, 3]];
      const n = 20_000;
      const x = new Normal(tf.tensor1d(m), tf.tensor1d(s)).rsample(n, 11);
      expect(x.shape).toEqual([n, 2]);
      const cols = tf.unstack(x, 1).map(values);
      cols.forEach((col, j) => {
        const { mean, variance } = meanAndVariance(col);
        const sd = s[j]!;
        // SE(mean) = σ/√n; for a normal, SE(sample variance) = σ²·√(2/(n-1)).
        expect(Math.abs(mean - m[j]!)).toBeLessThan((4 * sd) / Math.sqrt(n));
        expect(Math.abs(variance - sd ** 2)).toBeLessThan(4 * sd ** 2 * Math.sqrt(2 / (n - 1)));
      });
    });
  });

  it('is reproducible per seed (0 included) and matches rsampleWithNoise on the same noise', () => {
    tf.tidy(() => {
      const q = new Normal(tf.tensor1d([1, 2]), tf.tensor1d([0.5, 0.5]));
      expect(values(q.rsample(3, 0))).toEqual(values(q.rsample(3, 0)));
      expect(values(q.rsample(3, 0))).not.toEqual(values(q.rsample(3, 1)));
      expectClose(q.rsampleWithNoise(q.sampleNoise(3, 5)), q.rsample(3, 5), 0);
    });
  });

  it('passes gradients through rsample: d/dloc = k, d/dscale = Σ eps', () => {
    tf.tidy(() => {
      const loc = tf.tensor1d([0.2, -0.4]);
      const scale = tf.tensor1d([1.3, 0.6]);
      const k = 5;
      const f = (l: tf.Tensor, s: tf.Tensor): tf.Tensor => tf.sum(new Normal(l, s).rsample(k, 42));
      const [dLoc, dScale] = tf.grads(f as (...a: tf.Tensor[]) => tf.Tensor)([loc, scale]);
      expectClose(dLoc!, [k, k], 1e-6);
      expectClose(dScale!, tf.sum(new Normal(loc, scale).sampleNoise(k, 42), 0), 1e-5);
    });
  });

  it('KL matches the closed form and a seeded Monte Carlo estimate (within 4 standard errors)', () => {
    tf.tidy(() => {
      const [m1, s1, m2, s2] = [[0.3, -1], [0.8, 1.5], [1, 0], [1.2, 0.7]];
      const p = new Normal(tf.tensor1d(m1), tf.tensor1d(s1));
      const q = new Normal(tf.tensor1d(m2), tf.tensor1d(s2));
      const exact = normalKl(m1[0]!, s1[0]!, m2[0]!, s2[0]!) + normalKl(m1[1]!, s1[1]!, m2[1]!, s2[1]!);
      expectClose(p.kl(q)!, exact, 1e-5, 1e-5);
      const n = 20_000;
      const x = p.rsample(n, 3);
      const diff = values(tf.sub(p.logProb(x), q.logProb(x)));
      const { mean, variance } = meanAndVariance(diff);
      expect(Math.abs(mean - exact)).toBeLessThan(4 * Math.sqrt(variance / n));
      expectClose(p.kl(p)!, 0, 1e-6);
    });
  });

  it('has no closed-form KL against another family', () => {
    tf.tidy(() => {
      const p = new Normal(tf.zeros([2]), tf.ones([2]));
      expect(p.kl(new Laplace(tf.zeros([2]), tf.ones([2])))).toBeUndefined();
    });
  });

  it('leaves no tensors behind', () => {
    const loc = tf.tensor2d([[0, 1]]);
    const scale = tf.tensor1d([1, 2]);
    const x = tf.zeros([3, 1, 2]);
    const q = new Normal(loc, scale);
    expectNoLeak(() => q.rsample(3, 1));
    expectNoLeak(() => q.logProb(x));
    expectNoLeak(() => q.kl(new Normal(scale, scale))!);
    expectNoLeak(() => tf.tidy(() => tf.grads((l: tf.Tensor, s: tf.Tensor) => tf.sum(new Normal(l, s).rsample(2, 0)))([loc, scale])));
    tf.dispose([loc, scale, x]);
  });
});

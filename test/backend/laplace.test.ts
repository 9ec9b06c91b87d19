import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Laplace } from '../../src/backend/distributions/laplace.js';
import { expectClose, expectNoLeak, meanAndVariance, useCpu, values } from './helpers.js';

beforeAll(useCpu);

/** log Laplace(x; m, b) in double precision. */
const laplaceLogPdf = (x: number, m: number, b: number): number => -Math.abs(x - m) / b - Math.log(2 * b);

/** KL(L(m1, b1) || L(m2, b2)) in double precision. */
const laplaceKl = (m1: number, b1: number, m2: number, b2: number): number => {
  const gap = Math.abs(m1 - m2);
  return Math.log(b2 / b1) + gap / b2 + (b1 / b2) * Math.exp(-gap / b1) - 1;
};

describe('Laplace', () => {
  it('logProb sums the closed-form log density over the last axis', () => {
    tf.tidy(() => {
      const p = new Laplace(tf.tensor1d([0.5, -1]), tf.tensor1d([2, 0.3]));
      const xs = [[1.2, -0.7], [0.5, -1], [-3, 4]];
      const want = xs.map(([a, b]) => laplaceLogPdf(a!, 0.5, 2) + laplaceLogPdf(b!, -1, 0.3));
      expectClose(p.logProb(tf.tensor2d(xs)), want, 1e-4, 1e-5);
    });
  });

  it('rsampleWithNoise is finite for adversarial u, including ±0.5 and beyond', () => {
    tf.tidy(() => {
      const p = new Laplace(tf.tensor1d([0.25]), tf.tensor1d([3]));
      const u = [-0.5, 0.5, -1, 1, 0, -0, 1e-30, -1e-30, Math.fround(0.5 - 1e-9), Math.fround(-0.5 + 1e-9), 0.4999999];
      const x = values(p.rsampleWithNoise(tf.tensor2d(u, [u.length, 1])));
      expect(x.every(Number.isFinite)).toBe(true);
      // At u = 0 the sample is the location; the sign of u picks the side.
      expect(x[4]).toBeCloseTo(0.25, 6);
      expect(x[1]!).toBeGreaterThan(0.25);
      expect(x[0]!).toBeLessThan(0.25);
    });
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: Math.fround(-0.5), max: Math.fround(0.5), noNaN: true }), { minLength: 1, maxLength: 16 }),
        (u) => {
          tf.tidy(() => {
            const p = new Laplace(tf.tensor1d([0]), tf.tensor1d([1]));
            expect(values(p.rsampleWithNoise(tf.tensor2d(u, [u.length, 1]))).every(Number.isFinite)).toBe(true);
          });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('rsample has mean loc and variance 2·scale² (within 4 standard errors)', () => {
    tf.tidy(() => {
      const [m, b] = [[1.5, -2], [0.5, 3]];
      const n = 20_000;
      const x = new Laplace(tf.tensor1d(m), tf.tensor1d(b)).rsample(n, 17);
      tf.unstack(x, 1)
        .map(values)
        .forEach((col, j) => {
          const { mean, variance } = meanAndVariance(col);
          const bj = b[j]!;
          // σ² = 2b², μ4 = 24b⁴, so SE(mean) = b√(2/n) and SE(variance) ≈ √((μ4 - σ⁴)/n) = b²√(20/n).
          expect(Math.abs(mean - m[j]!)).toBeLessThan(4 * bj * Math.sqrt(2 / n));
          expect(Math.abs(variance - 2 * bj ** 2)).toBeLessThan(4 * bj ** 2 * Math.sqrt(20 / n));
        });
    });
  });

  it('passes gradients through rsample: d/dloc = k, d/dscale = Σ -sign(u)·log(1 - 2|u|)', () => {
    tf.tidy(() => {
      const loc = tf.tensor1d([0.2, -0.4]);
      const scale = tf.tensor1d([1.3, 0.6]);
      const k = 6;
      const f = (l: tf.Tensor, s: tf.Tensor): tf.Tensor => tf.sum(new Laplace(l, s).rsample(k, 8));
      const [dLoc, dScale] = tf.grads(f as (...a: tf.Tensor[]) => tf.Tensor)([loc, scale]);
      expectClose(dLoc!, [k, k], 1e-6);
      const u = values(new Laplace(loc, scale).sampleNoise(k, 8));
      const want = [0, 1].map((j) =>
        u.filter((_, i) => i % 2 === j).reduce((sum, ui) => sum - Math.sign(ui) * Math.log1p(-2 * Math.abs(ui)), 0),
      );
      expectClose(dScale!, want, 1e-4, 1e-4);
      expect(values(dScale!).every(Number.isFinite)).toBe(true);
    });
  });

  it('KL matches the closed form and a seeded Monte Carlo estimate (within 4 standard errors)', () => {
    tf.tidy(() => {
      const [m1, b1, m2, b2] = [[0.3, -1], [0.8, 1.5], [1, 0], [1.2, 0.7]];
      const p = new Laplace(tf.tensor1d(m1), tf.tensor1d(b1));
      const q = new Laplace(tf.tensor1d(m2), tf.tensor1d(b2));
      const exact = laplaceKl(m1[0]!, b1[0]!, m2[0]!, b2[0]!) + laplaceKl(m1[1]!, b1[1]!, m2[1]!, b2[1]!);
      expectClose(p.kl(q)!, exact, 1e-5, 1e-5);
      const n = 20_000;
      const x = p.rsample(n, 4);
      const { mean, variance } = meanAndVariance(values(tf.sub(p.logProb(x), q.logProb(x))));
      expect(Math.abs(mean - exact)).toBeLessThan(4 * Math.sqrt(variance / n));
      expectClose(p.kl(p)!, 0, 1e-6);
    });
  });

  it('leaves no tensors behind', () => {
    const loc = tf.tensor1d([0, 1]);
    const scale = tf.tensor1d([1, 2]);
    const x = tf.zeros([3, 2]);
    const p = new Laplace(loc, scale);
    expectNoLeak(() => p.rsample(3, 0));
    expectNoLeak(() => p.logProb(x));
    expectNoLeak(() => p.kl(new Laplace(scale, scale))!);
    expectNoLeak(() => tf.grads((l: tf.Tensor, s: tf.Tensor) => tf.sum(new Laplace(l, s).rsample(2, 0)))([loc, scale]));
    tf.dispose([loc, scale, x]);
  });
});

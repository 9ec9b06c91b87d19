import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Exponential } from '../../src/backend/distributions/exponential.js';
import { Gamma } from '../../src/backend/distributions/gamma.js';
import { centralDifferences, expectAllClose, expectClose, expectMoments, expectNoLeak, meanAndVariance, useCpu, values } from './helpers.js';

beforeAll(useCpu);

const expLogPdf = (x: number, rate: number): number => Math.log(rate) - rate * x;
const expKl = (a: number, b: number): number => Math.log(a / b) + b / a - 1;
const t1 = (xs: readonly number[]) => tf.tensor1d(xs as number[]);

describe('Exponential', () => {
  it('logProb sums log rate - rate·x over the last axis, -Infinity below 0', () => {
    tf.tidy(() => {
      const p = new Exponential(t1([0.5, 7]));
      const xs = [[0, 0.2], [3.5, 1e-3], [40, 2]];
      expectClose(p.logProb(tf.tensor2d(xs)), xs.map(([u, v]) => expLogPdf(u!, 0.5) + expLogPdf(v!, 7)), 2e-5, 2e-6);
      expect(values(p.logProb(tf.tensor2d([[-1e-3, 1]])))).toEqual([-Infinity]);
    });
  });

  it('logProb gradients match finite differences of the float64 density', () => {
    tf.tidy(() => {
      const [r, x] = [[0.5, 3], [1.2, 0.1]];
      const f = (tr: tf.Tensor, tx: tf.Tensor) => tf.sum(new Exponential(tr).logProb(tf.reshape(tx, [1, 2])));
      const grads = tf.grads(f as (...t: tf.Tensor[]) => tf.Tensor)([t1(r), t1(x)]).map(values);
      for (let j = 0; j < 2; j++) {
        expectAllClose(grads.map((g) => g[j]!), centralDifferences(([rj, xj]) => expLogPdf(xj!, rj!), [r[j]!, x[j]!]), 1e-5, 1e-4);
      }
    });
  });

  it('rsample has mean 1/rate and variance 1/rate² (within 4 standard errors) and is finite for u at the ends', () => {
    tf.tidy(() => {
      const rates = [0.2, 4];
      const n = 20_000;
      const x = new Exponential(t1(rates)).rsample(n, 1);
      tf.unstack(x, 1).map(values).forEach((col, j) => {
        const r = rates[j]!;
        expect(Math.min(...col)).toBeGreaterThanOrEqual(0);
        expectMoments(col, 1 / r, 1 / r ** 2, 9 / r ** 4);
      });
      const edge = values(new Exponential(t1([1])).rsampleWithNoise(tf.tensor2d([0, 0.5, Math.fround(1 - 2 ** -24), 1, 2], [5, 1])));
      expect(edge.every(Number.isFinite)).toBe(true);
      expect(edge[0]).toBe(0);
      expect(edge[1]).toBeCloseTo(Math.LN2, 6);
    });
  });

  it('is reparameterized: ∂x/∂rate = -x/rate, and reproducible per seed', () => {
    tf.tidy(() => {
      const rate = t1([0.7, 2]);
      const u = new Exponential(rate).sampleNoise(5, 0);
      const g = tf.grad((r: tf.Tensor) => tf.sum(new Exponential(r).rsampleWithNoise(u)))(rate);
      const x = new Exponential(rate).rsampleWithNoise(u);
      expectClose(g, tf.div(tf.neg(tf.sum(x, 0)), rate), 1e-6, 1e-5);
      expectClose(new Exponential(rate).rsample(5, 0), x, 0, 0);
    });
  });

  it('KL matches the closed form and a seeded Monte Carlo estimate (within 4 standard errors)', () => {
    tf.tidy(() => {
      const p = new Exponential(t1([0.5, 3]));
      const q = new Exponential(t1([1.5, 2]));
      const exact = expKl(0.5, 1.5) + expKl(3, 2);
      expectClose(p.kl(q)!, exact, 1e-6, 1e-5);
      const n = 20_000;
      const x = p.rsample(n, 8);
      const { mean, variance } = meanAndVariance(values(tf.sub(p.logProb(x), q.logProb(x))));
      expect(Math.abs(mean - exact)).toBeLessThan(4 * Math.sqrt(variance / n));
      expectClose(p.kl(p)!, 0, 1e-7);
      // Exponential(r) is Gamma(1, r), but kl is closed-form only within a family.
      expect(p.kl(new Gamma(t1([1, 1]), t1([1.5, 2])))).toBeUndefined();
      expect(p.logProb(x).shape).toEqual([n]);
      expectClose(p.logProb(x), new Gamma(t1([1, 1]), t1([0.5, 3])).logProb(x), 1e-4, 1e-5);
    });
  });

  it('leaves no tensors behind', () => {
    const rate = t1([1, 2]);
    const x = tf.ones([3, 2]);
    const p = new Exponential(rate);
    expectNoLeak(() => p.rsample(3, 0));
    expectNoLeak(() => p.logProb(x));
    expectNoLeak(() => p.kl(p)!);
    expectNoLeak(() => tf.grad((r: tf.Tensor) => tf.sum(new Exponential(r).logProb(x)))(rate));
    tf.dispose([rate, x]);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LogNormal } from '../../src/backend/distributions/log-normal.js';
import { Normal } from '../../src/backend/distributions/normal.js';
import { centralDifferences, expectAllClose, expectClose, expectMoments, expectNoLeak, meanAndVariance, useCpu, values } from './helpers.js';

beforeAll(useCpu);

/** log LogNormal(x; m, s) in double precision. */
const logNormalLogPdf = (x: number, m: number, s: number): number =>
  -0.5 * ((Math.log(x) - m) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI) - Math.log(x);
const normalKl = (m1: number, s1: number, m2: number, s2: number): number => Math.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - 0.5;
const t1 = (xs: readonly number[]) => tf.tensor1d(xs as number[]);

describe('LogNormal', () => {
  it('logProb sums the closed-form log density over the last axis, -Infinity at or below 0', () => {
    tf.tidy(() => {
      const p = new LogNormal(t1([0.2, -1]), t1([0.5, 1.5]));
      const xs = [[1, 0.3], [0.05, 8], [3, 1e-4]];
      expectClose(p.logProb(tf.tensor2d(xs)), xs.map(([u, v]) => logNormalLogPdf(u!, 0.2, 0.5) + logNormalLogPdf(v!, -1, 1.5)), 2e-5, 2e-6);
      expect(values(p.logProb(tf.tensor2d([[0, 1], [-2, 1]])))).toEqual([-Infinity, -Infinity]);
    });
  });

  it('logProb gradients match finite differences of the float64 density, and stay finite outside the support', () => {
    tf.tidy(() => {
      const [m, s, x] = [[0.3, -0.5], [0.8, 2], [1.7, 0.2]];
      const f = (tm: tf.Tensor, ts: tf.Tensor, tx: tf.Tensor) => tf.sum(new LogNormal(tm, ts).logProb(tf.reshape(tx, [1, 2])));
      const grads = tf.grads(f as (...t: tf.Tensor[]) => tf.Tensor)([t1(m), t1(s), t1(x)]).map(values);
      for (let j = 0; j < 2; j++) {
        expectAllClose(grads.map((g) => g[j]!), centralDifferences(([mj, sj, xj]) => logNormalLogPdf(xj!, mj!, sj!), [m[j]!, s[j]!, x[j]!]), 1e-5, 1e-4);
      }
      const outside = tf.grads(f as (...t: tf.Tensor[]) => tf.Tensor)([t1(m), t1(s), t1([-1, 0.2])]).map(values);
      expect(outside.flat().every(Number.isFinite)).toBe(true);
    });
  });

  it('rsample: log x has mean loc and variance scale², x has mean exp(loc + scale²/2) (within 4 standard errors)', () => {
    tf.tidy(() => {
      const [m, s] = [[0.5, -2], [0.3, 1]];
      const n = 20_000;
      const x = new LogNormal(t1(m), t1(s)).rsample(n, 2);
      tf.unstack(x, 1).map(values).forEach((col, j) => {
        const [mj, sj] = [m[j]!, s[j]!];
        expect(col.every((v) => v > 0)).toBe(true);
        expectMoments(col.map(Math.log), mj, sj ** 2, 3 * sj ** 4);
        const variance = (Math.exp(sj ** 2) - 1) * Math.exp(2 * mj + sj ** 2);
        expect(Math.abs(meanAndVariance(col).mean - Math.exp(mj + sj ** 2 / 2))).toBeLessThan(4 * Math.sqrt(variance / n));
      });
    });
  });

  it('is reparameterized: ∂x/∂loc = x, ∂x/∂scale = x·eps; reproducible per seed', () => {
    tf.tidy(() => {
      const [loc, scale] = [t1([0.1, -0.3]), t1([0.6, 1.1])];
      const eps = new LogNormal(loc, scale).sampleNoise(4, 0);
      const x = new LogNormal(loc, scale).rsampleWithNoise(eps);
      const [dLoc, dScale] = tf.grads((l: tf.Tensor, s: tf.Tensor) => tf.sum(new LogNormal(l, s).rsampleWithNoise(eps)))([loc, scale]);
      expectClose(dLoc!, tf.sum(x, 0), 1e-5, 1e-5);
      expectClose(dScale!, tf.sum(tf.mul(x, eps), 0), 1e-5, 1e-5);
      expectClose(new LogNormal(loc, scale).rsample(4, 0), x, 0, 0);
    });
  });

  it('KL equals the Normal KL of the logs, and a seeded Monte Carlo estimate (within 4 standard errors)', () => {
    tf.tidy(() => {
      const p = new LogNormal(t1([0.3, -1]), t1([0.8, 1.5]));
      const q = new LogNormal(t1([1, 0]), t1([1.2, 0.7]));
      const exact = normalKl(0.3, 0.8, 1, 1.2) + normalKl(-1, 1.5, 0, 0.7);
      expectClose(p.kl(q)!, exact, 1e-5, 1e-5);
      const n = 20_000;
      const x = p.rsample(n, 4);
      const { mean, variance } = meanAndVariance(values(tf.sub(p.logProb(x), q.logProb(x))));
      expect(Math.abs(mean - exact)).toBeLessThan(4 * Math.sqrt(variance / n));
      expectClose(p.kl(p)!, 0, 1e-6);
      expect(p.kl(new Normal(t1([0, 0]), t1([1, 1])))).toBeUndefined();
    });
  });

  it('leaves no tensors behind', () => {
    const loc = t1([0, 1]);
    const scale = t1([1, 2]);
    const x = tf.ones([3, 2]);
    const p = new LogNormal(loc, scale);
    expectNoLeak(() => p.rsample(3, 0));
    expectNoLeak(() => p.logProb(x));
    expectNoLeak(() => p.kl(new LogNormal(scale, scale))!);
    expectNoLeak(() => tf.grads((l: tf.Tensor, s: tf.Tensor) => tf.sum(new LogNormal(l, s).logProb(x)))([loc, scale]));
    tf.dispose([loc, scale, x]);
  });
});

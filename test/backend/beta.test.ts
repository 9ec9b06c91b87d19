import betainc from '@stdlib/math-base-special-betainc';
import digammaRef from '@stdlib/math-base-special-digamma';
import gammaln from '@stdlib/math-base-special-gammaln';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Beta } from '../../src/backend/distributions/beta.js';
import { Gamma } from '../../src/backend/distributions/gamma.js';
import { centralDifferences, expectAllClose, expectClose, expectMoments, expectNoLeak, meanAndVariance, useCpu, values } from './helpers.js';

beforeAll(useCpu);

const logB = (a: number, b: number): number => gammaln(a) + gammaln(b) - gammaln(a + b);

/** log Beta(x; a, b) in double precision. */
const betaLogPdf = (x: number, a: number, b: number): number => (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logB(a, b);

/** KL(Beta(a1, b1) || Beta(a2, b2)) in double precision. */
const betaKl = (a1: number, b1: number, a2: number, b2: number): number =>
  logB(a2, b2) - logB(a1, b1) + (a1 - a2) * digammaRef(a1) + (b1 - b2) * digammaRef(b1) + (a2 - a1 + b2 - b1) * digammaRef(a1 + b1);

const t1 = (xs: readonly number[]) => tf.tensor1d(xs as number[]);

describe('Beta', () => {
  it('logProb sums the closed-form log density over the last axis, -Infinity outside (0, 1)', () => {
    tf.tidy(() => {
      const p = new Beta(t1([0.4, 5]), t1([2.5, 0.8]));
      const xs = [[0.01, 0.3], [0.5, 0.999], [0.93, 1e-4]];
      const want = xs.map(([u, v]) => betaLogPdf(u!, 0.4, 2.5) + betaLogPdf(v!, 5, 0.8));
      expectClose(p.logProb(tf.tensor2d(xs)), want, 2e-5, 2e-6);
      expect(values(p.logProb(tf.tensor2d([[0, 0.5], [0.5, 1], [1.5, 0.5], [-0.1, 0.5]])))).toEqual([-Infinity, -Infinity, -Infinity, -Infinity]);
    });
  });

  it('logProb gradients in a, b and the value match finite differences of the float64 density', () => {
    tf.tidy(() => {
      const [a, b, x] = [[0.6, 3], [2, 0.9], [0.2, 0.75]];
      const f = (ta: tf.Tensor, tb: tf.Tensor, tx: tf.Tensor) => tf.sum(new Beta(ta, tb).logProb(tf.reshape(tx, [1, 2])));
      const grads = tf.grads(f as (...t: tf.Tensor[]) => tf.Tensor)([t1(a), t1(b), t1(x)]).map(values);
      for (let j = 0; j < 2; j++) {
        const want = centralDifferences(([aj, bj, xj]) => betaLogPdf(xj!, aj!, bj!), [a[j]!, b[j]!, x[j]!]);
        expectAllClose(grads.map((g) => g[j]!), want, 1e-5, 1e-4, `coordinate ${j}`);
      }
      const outside = tf.grads(f as (...t: tf.Tensor[]) => tf.Tensor)([t1(a), t1(b), t1([1.2, 0.5])]).map(values);
      expect(outside.flat().every(Number.isFinite)).toBe(true);
    });
  });

  it('rsample has mean a/(a + b) and variance ab/((a + b)²(a + b + 1)) (within 4 standard errors), samples inside (0, 1)', () => {
    tf.tidy(() => {
      const [a, b] = [[0.3, 1, 2, 50], [0.5, 1, 8, 20]];
      const n = 20_000;
      const x = new Beta(t1(a), t1(b)).rsample(n, 9);
      tf.unstack(x, 1).map(values).forEach((col, j) => {
        const [aj, bj] = [a[j]!, b[j]!];
        const s = aj + bj;
        expect(col.every((v) => v > 0 && v < 1)).toBe(true);
        expectMoments(col, aj / s, (aj * bj) / (s * s * (s + 1)));
      });
      // The distribution, not just two moments: the empirical CDF at a few points (within 4 binomial SEs).
      const col = values(tf.unstack(x, 1)[2]!);
      for (const q of [0.05, 0.2, 0.4]) {
        const p = betainc(q, 2, 8);
        const frac = col.filter((v) => v <= q).length / n;
        expect(Math.abs(frac - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
      }
    });
  });

  it('is reproducible per seed (0 included) and matches rsampleWithNoise on the same noise', () => {
    tf.tidy(() => {
      const q = new Beta(t1([1.5, 2]), t1([1, 3]));
      expectClose(q.rsample(5, 0), q.rsample(5, 0), 0, 0);
      expectClose(q.rsampleWithNoise(q.sampleNoise(5, 7)), q.rsample(5, 7), 0, 0);
    });
  });

  it('implicit reparameterization: ∂x/∂a, ∂x/∂b are the derivatives of the sample path at fixed noise', () => {
    tf.tidy(() => {
      const [a, b] = [[0.5, 2.5, 30], [1.2, 4, 12]];
      const u = new Beta(t1(a), t1(b)).sampleNoise(6, 13);
      const path = (ta: tf.Tensor, tb: tf.Tensor) => tf.sum(new Beta(ta, tb).rsampleWithNoise(u));
      const [dA, dB] = tf.grads(path as (...t: tf.Tensor[]) => tf.Tensor)([t1(a), t1(b)]).map(values);
      const sumAt = (ta: number[], tb: number[]) => tf.tidy(() => values(tf.sum(new Beta(t1(ta), t1(tb)).rsampleWithNoise(u), 0)));
      const step = 1e-3;
      const nudge = (xs: number[], j: number, f: number) => xs.map((v, i) => (i === j ? v * f : v));
      const fdA = a.map((aj, j) => (sumAt(nudge(a, j, 1 + step), b)[j]! - sumAt(nudge(a, j, 1 - step), b)[j]!) / (2 * step * aj));
      const fdB = b.map((bj, j) => (sumAt(a, nudge(b, j, 1 + step))[j]! - sumAt(a, nudge(b, j, 1 - step))[j]!) / (2 * step * bj));
      expectAllClose(dA!, fdA, 1e-4, 2e-3, '∂/∂a');
      expectAllClose(dB!, fdB, 1e-4, 2e-3, '∂/∂b');
    });
  });

  it('implicit gradients are unbiased: mean ∂x/∂a ≈ b/(a + b)², mean ∂x/∂b ≈ -a/(a + b)² (within 4 standard errors)', () => {
    tf.tidy(() => {
      const n = 20_000;
      const [alpha, beta] = [0.8, 2.2];
      const a = tf.fill([n, 1], alpha);
      const b = tf.fill([n, 1], beta);
      const u = new Beta(a, b).sampleNoise(1, 21);
      const [dA, dB] = tf.grads(((ta: tf.Tensor, tb: tf.Tensor) => tf.sum(new Beta(ta, tb).rsampleWithNoise(u))) as (...t: tf.Tensor[]) => tf.Tensor)([a, b]).map(values);
      const s = alpha + beta;
      for (const [grads, want] of [[dA!, beta / s ** 2], [dB!, -alpha / s ** 2]] as const) {
        const { mean, variance } = meanAndVariance(grads);
        expect(Math.abs(mean - want)).toBeLessThan(4 * Math.sqrt(variance / n));
      }
    });
  });

  it('KL matches the closed form, its gradients, and a seeded Monte Carlo estimate (within 4 standard errors)', () => {
    tf.tidy(() => {
      const [a1, b1, a2, b2] = [[0.7, 4], [1.5, 2], [2, 1.2], [0.9, 3]];
      const p = new Beta(t1(a1), t1(b1));
      const q = new Beta(t1(a2), t1(b2));
      const exact = betaKl(a1[0]!, b1[0]!, a2[0]!, b2[0]!) + betaKl(a1[1]!, b1[1]!, a2[1]!, b2[1]!);
      expectClose(p.kl(q)!, exact, 1e-5, 1e-5);
      const n = 20_000;
      const x = p.rsample(n, 4);
      const { mean, variance } = meanAndVariance(values(tf.sub(p.logProb(x), q.logProb(x))));
      expect(Math.abs(mean - exact)).toBeLessThan(4 * Math.sqrt(variance / n));
      expectClose(p.kl(p)!, 0, 2e-6);
      expect(p.kl(new Gamma(t1(a1), t1(b1)))).toBeUndefined();
      const kl = (...t: tf.Tensor[]) => tf.sum(new Beta(t[0]!, t[1]!).kl(new Beta(t[2]!, t[3]!))!);
      const grads = tf.grads(kl)([t1(a1), t1(b1), t1(a2), t1(b2)]).map(values);
      for (let j = 0; j < 2; j++) {
        const want = centralDifferences(([w, x1, y, z]) => betaKl(w!, x1!, y!, z!), [a1[j]!, b1[j]!, a2[j]!, b2[j]!]);
        expectAllClose(grads.map((g) => g[j]!), want, 1e-5, 1e-4, `coordinate ${j}`);
      }
    });
  });

  it('leaves no tensors behind', () => {
    const a = t1([0.5, 2]);
    const b = t1([1, 3]);
    const x = tf.fill([3, 2], 0.5);
    const p = new Beta(a, b);
    expectNoLeak(() => p.rsample(3, 0));
    expectNoLeak(() => p.logProb(x));
    expectNoLeak(() => p.kl(new Beta(b, a))!);
    expectNoLeak(() => tf.grads((s: tf.Tensor, r: tf.Tensor) => tf.sum(new Beta(s, r).rsample(2, 0)))([a, b]));
    expectNoLeak(() => tf.grads((s: tf.Tensor, r: tf.Tensor) => tf.sum(new Beta(s, r).logProb(x)))([a, b]));
    tf.dispose([a, b, x]);
  });
});

import digammaRef from '@stdlib/math-base-special-digamma';
import gammaln from '@stdlib/math-base-special-gammaln';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Exponential } from '../../src/backend/distributions/exponential.js';
import { Gamma } from '../../src/backend/distributions/gamma.js';
import { FLOAT32_TINY } from '../../src/backend/ops/gamma-sample.js';
import { centralDifferences, expectAllClose, expectClose, expectMoments, expectNoLeak, meanAndVariance, useCpu, values } from './helpers.js';

beforeAll(useCpu);

/** log Gamma(x; α, β) in double precision. */
const gammaLogPdf = (x: number, a: number, b: number): number => a * Math.log(b) - gammaln(a) + (a - 1) * Math.log(x) - b * x;

/** KL(Γ(a1, b1) || Γ(a2, b2)) in double precision. */
const gammaKl = (a1: number, b1: number, a2: number, b2: number): number =>
  (a1 - a2) * digammaRef(a1) - gammaln(a1) + gammaln(a2) + a2 * (Math.log(b1) - Math.log(b2)) + (a1 * (b2 - b1)) / b1;

const t1 = (xs: readonly number[]) => tf.tensor1d(xs as number[]);

describe('Gamma', () => {
  it('logProb sums the closed-form log density over the last axis, -Infinity outside (0, ∞)', () => {
    tf.tidy(() => {
      const p = new Gamma(t1([0.3, 4.5]), t1([2, 0.25]));
      const xs = [[0.01, 3], [1.7, 40], [1e-6, 0.5]];
      const want = xs.map(([u, v]) => gammaLogPdf(u!, 0.3, 2) + gammaLogPdf(v!, 4.5, 0.25));
      expectClose(p.logProb(tf.tensor2d(xs)), want, 2e-5, 2e-6);
      expect(values(p.logProb(tf.tensor2d([[-1, 2], [0, 2]])))).toEqual([-Infinity, -Infinity]);
    });
  });

  it('logProb gradients in concentration, rate and value match finite differences of the float64 density', () => {
    tf.tidy(() => {
      const [a, b, x] = [[0.7, 3.2], [1.5, 0.4], [0.9, 6.5]];
      const f = (ta: tf.Tensor, tb: tf.Tensor, tx: tf.Tensor) => tf.sum(new Gamma(ta, tb).logProb(tf.reshape(tx, [1, 2])));
      const grads = tf.grads(f as (...t: tf.Tensor[]) => tf.Tensor)([t1(a), t1(b), t1(x)]).map(values);
      for (let j = 0; j < 2; j++) {
        const want = centralDifferences(([aj, bj, xj]) => gammaLogPdf(xj!, aj!, bj!), [a[j]!, b[j]!, x[j]!]);
        expectAllClose([grads[0]![j]!, grads[1]![j]!, grads[2]![j]!], want, 1e-5, 1e-4, `coordinate ${j}`);
      }
      // Outside the support the density is -Infinity but every gradient is finite (0 for the value).
      const outside = tf.grads(f as (...t: tf.Tensor[]) => tf.Tensor)([t1(a), t1(b), t1([-1, 2])]).map(values);
      expect(outside.flat().every(Number.isFinite)).toBe(true);
      expect(outside[2]![0]).toBe(0);
    });
  });

  it('rsample has mean α/β and variance α/β² (within 4 standard errors), for shapes 0.05 to 40', () => {
    tf.tidy(() => {
      const [a, b] = [[0.05, 0.7, 3.5, 40], [1, 2, 0.5, 10]];
      const n = 20_000;
      const x = new Gamma(t1(a), t1(b)).rsample(n, 3);
      expect(x.shape).toEqual([n, 4]);
      tf.unstack(x, 1).map(values).forEach((col, j) => {
        const [aj, bj] = [a[j]!, b[j]!];
        expect(Math.min(...col)).toBeGreaterThanOrEqual(FLOAT32_TINY * 0.999999);
        expect(col.every(Number.isFinite)).toBe(true);
        expectMoments(col, aj / bj, aj / bj ** 2, (3 * aj * (aj + 2)) / bj ** 4);
      });
    });
  });

  it('is reproducible per seed (0 included) and matches rsampleWithNoise on the same noise', () => {
    tf.tidy(() => {
      const q = new Gamma(t1([1.5, 2]), t1([1, 3]));
      expectClose(q.rsample(5, 0), q.rsample(5, 0), 0, 0);
      expectClose(q.rsampleWithNoise(q.sampleNoise(5, 7)), q.rsample(5, 7), 0, 0);
      expect(values(q.rsample(5, 0))).not.toEqual(values(q.rsample(5, 1)));
    });
  });

  it('implicit reparameterization: ∂x/∂α and ∂x/∂β are the derivatives of the sample path at fixed noise', () => {
    tf.tidy(() => {
      const [a, b] = [[0.3, 2.5, 60], [0.7, 1.2, 5]];
      const q = new Gamma(t1(a), t1(b));
      const u = q.sampleNoise(6, 11);
      const path = (ta: tf.Tensor, tb: tf.Tensor) => tf.sum(new Gamma(ta, tb).rsampleWithNoise(u));
      const [dA, dB] = tf.grads(path as (...t: tf.Tensor[]) => tf.Tensor)([t1(a), t1(b)]).map(values);
      const sumAt = (ta: number[], tb: number[]) => tf.tidy(() => values(tf.sum(new Gamma(t1(ta), t1(tb)).rsampleWithNoise(u), 0)));
      // Central differences in float32 at a 1e-3 relative step: error ~1e-4 relative.
      const step = 1e-3;
      const fdA = a.map((aj, j) => {
        const up = sumAt(a.map((v, i) => (i === j ? v * (1 + step) : v)), b)[j]!;
        const down = sumAt(a.map((v, i) => (i === j ? v * (1 - step) : v)), b)[j]!;
        return (up - down) / (2 * step * aj);
      });
      expectAllClose(dA!, fdA, 1e-5, 1e-3, '∂/∂α');
      // x = P⁻¹(u; α)/β, so ∂x/∂β = -x/β exactly.
      const perColumn = values(tf.sum(q.rsampleWithNoise(u), 0));
      expectAllClose(dB!, perColumn.map((s, j) => -s / b[j]!), 1e-6, 1e-5, '∂/∂β');
    });
  });

  it('implicit gradients are unbiased: mean ∂x/∂α ≈ ∂E[x]/∂α = 1/β, mean ∂x/∂β ≈ -α/β² (within 4 standard errors)', () => {
    tf.tidy(() => {
      const n = 20_000;
      const [alpha, beta] = [1.7, 2.5];
      // One parameter per sample, so the gradient holds each sample's derivative.
      const a = tf.fill([n, 1], alpha);
      const b = tf.fill([n, 1], beta);
      const u = new Gamma(a, b).sampleNoise(1, 5);
      const [dA, dB] = tf.grads(((ta: tf.Tensor, tb: tf.Tensor) => tf.sum(new Gamma(ta, tb).rsampleWithNoise(u))) as (...t: tf.Tensor[]) => tf.Tensor)([a, b]).map(values);
      for (const [grads, want] of [[dA!, 1 / beta], [dB!, -alpha / beta ** 2]] as const) {
        const { mean, variance } = meanAndVariance(grads);
        expect(Math.abs(mean - want)).toBeLessThan(4 * Math.sqrt(variance / n));
      }
    });
  });

  it('KL matches the closed form, its gradients, and a seeded Monte Carlo estimate (within 4 standard errors)', () => {
    tf.tidy(() => {
      const [a1, b1, a2, b2] = [[0.8, 5], [1.3, 2], [1.5, 3], [0.6, 2.5]];
      const p = new Gamma(t1(a1), t1(b1));
      const q = new Gamma(t1(a2), t1(b2));
      const exact = gammaKl(a1[0]!, b1[0]!, a2[0]!, b2[0]!) + gammaKl(a1[1]!, b1[1]!, a2[1]!, b2[1]!);
      expectClose(p.kl(q)!, exact, 1e-5, 1e-5);
      const n = 20_000;
      const x = p.rsample(n, 4);
      const { mean, variance } = meanAndVariance(values(tf.sub(p.logProb(x), q.logProb(x))));
      expect(Math.abs(mean - exact)).toBeLessThan(4 * Math.sqrt(variance / n));
      expectClose(p.kl(p)!, 0, 2e-6);
      expect(p.kl(new Exponential(t1([1, 1])))).toBeUndefined();
      // ∂KL/∂(a1, b1, a2, b2) through digamma' = trigamma, against float64 differences.
      const kl = (...t: tf.Tensor[]) => tf.sum(new Gamma(t[0]!, t[1]!).kl(new Gamma(t[2]!, t[3]!))!);
      const grads = tf.grads(kl)([t1(a1), t1(b1), t1(a2), t1(b2)]).map(values);
      for (let j = 0; j < 2; j++) {
        const want = centralDifferences(([w, x1, y, z]) => gammaKl(w!, x1!, y!, z!), [a1[j]!, b1[j]!, a2[j]!, b2[j]!]);
        expectAllClose(grads.map((g) => g[j]!), want, 1e-5, 1e-4, `coordinate ${j}`);
      }
    });
  });

  it('leaves no tensors behind', () => {
    const a = t1([0.5, 2]);
    const b = t1([1, 3]);
    const x = tf.ones([3, 2]);
    const p = new Gamma(a, b);
    expectNoLeak(() => p.rsample(3, 0));
    expectNoLeak(() => p.logProb(x));
    expectNoLeak(() => p.kl(new Gamma(b, a))!);
    expectNoLeak(() => tf.grads((s: tf.Tensor, r: tf.Tensor) => tf.sum(new Gamma(s, r).rsample(2, 0)))([a, b]));
    expectNoLeak(() => tf.grads((s: tf.Tensor, r: tf.Tensor) => tf.sum(new Gamma(s, r).logProb(x)))([a, b]));
    tf.dispose([a, b, x]);
  });
});

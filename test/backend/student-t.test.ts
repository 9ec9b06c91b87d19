import gammaln from '@stdlib/math-base-special-gammaln';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { StudentT } from '../../src/backend/distributions/student-t.js';
import { centralDifferences, expectAllClose, expectClose, expectMoments, expectNoLeak, meanAndVariance, useCpu, values } from './helpers.js';

beforeAll(useCpu);

/** log StudentT(x; ν, μ, σ) in double precision. */
const studentLogPdf = (x: number, df: number, loc: number, scale: number): number =>
  gammaln((df + 1) / 2) - gammaln(df / 2) - 0.5 * Math.log(df * Math.PI) - Math.log(scale) - ((df + 1) / 2) * Math.log1p(((x - loc) / scale) ** 2 / df);
const t1 = (xs: readonly number[]) => tf.tensor1d(xs as number[]);

describe('StudentT', () => {
  it('logProb sums the closed-form log density over the last axis (heavy tails included)', () => {
    tf.tidy(() => {
      const p = new StudentT(t1([1, 30]), t1([0.5, -2]), t1([2, 0.3]));
      const xs = [[0.5, -2], [40, 1], [-1e3, -2.5]];
      expectClose(p.logProb(tf.tensor2d(xs)), xs.map(([u, v]) => studentLogPdf(u!, 1, 0.5, 2) + studentLogPdf(v!, 30, -2, 0.3)), 3e-5, 2e-6);
    });
  });

  it('logProb gradients in df, loc, scale and the value match finite differences of the float64 density', () => {
    tf.tidy(() => {
      const [df, loc, scale, x] = [[2.5, 9], [0.2, -1], [1.5, 0.4], [3, -0.8]];
      const f = (...t: tf.Tensor[]) => tf.sum(new StudentT(t[0]!, t[1]!, t[2]!).logProb(tf.reshape(t[3]!, [1, 2])));
      const grads = tf.grads(f)([t1(df), t1(loc), t1(scale), t1(x)]).map(values);
      for (let j = 0; j < 2; j++) {
        const want = centralDifferences(([v, m, s, y]) => studentLogPdf(y!, v!, m!, s!), [df[j]!, loc[j]!, scale[j]!, x[j]!]);
        expectAllClose(grads.map((g) => g[j]!), want, 1e-5, 1e-4, `coordinate ${j}`);
      }
    });
  });

  it('rsample has mean loc and variance scale²·ν/(ν - 2) (within 4 standard errors, ν = 10 so the fourth moment exists)', () => {
    tf.tidy(() => {
      const [loc, scale] = [[1.5, -3], [0.5, 2]];
      const df = 10;
      const n = 20_000;
      const x = new StudentT(t1([df, df]), t1(loc), t1(scale)).rsample(n, 6);
      tf.unstack(x, 1).map(values).forEach((col, j) => {
        const s = scale[j]!;
        const mu4 = (3 * df ** 2 * s ** 4) / ((df - 2) * (df - 4));
        expectMoments(col, loc[j]!, (s ** 2 * df) / (df - 2), mu4);
      });
    });
  });

  it('draws its normal and its uniform from different seeds: the two noise halves are uncorrelated', () => {
    tf.tidy(() => {
      const noise = new StudentT(t1([3]), t1([0]), t1([1])).sampleNoise(5000, 0);
      expect(noise.shape).toEqual([2, 5000, 1]);
      const [eps, u] = tf.unstack(noise).map(values);
      const n = eps!.length;
      const me = meanAndVariance(eps!).mean;
      const mu = meanAndVariance(u!).mean;
      const cov = eps!.reduce((s, e, i) => s + (e - me) * (u![i]! - mu), 0) / n;
      const corr = cov / Math.sqrt(meanAndVariance(eps!).variance * meanAndVariance(u!).variance);
      expect(Math.abs(corr)).toBeLessThan(4 / Math.sqrt(n));
    });
  });

  it('is reparameterized in loc, scale and df: gradients are the derivatives of the sample path at fixed noise', () => {
    tf.tidy(() => {
      const [df, loc, scale] = [[1.5, 7], [0.3, -1], [1.2, 0.5]];
      const noise = new StudentT(t1(df), t1(loc), t1(scale)).sampleNoise(4, 3);
      const path = (...t: tf.Tensor[]) => tf.sum(new StudentT(t[0]!, t[1]!, t[2]!).rsampleWithNoise(noise));
      const [dDf, dLoc, dScale] = tf.grads(path)([t1(df), t1(loc), t1(scale)]).map(values);
      expectAllClose(dLoc!, [4, 4], 1e-6, 1e-6, '∂/∂loc');
      const x = values(tf.sum(new StudentT(t1(df), t1(loc), t1(scale)).rsampleWithNoise(noise), 0));
      expectAllClose(dScale!, x.map((s, j) => (s - 4 * loc[j]!) / scale[j]!), 1e-5, 1e-5, '∂/∂scale');
      const step = 1e-3;
      const sumAt = (d: number[]) => tf.tidy(() => values(tf.sum(new StudentT(t1(d), t1(loc), t1(scale)).rsampleWithNoise(noise), 0)));
      const fd = df.map((v, j) => (sumAt(df.map((w, i) => (i === j ? w * (1 + step) : w)))[j]! - sumAt(df.map((w, i) => (i === j ? w * (1 - step) : w)))[j]!) / (2 * step * v));
      expectAllClose(dDf!, fd, 1e-4, 2e-3, '∂/∂df');
    });
  });

  it('has no closed-form KL and rejects noise without the [eps, u] axis', () => {
    tf.tidy(() => {
      const p = new StudentT(t1([3]), t1([0]), t1([1]));
      expect(p.kl()).toBeUndefined();
      expect(() => p.rsampleWithNoise(tf.zeros([4, 1]))).toThrow(/noise must be \[eps, u\] stacked, shape \[2, k, \.\.\.\]/);
      expectClose(p.rsample(3, 0), p.rsample(3, 0), 0, 0);
    });
  });

  it('leaves no tensors behind', () => {
    const [df, loc, scale] = [t1([3, 5]), t1([0, 1]), t1([1, 2])];
    const x = tf.ones([3, 2]);
    const p = new StudentT(df, loc, scale);
    expectNoLeak(() => p.rsample(3, 0));
    expectNoLeak(() => p.logProb(x));
    expectNoLeak(() => tf.grads((...t: tf.Tensor[]) => tf.sum(new StudentT(t[0]!, t[1]!, t[2]!).rsample(2, 0)))([df, loc, scale]));
    tf.dispose([df, loc, scale, x]);
  });
});

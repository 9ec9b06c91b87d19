/**
 * The Concrete relaxations against their closed forms (Maddison, Mnih and Teh
 * 2017; seed 004 ch. 5.3.1): the binary Concrete density against the formula
 * in y, integrated against its logistic CDF and checked on samples; the
 * Concrete density against the seed's formula, normalized on the 2-simplex,
 * equal to the binary Concrete for two categories, and stable from its raw
 * coordinates where y itself underflows; Gumbel-max frequencies; finite noise
 * at the uniforms' ends; the straight-through op's forward and backward values.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RelaxedBernoulli } from '../../src/backend/distributions/relaxed-bernoulli.js';
import { RelaxedOneHotCategorical } from '../../src/backend/distributions/relaxed-one-hot-categorical.js';
import { gumbelFromUniform, logisticFromUniform } from '../../src/backend/ops/gumbel-noise.js';
import { straightThrough } from '../../src/backend/ops/straight-through.js';
import { logGamma } from '../../src/backend/scalar/log-gamma.js';
import { expectAllClose, useCpu, values } from './helpers.js';

beforeAll(useCpu);

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The binary Concrete density written in y, float64 (Maddison et al. 2017, sec. 3). */
function binConcreteLogDensity(y: number, logit: number, lambda: number): number {
  const alpha = Math.exp(logit);
  return Math.log(lambda) + logit - (lambda + 1) * (Math.log(y) + Math.log(1 - y)) - 2 * Math.log(alpha * y ** -lambda + (1 - y) ** -lambda);
}

/** The Concrete density of seed 004 ch. 5.3.1, float64: (n−1)! λ^(n−1) Π_k α_k y_k^(−λ−1) / Σ_i α_i y_i^(−λ). */
function concreteLogDensity(y: readonly number[], logits: readonly number[], lambda: number): number {
  const n = y.length;
  const denominator = Math.log(logits.reduce((s, l, i) => s + Math.exp(l) * y[i]! ** -lambda, 0));
  return logGamma(n) + (n - 1) * Math.log(lambda) + y.reduce((s, yk, k) => s + logits[k]! - (lambda + 1) * Math.log(yk) - denominator, 0);
}

describe('RelaxedBernoulli (binary Concrete)', () => {
  const cases = [
    [0.3, 0.5],
    [-1.2, 2 / 3],
    [2, 1],
    [0, 2.5],
  ] as const;

  it.each(cases)('has the closed-form density in y (logit %f, λ %f)', (logit, lambda) => {
    const ys = [0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99];
    const got = tf.tidy(() => values(new RelaxedBernoulli(tf.fill([ys.length, 1], logit), lambda).logProb(tf.tensor2d(ys, [ys.length, 1]))));
    expectAllClose(got, ys.map((y) => binConcreteLogDensity(Math.fround(y), Math.fround(logit), lambda)), 2e-4, 1e-4, 'log density');
  });

  it.each(cases)('integrates to its logistic CDF F(t) = σ(λ logit(t) − l) (logit %f, λ %f)', (logit, lambda) => {
    // Simpson's rule on [a, b] inside (0, 1), away from the integrable spikes at 0 and 1.
    const [a, b, m] = [0.05, 0.95, 2000];
    const grid = Array.from({ length: m + 1 }, (_, i) => a + ((b - a) * i) / m);
    const density = tf.tidy(() => values(tf.exp(new RelaxedBernoulli(tf.fill([m + 1, 1], logit), lambda).logProb(tf.tensor2d(grid, [m + 1, 1])))));
    const h = (b - a) / m;
    const integral = (h / 3) * density.reduce((s, p, i) => s + p * (i === 0 || i === m ? 1 : i % 2 === 1 ? 4 : 2), 0);
    const cdf = (t: number) => sigmoid(lambda * Math.log(t / (1 - t)) - logit);
    expect(integral).toBeCloseTo(cdf(b) - cdf(a), 4);
  });

  it('draws samples whose empirical CDF is the logistic CDF (within 4 standard errors)', () => {
    const [logit, lambda, n] = [0.7, 0.5, 20000];
    const ys = tf.tidy(() => values(new RelaxedBernoulli(tf.tensor2d([[logit]]), lambda).rsample(n, 11)));
    for (const t of [0.05, 0.3, 0.5, 0.8, 0.97]) {
      const want = sigmoid(lambda * Math.log(t / (1 - t)) - logit);
      const got = ys.filter((y) => y <= t).length / n;
      expect(Math.abs(got - want), `P(y <= ${t})`).toBeLessThan(4 * Math.sqrt((want * (1 - want)) / n));
    }
    // [x > 0] is Bernoulli(σ(l)) for every λ.
    const ones = ys.filter((y) => y > 0.5).length / n;
    expect(Math.abs(ones - sigmoid(logit))).toBeLessThan(4 * Math.sqrt((sigmoid(logit) * (1 - sigmoid(logit))) / n));
  });

  it('scores from the logit where y rounds to 0 or 1, and the two agree in between', () => {
    const q = new RelaxedBernoulli(tf.tensor2d([[0.4, 0.4, 0.4]]), 0.3);
    const raw = tf.tensor2d([[-90, 2, 90]]);
    const fromRaw = tf.tidy(() => values(tf.sum(tf.stack([q.logProbRaw(tf.slice(raw, [0, 0], [1, 1])), q.logProbRaw(tf.slice(raw, [0, 1], [1, 1])), q.logProbRaw(tf.slice(raw, [0, 2], [1, 1]))]), 1)));
    expect(fromRaw.every(Number.isFinite)).toBe(true); // y = σ(±90) is exactly 0 or 1 in float32
    const middle = tf.tidy(() => values(q.logProb(tf.sigmoid(tf.slice(raw, [0, 1], [1, 1])))));
    expect(middle[0]!).toBeCloseTo(fromRaw[1]!, 4);
    tf.dispose([q.logits, raw]);
  });

  it('is reparameterized: the mean of y moves with the logit', () => {
    const g = tf.tidy(() => values(tf.grad((l: tf.Tensor) => tf.mean(new RelaxedBernoulli(l, 0.7).rsample(2000, 5)))(tf.tensor2d([[0.2]]))));
    expect(g[0]!).toBeGreaterThan(0.05);
  });
});

describe('RelaxedOneHotCategorical (Concrete)', () => {
  it.each([
    [[0.2, -1, 0.5], 0.5],
    [[1.5, 0, -0.3], 1],
    [[0, 0.4, 2], 2 / 3],
  ] as const)('has the closed-form density of seed 004 (logits %j, λ %f)', (logits, lambda) => {
    const ys = [
      [0.2, 0.3, 0.5],
      [0.05, 0.9, 0.05],
      [0.6, 0.001, 0.399],
    ];
    const got = tf.tidy(() => values(new RelaxedOneHotCategorical(tf.tensor2d([...logits], [1, 3]), lambda).logProb(tf.tensor2d(ys))));
    expectAllClose(got, ys.map((y) => concreteLogDensity(y.map(Math.fround), logits.map(Math.fround), lambda)), 3e-4, 1e-4, 'log density');
  });

  it.each([0.5, 2])('integrates to 1 over the 2-simplex (λ = %f)', (lambda) => {
    // In softmax coordinates y = softmax(u1, u2, 0), dy1 dy2 = y1 y2 y3 du1 du2, and p(y) y1 y2 y3 is smooth
    // with exponential tails (p itself has an integrable spike at the vertices for λ < 1): a plain grid in u.
    const [range, step] = [60, 0.25];
    const ys: number[][] = []; // log y
    const jacobians: number[] = [];
    for (let u1 = -range; u1 <= range; u1 += step) {
      for (let u2 = -range; u2 <= range; u2 += step) {
        const m = Math.max(u1, u2, 0);
        const e = [Math.exp(u1 - m), Math.exp(u2 - m), Math.exp(-m)];
        const logZ = m + Math.log(e[0]! + e[1]! + e[2]!);
        const logY = [u1 - logZ, u2 - logZ, -logZ]; // log y in float64: y itself underflows float32 out here
        ys.push(logY);
        jacobians.push(Math.exp(logY[0]! + logY[1]! + logY[2]!));
      }
    }
    const logDensity = tf.tidy(() => values(new RelaxedOneHotCategorical(tf.tensor2d([[0.3, -0.6, 1]]), lambda).logProbRaw(tf.tensor2d(ys))));
    const mass = logDensity.reduce((s, lp, i) => s + Math.exp(lp) * jacobians[i]!, 0) * step ** 2;
    expect(mass).toBeCloseTo(1, 3);
  });

  it('with two categories is the binary Concrete of the logit difference', () => {
    const [l1, l2, lambda] = [0.9, -0.4, 0.6];
    const ys = [0.02, 0.3, 0.5, 0.8, 0.97];
    const [two, binary] = tf.tidy(() => [
      values(new RelaxedOneHotCategorical(tf.tensor2d([[l1, l2]]), lambda).logProb(tf.tensor2d(ys.map((y) => [y, 1 - y])))),
      values(new RelaxedBernoulli(tf.tensor2d([[l1 - l2]]), lambda).logProb(tf.tensor2d(ys, [ys.length, 1]))),
    ]);
    expectAllClose(two, binary, 2e-4, 1e-4, 'n = 2');
  });

  it('samples on the simplex with argmax frequencies softmax(l) (the Gumbel-max trick), and is finite from log y', () => {
    const logits = [0.5, -0.5, 1.2];
    const n = 20000;
    const q = new RelaxedOneHotCategorical(tf.tensor2d([logits]), 0.1);
    const raw = q.rsampleRawWithNoise(q.sampleNoise(n, 3)); // [n, 1, 3]
    const ys = tf.tidy(() => q.fromRaw(raw).arraySync() as number[][][]);
    const z = logits.reduce((s, l) => s + Math.exp(l), 0);
    for (let k = 0; k < 3; k++) {
      const p = Math.exp(logits[k]!) / z;
      const freq = ys.filter((y) => y[0]!.indexOf(Math.max(...y[0]!)) === k).length / n;
      expect(Math.abs(freq - p), `category ${k}`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
    expect(ys.every((y) => Math.abs(y[0]!.reduce((s, v) => s + v, 0) - 1) < 1e-5)).toBe(true);
    // At λ = 0.1 many coordinates underflow to y = 0; their log density stays finite from log y.
    expect(ys.some((y) => y[0]!.includes(0))).toBe(true);
    expect(tf.tidy(() => values(q.logProbRaw(raw))).every(Number.isFinite)).toBe(true);
    tf.dispose([raw, q.logits]);
  });
});

describe('Gumbel and logistic noise', () => {
  it('stay finite at uniforms of exactly 0 and 1 (regression: a native uniform of 1 made a relaxed density NaN)', () => {
    const u = tf.tensor1d([0, 1, 0.5]);
    const [g, l] = tf.tidy(() => [values(gumbelFromUniform(u)), values(logisticFromUniform(u))]);
    expect(g.every(Number.isFinite) && l.every(Number.isFinite)).toBe(true);
    expect(l[2]).toBeCloseTo(0, 6);
    expect(g[2]).toBeCloseTo(-Math.log(Math.log(2)), 5);
    u.dispose();
  });
});

describe('straightThrough', () => {
  it('is the hard value forward and the soft value\'s gradient backward', () => {
    const soft = tf.tensor1d([0.2, 0.7, 0.1]);
    const hard = tf.tensor1d([0, 1, 0]);
    const w = tf.tensor1d([1, 2, 3]);
    const [forward, grad] = tf.tidy(() => [values(straightThrough(soft, hard)), values(tf.grad((s: tf.Tensor) => tf.sum(tf.mul(straightThrough(s, hard), w)))(soft))]);
    expect(forward).toEqual([0, 1, 0]);
    expect(grad).toEqual([1, 2, 3]);
    tf.dispose([soft, hard, w]);
  });

  it('passes gradients through a relaxed sample whose hard value is computed off the tape', () => {
    const grad = tf.tidy(() => {
      const f = (l: tf.Tensor) => {
        const q = new RelaxedOneHotCategorical(l, 0.5);
        const raw = q.rsampleRawWithNoise(q.sampleNoise(64, 1));
        return tf.sum(tf.mul(straightThrough(q.fromRaw(raw), q.hardFromRaw(raw)), tf.tensor1d([1, 0, -1])));
      };
      return values(tf.grad(f)(tf.tensor2d([[0.1, 0.2, 0.3]])));
    });
    expect(grad.every(Number.isFinite)).toBe(true);
    expect(grad.some((g) => g !== 0)).toBe(true);
  });
});

/**
 * Categorical and OneHotCategorical against closed forms: log-probabilities
 * are log softmax(l), with −∞ for a value outside the support; Gumbel-max
 * sample frequencies are softmax(l) (seeded, 4 standard errors); the KL
 * closed form against its Monte Carlo estimate; the logits' gradient of
 * log p against δ − softmax(l) and finite differences; samples carry no
 * gradient and do not break tf.grad; Bernoulli's state count and relaxation.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Bernoulli, Categorical, OneHotCategorical, RelaxedBernoulli } from '../../src/backend/distributions/index.js';
import { expectAllClose, expectNoLeak, useCpu, values } from './helpers.js';

beforeAll(useCpu);

const LOGITS = [0.4, -1.1, 0.9, 0.05];
const logSoftmax = (l: readonly number[]) => {
  const m = Math.max(...l);
  const lse = m + Math.log(l.reduce((s, v) => s + Math.exp(v - m), 0));
  return l.map((v) => v - lse);
};

describe('Categorical', () => {
  it('scores an index with log softmax(l), and anything else with −∞', () => {
    const got = tf.tidy(() => values(new Categorical(tf.tensor2d([LOGITS])).logProb(tf.tensor2d([[0], [2], [3], [4], [-1], [1.5]]))));
    const want = logSoftmax(LOGITS);
    expectAllClose(got.slice(0, 3), [want[0]!, want[2]!, want[3]!], 1e-6, 1e-6, 'indices');
    expect(got.slice(3)).toEqual([-Infinity, -Infinity, -Infinity]);
  });

  it('draws index k with probability softmax(l)_k (Gumbel-max), with shape [k, ..., 1]', () => {
    const n = 20000;
    const draws = tf.tidy(() => new Categorical(tf.tensor2d([LOGITS])).sample(n, 9));
    expect(draws.shape).toEqual([n, 1, 1]);
    const xs = values(draws);
    draws.dispose();
    logSoftmax(LOGITS).map(Math.exp).forEach((p, k) => {
      const freq = xs.filter((x) => x === k).length / n;
      expect(Math.abs(freq - p), `category ${k}`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    });
  });

  it('has the logits gradient δ_c − softmax(l) of log p(c), and none through its samples', () => {
    const grad = tf.tidy(() => values(tf.grad((l: tf.Tensor) => new Categorical(l).logProb(tf.tensor2d([[2]])).sum())(tf.tensor2d([LOGITS]))));
    const p = logSoftmax(LOGITS).map(Math.exp);
    expectAllClose(grad, p.map((pk, k) => (k === 2 ? 1 : 0) - pk), 1e-6, 1e-5, 'gradient');
    const throughSample = tf.tidy(() => values(tf.grad((l: tf.Tensor) => tf.sum(new Categorical(l).sample(5, 1)))(tf.tensor2d([LOGITS]))));
    expect(throughSample).toEqual([0, 0, 0, 0]);
  });

  it('has a closed-form KL that matches its Monte Carlo estimate, and leaks no tensors', () => {
    const [a, b] = [tf.tensor2d([LOGITS]), tf.tensor2d([[0, 0.3, -0.2, 1]])];
    const [p, q] = [new Categorical(a), new Categorical(b)];
    const kl = tf.tidy(() => values(p.kl(q)!)[0]!);
    const mc = tf.tidy(() => {
      const c = p.sample(40000, 4);
      return values(tf.sub(p.logProb(c), q.logProb(c)));
    });
    const mean = mc.reduce((s, v) => s + v, 0) / mc.length;
    const sd = Math.sqrt(mc.reduce((s, v) => s + (v - mean) ** 2, 0) / (mc.length - 1));
    expect(Math.abs(mean - kl)).toBeLessThan(4 * sd / Math.sqrt(mc.length));
    expectNoLeak(() => {
      const c = p.sample(3, 1);
      const out = [p.logProb(c), p.kl(q)!];
      c.dispose();
      return out;
    });
    tf.dispose([a, b]);
  });
});

describe('OneHotCategorical', () => {
  it('scores e_k with log softmax(l)_k and samples one-hot vectors with frequencies softmax(l)', () => {
    const d = new OneHotCategorical(tf.tensor2d([LOGITS]));
    const lp = tf.tidy(() => values(d.logProb(tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 4).toFloat())));
    expectAllClose(lp, logSoftmax(LOGITS), 1e-6, 1e-6, 'log p');
    const n = 20000;
    const rows = tf.tidy(() => d.sample(n, 2).reshape([n, 4]).arraySync() as number[][]);
    expect(rows.every((r) => r.reduce((s, v) => s + v, 0) === 1 && r.every((v) => v === 0 || v === 1))).toBe(true);
    logSoftmax(LOGITS).map(Math.exp).forEach((p, k) => {
      const freq = rows.filter((r) => r[k] === 1).length / n;
      expect(Math.abs(freq - p), `category ${k}`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    });
    expect(d.numStates).toBe(4);
    const kl = tf.tidy(() => values(d.kl(new OneHotCategorical(tf.tensor2d([[0, 0, 0, 0]])))!)[0]!);
    const p = logSoftmax(LOGITS).map(Math.exp);
    expect(kl).toBeCloseTo(p.reduce((s, pk) => s + pk * Math.log(pk * 4), 0), 5);
    d.logits.dispose();
  });

  it('keeps the k axis of its parameters with { sampleAxis: true }', () => {
    const shape = tf.tidy(() => new OneHotCategorical(tf.zeros([3, 2, 5]), { sampleAxis: true }).sample(3, 0).shape);
    expect(shape).toEqual([3, 2, 5]);
  });
});

describe('Bernoulli as a latent', () => {
  it('counts 2^d states and relaxes to a binary Concrete with the same logits', () => {
    const logits = tf.zeros([2, 3]);
    const b = new Bernoulli(logits);
    expect(b.numStates).toBe(8);
    const relaxed = b.relax(0.5);
    expect(relaxed).toBeInstanceOf(RelaxedBernoulli);
    expect(relaxed.temperature).toBe(0.5);
    expect(relaxed.logits).toBe(logits);
    logits.dispose();
  });
});

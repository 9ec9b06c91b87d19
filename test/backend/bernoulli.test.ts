import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Bernoulli } from '../../src/backend/distributions/bernoulli.js';
import { Normal } from '../../src/backend/distributions/normal.js';
import { expectClose, expectNoLeak, useCpu, values } from './helpers.js';

beforeAll(useCpu);

/** log σ(l) in double precision, stable for either sign. */
const logSigmoid = (l: number): number => (l >= 0 ? -Math.log1p(Math.exp(-l)) : l - Math.log1p(Math.exp(l)));
const sigmoid = (l: number): number => 1 / (1 + Math.exp(-l));

describe('Bernoulli', () => {
  const logits = [-30, -2, 0, 0.7, 3, 30];

  it('logProb is log σ(l) at x = 1 and log σ(-l) at x = 0, accurate at extreme logits', () => {
    tf.tidy(() => {
      const d = new Bernoulli(tf.tensor2d(logits, [6, 1]));
      expectClose(d.logProb(tf.ones([6, 1])), logits.map(logSigmoid), 1e-30, 1e-5);
      expectClose(d.logProb(tf.zeros([6, 1])), logits.map((l) => logSigmoid(-l)), 1e-30, 1e-5);
      // Summed over the event axis:
      const pair = new Bernoulli(tf.tensor1d([1.5, -0.5]));
      expectClose(pair.logProb(tf.tensor1d([1, 0])), logSigmoid(1.5) + logSigmoid(0.5), 1e-6);
    });
  });

  it('is not reparameterizable: rsample throws and says why', () => {
    tf.tidy(() => {
      const d = new Bernoulli(tf.zeros([2]));
      expect(d.reparameterized).toBe(false);
      expect(() => d.rsample(1)).toThrow(/not reparameterizable.*discrete.*use sample\(\)/);
    });
  });

  it('samples {0, 1} with mean σ(l) (within 4 standard errors), reproducibly per seed', () => {
    tf.tidy(() => {
      const d = new Bernoulli(tf.tensor1d(logits));
      const n = 20_000;
      const x = d.sample(n, 0);
      expect(x.shape).toEqual([n, 6]);
      expect(values(x).every((v) => v === 0 || v === 1)).toBe(true);
      values(tf.mean(x, 0)).forEach((mean, j) => {
        const p = sigmoid(logits[j]!);
        expect(Math.abs(mean - p)).toBeLessThanOrEqual(4 * Math.sqrt((p * (1 - p)) / n));
      });
      expect(values(d.sample(5, 0))).toEqual(values(d.sample(5, 0)));
    });
  });

  it('sample carries no gradient (and does not break tf.grad)', () => {
    tf.tidy(() => {
      const l = tf.tensor1d([0.3, -1]);
      const g = tf.grad((v: tf.Tensor) => tf.sum(new Bernoulli(v).sample(4, 1)))(l);
      expectClose(g, [0, 0], 0);
    });
  });

  it('KL matches the two-point sum and is >= 0, with 0 at p = q', () => {
    const finiteLogit = fc.float({ min: Math.fround(-20), max: Math.fround(20), noNaN: true });
    fc.assert(
      fc.property(finiteLogit, finiteLogit, (a, b) => {
        tf.tidy(() => {
          const kl = new Bernoulli(tf.tensor1d([a])).kl(new Bernoulli(tf.tensor1d([b])))!;
          const exact =
            sigmoid(a) * (logSigmoid(a) - logSigmoid(b)) + sigmoid(-a) * (logSigmoid(-a) - logSigmoid(-b));
          expectClose(kl, exact, 1e-5, 1e-4);
          expect(values(kl)[0]!).toBeGreaterThanOrEqual(-1e-6);
        });
      }),
      { numRuns: 50 },
    );
    tf.tidy(() => {
      const p = new Bernoulli(tf.tensor1d(logits));
      expectClose(p.kl(p)!, 0, 1e-6);
      expect(p.kl(new Normal(tf.zeros([6]), tf.ones([6])))).toBeUndefined();
    });
  });

  it('leaves no tensors behind', () => {
    const l = tf.tensor1d([0.2, -3]);
    const d = new Bernoulli(l);
    const x = tf.tensor2d([[1, 0], [0, 1]]);
    expectNoLeak(() => d.sample(3, 0));
    expectNoLeak(() => d.logProb(x));
    expectNoLeak(() => d.kl(d)!);
    expectNoLeak(() => tf.grad((v: tf.Tensor) => tf.sum(new Bernoulli(v).logProb(x)))(l));
    tf.dispose([l, x]);
  });
});

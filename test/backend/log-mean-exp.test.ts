import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { logMeanExp } from '../../src/backend/ops/log-mean-exp.js';
import { logSumExpStable } from '../../src/backend/ops/log-sum-exp-stable.js';
import { stopGradient } from '../../src/backend/ops/stop-gradient.js';
import { expectClose, expectNoLeak, useCpu, values } from './helpers.js';

beforeAll(useCpu);

const finite = fc.float({ min: Math.fround(-50), max: Math.fround(50), noNaN: true });
const logWeights = fc.array(finite, { minLength: 1, maxLength: 12 });

/** log mean exp in double precision, shifted by the max. */
function plainLogMeanExp(xs: readonly number[]): number {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0) / xs.length);
}

describe('logMeanExp', () => {
  it('matches a double-precision reference', () => {
    fc.assert(
      fc.property(logWeights, (xs) => {
        expectClose(tf.tidy(() => logMeanExp(tf.tensor1d(xs))), plainLogMeanExp(xs), 1e-4, 1e-5);
      }),
      { numRuns: 50 },
    );
  });

  it('shifts with its input: logMeanExp(x + c) = logMeanExp(x) + c', () => {
    fc.assert(
      fc.property(logWeights, fc.float({ min: Math.fround(-1000), max: Math.fround(1000), noNaN: true }), (xs, c) => {
        tf.tidy(() => {
          const x = tf.tensor1d(xs);
          expectClose(logMeanExp(tf.add(x, c)), tf.add(logMeanExp(x), c), 1e-4, 1e-6);
        });
      }),
      { numRuns: 50 },
    );
  });

  it('does not overflow where log(mean(exp(x))) would', () => {
    tf.tidy(() => {
      expectClose(logMeanExp(tf.tensor1d([1000, 1000])), 1000, 1e-3);
      expect(values(tf.log(tf.mean(tf.exp(tf.tensor1d([1000, 1000])))))[0]).toBe(Infinity);
    });
  });

  it('reduces the particle axis of [k, batch] and is the identity at k = 1', () => {
    tf.tidy(() => {
      const logW = tf.tensor2d([[0, 1, -2], [2, 1, -4]]);
      const out = logMeanExp(logW, 0);
      expect(out.shape).toEqual([3]);
      expectClose(out, [plainLogMeanExp([0, 2]), 1, plainLogMeanExp([-2, -4])], 1e-5);
      expect(logMeanExp(logW, -2, true).shape).toEqual([1, 3]);
      expectClose(logMeanExp(logW, [0, 1]), plainLogMeanExp([0, 1, -2, 2, 1, -4]), 1e-5);
      const one = tf.tensor2d([[0.5, -3]]);
      expectClose(logMeanExp(one, 0), [0.5, -3], 0);
    });
  });

  it('handles -Infinity weights: ignored when some are finite, -Infinity (not NaN) when all are', () => {
    tf.tidy(() => {
      expectClose(logMeanExp(tf.tensor1d([-Infinity, 0])), Math.log(0.5), 1e-6);
      expect(values(logMeanExp(tf.tensor1d([-Infinity, -Infinity])))).toEqual([-Infinity]);
      expect(values(tf.logSumExp(tf.tensor1d([-Infinity, -Infinity])))[0]).toBeNaN(); // what it guards against
    });
  });

  it('has gradient softmax(x), finite (zero) for all -Infinity rows', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([[1, 2, -Infinity], [-Infinity, -Infinity, -Infinity]]);
      const g = tf.grad((v: tf.Tensor) => tf.sum(logMeanExp(v, 1)))(x);
      const e = [Math.exp(1), Math.exp(2)];
      const z = e[0]! + e[1]!;
      expectClose(g, [e[0]! / z, e[1]! / z, 0, 0, 0, 0], 1e-6);
    });
  });

  it('leaves no tensors behind', () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    expectNoLeak(() => logMeanExp(x, 0));
    expectNoLeak(() => tf.grad((v: tf.Tensor) => tf.sum(logMeanExp(v, 1)))(x));
    x.dispose();
  });

  it('checks its arguments with tfjs-style messages', () => {
    expect(() => logMeanExp([1, 2] as unknown as tf.Tensor)).toThrow(
      "Argument 'logW' passed to 'logMeanExp' must be a Tensor, but got an array",
    );
    const x = tf.tensor1d([1, 2]);
    expect(() => logMeanExp(x, 1)).toThrow("Argument 'axis' passed to 'logMeanExp' must be an integer in [-1, 1)");
    expect(() => logMeanExp(tf.zeros([0, 2]), 0)).toThrow(/has no terms/);
    x.dispose();
  });
});

describe('logSumExpStable', () => {
  it('agrees with tf.logSumExp on finite inputs', () => {
    fc.assert(
      fc.property(logWeights, (xs) => {
        tf.tidy(() => expectClose(logSumExpStable(tf.tensor1d(xs)), tf.logSumExp(tf.tensor1d(xs)), 1e-5, 1e-6));
      }),
      { numRuns: 30 },
    );
  });

  it('returns +Infinity, not NaN, when a term is +Infinity', () => {
    tf.tidy(() => {
      expect(values(logSumExpStable(tf.tensor1d([0, Infinity])))).toEqual([Infinity]);
    });
  });
});

describe('stopGradient', () => {
  it('passes values and blocks gradients', () => {
    tf.tidy(() => {
      const s = tf.tensor1d([1.5, -2]);
      expectClose(stopGradient(s), [1.5, -2], 0);
      // d/ds [sg(s) · s] = sg(s) = s, not 2s
      expectClose(tf.grad((v: tf.Tensor) => tf.sum(tf.mul(stopGradient(v), v)))(s), [1.5, -2], 1e-7);
    });
  });
});

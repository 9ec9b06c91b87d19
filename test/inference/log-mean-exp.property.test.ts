/**
 * The inequality behind the IWAE bound ordering, exactly, on logMeanExp itself
 * (Burda et al. 2016, Theorem 1): for log-weights w_1..w_k and the average
 * A_m = mean over all m-subsets S of logMeanExp(w_S),
 *
 *   mean(w) = A_1 <= A_2 <= ... <= A_{k-1} <= A_k = logMeanExp(w).
 *
 * Why: a uniformly random (m+1)-subset's mean of e^w equals the average over
 * its m-subsets of their means, so by Jensen (log is concave)
 *   E log mean_{S'} e^w = E log E[mean_S e^w | S'] >= E E[log mean_S e^w | S'],
 * and the average over all m-subsets is that expectation exactly. Enumerating
 * every subset (k <= 8: at most 2^8 of them) makes the check exact, not
 * statistical; only float32 rounding needs a tolerance.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { logMeanExp } from '../../src/backend/ops/log-mean-exp.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const logWeight = fc.float({ min: Math.fround(-40), max: Math.fround(40), noNaN: true });
const logWeights = fc.array(logWeight, { minLength: 2, maxLength: 8 });

/** Every m-subset of 0..k-1, as index arrays (lexicographic). */
function subsets(k: number, m: number): number[][] {
  const out: number[][] = [];
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === m) {
      out.push([...chosen]);
      return;
    }
    for (let i = start; i < k; i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return out;
}

/**
 * A_m, the average of logMeanExp over all m-subsets, with every subset's
 * logMeanExp computed by the op under test in one call: the subsets are the
 * columns of an [m, C(k, m)] tensor reduced over axis 0. Averaged in float64.
 */
function subsetAverage(w: readonly number[], m: number): number {
  const all = subsets(w.length, m);
  const columns = tf.tidy(() => {
    const values = Array.from({ length: m }, (_, row) => all.map((s) => w[s[row]!]!));
    return logMeanExp(tf.tensor2d(values, [m, all.length]), 0).dataSync();
  });
  return Array.from(columns).reduce((s, x) => s + x, 0) / all.length;
}

/**
 * float32 slack: the op rounds inputs and results at the scale of the
 * largest |w| (ulp(40) ≈ 4e-6) through a handful of operations, and the
 * inequality is tight (equality) when all weights are equal.
 */
function slack(w: readonly number[]): number {
  return 1e-5 * (1 + Math.max(...w.map(Math.abs)));
}

describe('logMeanExp over subsets (the IWAE ordering, exactly)', () => {
  it('mean(w) <= A_1 <= ... <= A_{k-1} <= logMeanExp(w) for every k', () => {
    fc.assert(
      fc.property(logWeights, (w) => {
        const k = w.length;
        const full = tf.tidy(() => logMeanExp(tf.tensor1d(w)).dataSync()[0]!);
        const averages = Array.from({ length: k - 1 }, (_, i) => subsetAverage(w, i + 1));
        const mean = w.reduce((s, x) => s + x, 0) / k;
        const tol = slack(w);
        // A_1 is the plain mean: logMeanExp of one term is the term.
        expect(Math.abs(averages[0]! - mean)).toBeLessThanOrEqual(tol);
        const chain = [mean, ...averages, full];
        for (let i = 1; i < chain.length; i++) expect(chain[i]!).toBeGreaterThanOrEqual(chain[i - 1]! - tol);
      }),
      { numRuns: 150 },
    );
  });

  it('the inequality is strict when the weights are not all equal (the gap is real, not rounding)', () => {
    // For two distinct weights, A_1 = mean(w) < logMeanExp(w) by strict
    // concavity; keep the spread above the float slack so the gap is resolvable.
    fc.assert(
      fc.property(logWeights, (w) => {
        fc.pre(Math.max(...w) - Math.min(...w) > 0.5);
        const full = tf.tidy(() => logMeanExp(tf.tensor1d(w)).dataSync()[0]!);
        const mean = w.reduce((s, x) => s + x, 0) / w.length;
        expect(full - mean).toBeGreaterThan(slack(w));
      }),
      { numRuns: 100 },
    );
  });

  it('shifts with its input: logMeanExp(w + c) = logMeanExp(w) + c, per column of [k, batch]', () => {
    const batch = fc.integer({ min: 1, max: 4 }).chain((b) =>
      fc.tuple(fc.constant(b), fc.array(fc.array(logWeight, { minLength: b, maxLength: b }), { minLength: 1, maxLength: 10 })),
    );
    const shift = fc.float({ min: Math.fround(-1000), max: Math.fround(1000), noNaN: true });
    fc.assert(
      fc.property(batch, shift, ([b, rows], c) => {
        const [shifted, plain] = tf.tidy(() => {
          const w = tf.tensor2d(rows, [rows.length, b]);
          return [logMeanExp(tf.add(w, c), 0).dataSync(), logMeanExp(w, 0).dataSync()];
        });
        expect(shifted.length).toBe(b);
        // Both sides are float32 values at the scale of |w| + |c|; allow a few ulps there.
        const ulp = (Math.abs(c) + 40) * 2 ** -23;
        const tol = 4 * ulp + 1e-5;
        for (let j = 0; j < b; j++) expect(Math.abs(shifted[j]! - (plain[j]! + c))).toBeLessThanOrEqual(tol);
      }),
      { numRuns: 150 },
    );
  });

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    subsetAverage([0, 1, -2, 3, 0.5], 3);
    expect(tf.memory().numTensors).toBe(before);
  });
});

/**
 * Greedy forward selection: on a scoring function with known values, and with
 * logistic regression on synthetic data whose class depends on two of eight
 * features (the texture-selective dimensions of seed 000, Tables 5.2-5.3).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/data/rng.js';
import { selectColumns, type FeatureMatrix } from '../../src/report/stats/feature-matrix.js';
import { forwardSelection } from '../../src/report/stats/forward-selection.js';
import { accuracy, fitLogisticRegression, predictClasses } from '../../src/report/stats/logistic-regression.js';

describe('forwardSelection', () => {
  it('adds the best feature at each step and keeps the prefix that gains enough', () => {
    const worth: Record<number, number> = { 0: 0.005, 1: 0.2, 2: 0, 3: 0.3 };
    const score = (features: readonly number[]) => features.reduce((s, f) => s + worth[f]!, 0);
    const r = forwardSelection([0, 1, 2, 3], score, { maxFeatures: 3, minGain: 0.01, baseline: 0 });
    expect(r.steps.map((s) => s.feature)).toEqual([3, 1, 0]);
    expect(r.steps.map((s) => s.score)).toEqual([0.3, 0.5, 0.505].map((v) => expect.closeTo(v, 12) as unknown as number));
    expect(r.chosen).toEqual([3, 1]);
  });

  it('breaks ties toward the lower feature and stops when candidates run out', () => {
    const r = forwardSelection([5, 2, 9], () => 1, { maxFeatures: 10 });
    expect(r.steps.map((s) => s.feature)).toEqual([2, 5, 9]);
    // With no baseline the first step always counts; later steps gain 0 >= minGain 0.
    expect(r.chosen).toEqual([2, 5, 9]);
  });

  it('finds the two informative features among eight with logistic regression', () => {
    // Class = (f2 > 0) + 2·(f5 > 0): four classes decided by features 2 and 5; the rest is noise.
    const rng = new Rng(8, 0);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng.float())) * Math.cos(2 * Math.PI * rng.float());
    const make = (n: number): { x: FeatureMatrix; y: Int32Array } => {
      const values = Float64Array.from({ length: n * 8 }, normal);
      const y = Int32Array.from({ length: n }, (_, i) => (values[i * 8 + 2]! > 0 ? 1 : 0) + (values[i * 8 + 5]! > 0 ? 2 : 0));
      return { x: { values, rows: n, cols: 8 }, y };
    };
    const fit = make(600);
    const validation = make(400);
    const score = (features: readonly number[]) => {
      const model = fitLogisticRegression(selectColumns(fit.x, features), fit.y, { classes: 4, l2: 1 / fit.x.rows });
      return accuracy(predictClasses(model, selectColumns(validation.x, features)), validation.y);
    };
    const r = forwardSelection([0, 1, 2, 3, 4, 5, 6, 7], score, { maxFeatures: 4, minGain: 0.01, baseline: 0.25 });
    expect([...r.chosen].sort()).toEqual([2, 5]);
    expect(r.steps[1]!.score).toBeGreaterThan(0.9);
    expect(r.steps).toHaveLength(4);
  });
});

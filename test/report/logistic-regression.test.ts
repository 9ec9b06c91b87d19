/**
 * The report's multinomial logistic regression against a closed-form optimum
 * (a symmetric two-class problem), finite differences of its gradient,
 * stationarity at the fitted optimum, separable and uninformative synthetic
 * data; and L-BFGS on the Rosenbrock function.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/data/rng.js';
import type { FeatureMatrix } from '../../src/report/stats/feature-matrix.js';
import { minimizeLbfgs } from '../../src/report/stats/lbfgs.js';
import { accuracy, confusionCounts, fitLogisticRegression, logisticLoss, predictClasses } from '../../src/report/stats/logistic-regression.js';

/** Standard normals from a seeded generator (Box–Muller). */
function normals(n: number, rng: Rng): number[] {
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rng.float())) * Math.cos(2 * Math.PI * rng.float()));
}

/** n points per class around `centres` (one row of `[classes, cols]`), spread `sd`. */
function clusters(centres: number[][], n: number, sd: number, seed: number): { x: FeatureMatrix; y: Int32Array } {
  const rng = new Rng(seed, 0);
  const cols = centres[0]!.length;
  const values: number[] = [];
  const labels: number[] = [];
  centres.forEach((c, label) => {
    for (let i = 0; i < n; i++) {
      const noise = normals(cols, rng);
      values.push(...c.map((v, j) => v + sd * noise[j]!));
      labels.push(label);
    }
  });
  return { x: { values: Float64Array.from(values), rows: labels.length, cols }, y: Int32Array.from(labels) };
}

/** Root of f on [lo, hi] by bisection (f(lo) and f(hi) of opposite signs). */
function bisect(f: (w: number) => number, lo: number, hi: number): number {
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (Math.sign(f(mid)) === Math.sign(f(lo))) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('L-BFGS', () => {
  it('finds the minimum (1, 1) of the Rosenbrock function', () => {
    const r = minimizeLbfgs(
      (x, g) => {
        const [a, b] = [x[0]!, x[1]!];
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.of(-1.2, 1),
      { gradientTolerance: 1e-8, maxIterations: 1000 },
    );
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
  });
});

describe('multinomial logistic regression', () => {
  it('matches the closed-form optimum of a symmetric two-class problem', () => {
    // x = −1 for class 0 and +1 for class 1. By symmetry W = [[−w, w]], b = 0, and the loss is
    // log(1 + exp(−2w)) + λw², stationary where λw = 1 / (1 + exp(2w)).
    const n = 10;
    const x: FeatureMatrix = { values: Float64Array.from({ length: 2 * n }, (_, i) => (i < n ? -1 : 1)), rows: 2 * n, cols: 1 };
    const y = Int32Array.from({ length: 2 * n }, (_, i) => (i < n ? 0 : 1));
    for (const l2 of [0.01, 0.1, 1]) {
      const w = bisect((v) => l2 * v - 1 / (1 + Math.exp(2 * v)), 0, 100);
      const model = fitLogisticRegression(x, y, { classes: 2, l2, tolerance: 1e-9, initSeed: 3 });
      expect(model.converged).toBe(true);
      expect(model.weights[0]).toBeCloseTo(-w, 7);
      expect(model.weights[1]).toBeCloseTo(w, 7);
      expect(model.bias[0]! - model.bias[1]!).toBeCloseTo(0, 7);
      expect(model.loss).toBeCloseTo(Math.log1p(Math.exp(-2 * w)) + l2 * w * w, 10);
    }
  });

  it('has the gradient of its loss (central finite differences)', () => {
    const { x, y } = clusters([[0, 1, -1], [1, 0, 0], [-1, -1, 1]], 7, 1, 5);
    const rng = new Rng(9, 0);
    const theta = Float64Array.from(normals(3 * 3 + 3, rng));
    const gradient = new Float64Array(theta.length);
    logisticLoss(x, y, 3, 0.3, theta, gradient);
    for (let i = 0; i < theta.length; i++) {
      const h = 1e-6;
      const plus = Float64Array.from(theta);
      const minus = Float64Array.from(theta);
      plus[i]! += h;
      minus[i]! -= h;
      const numeric = (logisticLoss(x, y, 3, 0.3, plus) - logisticLoss(x, y, 3, 0.3, minus)) / (2 * h);
      expect(gradient[i]).toBeCloseTo(numeric, 6);
    }
  });

  it('stops at a stationary point whatever the start', () => {
    const { x, y } = clusters([[0, 0, 1, 0], [1, 1, 0, 0], [0, 1, 1, 1], [1, 0, 0, 1]], 30, 0.8, 1);
    const a = fitLogisticRegression(x, y, { classes: 4, l2: 0.05, tolerance: 1e-9 });
    const b = fitLogisticRegression(x, y, { classes: 4, l2: 0.05, tolerance: 1e-9, initSeed: 12 });
    const gradient = new Float64Array(4 * 4 + 4);
    logisticLoss(x, y, 4, 0.05, Float64Array.from([...a.weights, ...a.bias]), gradient);
    expect(Math.max(...gradient.map(Math.abs))).toBeLessThan(1e-8);
    // The penalized loss is strictly convex in W, so both starts reach the same weights.
    a.weights.forEach((w, i) => expect(b.weights[i]).toBeCloseTo(w, 6));
  });

  it('separates well-separated classes perfectly on held-out points', () => {
    const centres = [[6, 0], [0, 6], [-6, -6]];
    const train = clusters(centres, 50, 1, 2);
    const test = clusters(centres, 50, 1, 3);
    const model = fitLogisticRegression(train.x, train.y, { classes: 3, l2: 1 / train.x.rows });
    const predicted = predictClasses(model, test.x);
    expect(accuracy(predicted, test.y)).toBe(1);
    expect(confusionCounts(predicted, test.y, 3)).toEqual([[50, 0, 0], [0, 50, 0], [0, 0, 50]]);
  });

  it('is at chance on features that carry no information about the labels', () => {
    const rng = new Rng(4, 0);
    const n = 2000;
    const make = () => ({ x: { values: Float64Array.from(normals(n * 3, rng)), rows: n, cols: 3 }, y: Int32Array.from({ length: n }, () => rng.int(4)) });
    const train = make();
    const test = make();
    const acc = accuracy(predictClasses(fitLogisticRegression(train.x, train.y, { classes: 4, l2: 1e-3 }), test.x), test.y);
    // Chance is 1/4; a classifier without information has accuracy ~ Binomial(n, 1/4)/n, sd = sqrt(3/16/n) ≈ 0.0097: allow 4 sd.
    expect(Math.abs(acc - 0.25)).toBeLessThan(4 * Math.sqrt(3 / 16 / n));
  });

  it('rejects labels out of range and a zero penalty, naming the problem', () => {
    const x: FeatureMatrix = { values: Float64Array.of(1, 2), rows: 2, cols: 1 };
    expect(() => fitLogisticRegression(x, Int32Array.of(0, 2), { classes: 2, l2: 1 })).toThrow(/label 2 is outside 0..1/);
    expect(() => fitLogisticRegression(x, Int32Array.of(0, 1), { classes: 2, l2: 0 })).toThrow(/l2 must be positive/);
  });
});

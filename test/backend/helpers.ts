/** Shared helpers for the backend tests (not a test file itself). */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** Runs the tests of a file on the pure-JS backend (fast start, exact kernels). */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Values of a tensor as a flat array of plain numbers. */
export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

/**
 * Asserts |actual - expected| <= atol + rtol·|expected| elementwise, with
 * matching shapes, and says which element broke it.
 */
export function expectClose(
  actual: tf.Tensor,
  expected: tf.Tensor | readonly number[] | number,
  atol = 1e-5,
  rtol = 1e-5,
): void {
  let want: number[];
  if (expected instanceof tf.Tensor) {
    expect(actual.shape).toEqual(expected.shape);
    want = values(expected);
  } else {
    want = typeof expected === 'number' ? [expected] : [...expected];
  }
  const got = values(actual);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    if (w === g) return; // also covers equal infinities
    const err = Math.abs(g - w);
    if (!(err <= atol + rtol * Math.abs(w))) {
      throw new Error(`element ${i}: got ${g}, expected ${w} (|err| ${err} > ${atol} + ${rtol}·|expected|)`);
    }
  });
}

/** Sample mean and variance (n - 1 denominator) of a flat array. */
export function meanAndVariance(xs: readonly number[]): { mean: number; variance: number } {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return { mean, variance };
}

/**
 * Runs `fn` and asserts it leaves tf.memory().numTensors as it found it,
 * disposing whatever tensors `fn` returns.
 */
export function expectNoLeak(fn: () => tf.TensorContainer): void {
  const before = tf.memory().numTensors;
  const out = fn();
  tf.dispose(out);
  expect(tf.memory().numTensors).toBe(before);
}

/**
 * Central differences of a float64 function of a few scalars, ∂f/∂θ_i with
 * step 1e-6·max(1, |θ_i|) (truncation ~1e-12, rounding ~1e-10 relative).
 */
export function centralDifferences(f: (theta: number[]) => number, theta: readonly number[]): number[] {
  return theta.map((t, i) => {
    const h = 1e-6 * Math.max(1, Math.abs(t));
    const at = (delta: number) => f(theta.map((s, j) => (j === i ? s + delta : s)));
    return (at(h) - at(-h)) / (2 * h);
  });
}

/** Fourth central moment of a flat array about `mean`. */
export function fourthCentralMoment(xs: readonly number[], mean: number): number {
  return xs.reduce((s, x) => s + (x - mean) ** 4, 0) / xs.length;
}

/**
 * Asserts the sample mean and variance of `xs` are within 4 standard errors
 * of `mean` and `variance`: SE(mean) = σ/√n and SE(variance) = √((μ4 - σ⁴)/n),
 * with μ4 the analytic fourth central moment when given, the sample's
 * otherwise. A correct sampler fails this about once in 16,000 runs; the
 * tests are seeded, so a pass is reproducible.
 */
export function expectMoments(xs: readonly number[], mean: number, variance: number, mu4?: number): void {
  const n = xs.length;
  const sample = meanAndVariance(xs);
  const fourth = mu4 ?? fourthCentralMoment(xs, sample.mean);
  expect(Math.abs(sample.mean - mean), `mean ${sample.mean} vs ${mean}`).toBeLessThan(4 * Math.sqrt(variance / n));
  expect(Math.abs(sample.variance - variance), `variance ${sample.variance} vs ${variance}`).toBeLessThan(4 * Math.sqrt((fourth - variance ** 2) / n));
}

/** Asserts |got - want| <= atol + rtol·|want| elementwise on plain arrays, naming the element. */
export function expectAllClose(got: readonly number[], want: readonly number[], atol: number, rtol: number, what = ''): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) throw new Error(`${what} element ${i}: got ${g}, expected ${w}`);
  });
}

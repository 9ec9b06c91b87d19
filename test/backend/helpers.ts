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

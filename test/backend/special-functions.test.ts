/**
 * lgamma, digamma and trigamma as float32 tensor ops, against float64
 * references from @stdlib (gammaln, digamma; trigamma as a central difference
 * of the float64 digamma), and their gradients against finite differences.
 *
 * Tolerances: float32 carries about 6e-8 relative, and these ops chain ~20
 * float32 operations, so each is held to |err| <= 1e-6 · max(1, |ref|):
 * 1e-6 relative wherever |ref| >= 1, 1e-6 absolute near the roots (lgamma at
 * 1 and 2, digamma at 1.4616), where no float32 formula can be relatively
 * accurate. Measured worst cases on [1e-3, 1e4]: lgamma 6e-7, digamma 5e-7,
 * trigamma 2e-7 (relative).
 */
import gammaln from '@stdlib/math-base-special-gammaln';
import digammaRef from '@stdlib/math-base-special-digamma';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { digamma } from '../../src/backend/ops/digamma.js';
import { lbeta, lgamma } from '../../src/backend/ops/lgamma.js';
import { trigamma } from '../../src/backend/ops/trigamma.js';
import { expectNoLeak, useCpu, values } from './helpers.js';

beforeAll(useCpu);

/** float32 points over [1e-3, 1e4]: 700 log-spaced, plus a fine grid over [0.4, 2.6] (both roots of lgamma, digamma's root, the ½ and 10 branch points). */
const POINTS = [
  ...Array.from({ length: 701 }, (_, i) => Math.fround(10 ** (-3 + i / 100))),
  ...Array.from({ length: 2201 }, (_, i) => Math.fround(0.4 + i / 1000)),
  Math.fround(0.5), Math.fround(6), Math.fround(10), Math.fround(9.999999),
];

/** float64 trigamma: a central difference of @stdlib's digamma (error ~1e-10 relative at h = 1e-5·x). */
function trigammaRef(x: number): number {
  const h = 1e-5 * x;
  return (digammaRef(x + h) - digammaRef(x - h)) / (2 * h);
}

/** Largest |got - want| / max(1, |want|) over the points, with where it happened. */
function worstError(op: (t: tf.Tensor) => tf.Tensor, reference: (x: number) => number, relativeOnly = false): { error: number; at: number } {
  const got = tf.tidy(() => values(op(tf.tensor1d(POINTS))));
  let worst = { error: 0, at: NaN };
  POINTS.forEach((x, i) => {
    const want = reference(x);
    const error = Math.abs(got[i]! - want) / (relativeOnly ? Math.abs(want) : Math.max(1, Math.abs(want)));
    if (!(error <= worst.error)) worst = { error, at: x };
  });
  return worst;
}

describe('lgamma, digamma and trigamma against float64 references on [1e-3, 1e4]', () => {
  it('lgamma is within 1e-6 · max(1, |log Γ(x)|) of @stdlib gammaln', () => {
    expect(worstError(lgamma, gammaln).error).toBeLessThan(1e-6);
  });

  it('digamma is within 1e-6 · max(1, |ψ(x)|) of @stdlib digamma', () => {
    expect(worstError(digamma, digammaRef).error).toBeLessThan(1e-6);
  });

  it('trigamma is within 1e-6 relative of a float64 difference of digamma', () => {
    expect(worstError(trigamma, trigammaRef, true).error).toBeLessThan(1e-6);
  });

  it('has the textbook values and the edge behaviour documented', () => {
    tf.tidy(() => {
      const [half, one, two, ten] = values(lgamma(tf.tensor1d([0.5, 1, 2, 10])));
      expect(half).toBeCloseTo(0.5 * Math.log(Math.PI), 6);
      expect(Math.abs(one!)).toBeLessThan(1e-6);
      expect(Math.abs(two!)).toBeLessThan(1e-6);
      expect(ten).toBeCloseTo(Math.log(362880), 5);
      expect(values(digamma(tf.tensor1d([1])))[0]).toBeCloseTo(-0.5772156649, 6);
      expect(values(trigamma(tf.tensor1d([1])))[0]).toBeCloseTo(Math.PI ** 2 / 6, 6);
      expect(values(lgamma(tf.tensor1d([0])))[0]).toBe(Infinity);
      const big = values(lgamma(tf.tensor1d([1e30])))[0]!;
      expect(Math.abs(big - gammaln(1e30)) / gammaln(1e30)).toBeLessThan(1e-6);
      expect(Number.isNaN(values(lgamma(tf.tensor1d([-1])))[0])).toBe(true);
    });
  });

  it('lbeta(a, b) = log Γ(a) + log Γ(b) - log Γ(a + b), broadcasting', () => {
    tf.tidy(() => {
      const got = values(lbeta(tf.tensor2d([[0.5], [3]]), tf.tensor1d([0.5, 2, 40])));
      const want = [0.5, 3].flatMap((a) => [0.5, 2, 40].map((b) => gammaln(a) + gammaln(b) - gammaln(a + b)));
      got.forEach((g, i) => expect(Math.abs(g - want[i]!)).toBeLessThan(2e-6 * Math.max(1, Math.abs(want[i]!))));
    });
  });

  it('rejects a non-tensor by name', () => {
    expect(() => lgamma(2 as unknown as tf.Tensor)).toThrow("Argument 'x' passed to 'lgamma' must be a Tensor");
    expect(() => digamma([1] as unknown as tf.Tensor)).toThrow("Argument 'x' passed to 'digamma' must be a Tensor");
  });
});

describe('gradients', () => {
  const xs = [0.003, 0.2, 0.7, 1, 1.46, 2.5, 5.99, 6.01, 9.9, 10.1, 37, 850, 9000];

  /** Central differences of a float64 reference, step 1e-6·x. */
  const finiteDifference = (f: (x: number) => number) => xs.map((x) => (f(x * (1 + 1e-6)) - f(x * (1 - 1e-6))) / (2e-6 * x));

  /** |got - want| <= 1e-5 · max(1, |want|) elementwise (float32 gradients of ~1e-7-accurate ops). */
  const expectGradient = (got: number[], want: number[]) =>
    got.forEach((g, i) => expect(Math.abs(g - want[i]!), `x = ${xs[i]}: got ${g}, want ${want[i]}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(want[i]!))));

  it("lgamma' = digamma matches a finite difference of @stdlib gammaln", () => {
    const got = tf.tidy(() => values(tf.grad((x: tf.Tensor) => tf.sum(lgamma(x)))(tf.tensor1d(xs))));
    expectGradient(got, finiteDifference(gammaln));
  });

  it("digamma' = trigamma matches a finite difference of @stdlib digamma", () => {
    const got = tf.tidy(() => values(tf.grad((x: tf.Tensor) => tf.sum(digamma(x)))(tf.tensor1d(xs))));
    expectGradient(got, finiteDifference(digammaRef));
  });

  it('lgamma is twice differentiable (the second derivative is trigamma), and a third derivative throws clearly', () => {
    const second = tf.tidy(() => values(tf.grad((x: tf.Tensor) => tf.sum(tf.grad((y: tf.Tensor) => tf.sum(lgamma(y)))(x)))(tf.tensor1d(xs))));
    expectGradient(second, finiteDifference(digammaRef));
    const third = () => tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.grad((y: tf.Tensor) => tf.sum(trigamma(y)))(x)))(tf.tensor1d([2])));
    expect(third).toThrow(/derivative of trigamma \(tetragamma\) is not implemented/);
  });

  it('chains with upstream gradients and broadcasting', () => {
    tf.tidy(() => {
      const a = tf.tensor1d([2, 3]);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.tensor2d([[1, 2], [3, 4]]), lgamma(t))))(a);
      const want = [4 * digammaRef(2), 6 * digammaRef(3)];
      values(g).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    });
  });
});

describe('memory', () => {
  it('leaves no tensors behind, forward or backward', () => {
    const x = tf.tensor1d([0.3, 1.5, 12]);
    expectNoLeak(() => lgamma(x));
    expectNoLeak(() => digamma(x));
    expectNoLeak(() => trigamma(x));
    expectNoLeak(() => lbeta(x, x));
    expectNoLeak(() => tf.grad((t: tf.Tensor) => tf.sum(lgamma(t)))(x));
    expectNoLeak(() => tf.grad((t: tf.Tensor) => tf.sum(tf.grad((y: tf.Tensor) => tf.sum(lgamma(y)))(t)))(x));
    x.dispose();
  });
});

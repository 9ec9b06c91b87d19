/**
 * The float64 scalar functions behind the Gamma and Beta samplers: log Γ
 * against @stdlib gammaln; P(a, x) against closed forms (integer a, where
 * P(n, x) = 1 - e^-x Σ_{k<n} x^k/k!) and the recurrence
 * P(a + 1, x) = P(a, x) - x^a e^-x / Γ(a + 1) across the series/continued
 * fraction switch (@stdlib's gammainc is off by up to 2% for a >= 1000, so it
 * is not a reference here); I_x(a, b) against @stdlib betainc; each inverse
 * against its CDF; and the implicit derivatives ∂x/∂θ against central
 * differences of the inverse itself.
 */
import betainc from '@stdlib/math-base-special-betainc';
import gammaln from '@stdlib/math-base-special-gammaln';
import { describe, expect, it } from 'vitest';
import { betaSampleDerivatives, betaTails, inverseRegularizedBeta } from '../../src/backend/scalar/beta-cdf.js';
import { gammaSampleShapeDerivative, gammaTails, inverseGammaP } from '../../src/backend/scalar/gamma-cdf.js';
import { logBeta, logGamma } from '../../src/backend/scalar/log-gamma.js';

const PROBABILITIES = [1e-7, 1e-4, 0.01, 0.3, 0.5, 0.7, 0.99, 1 - 1e-4, 1 - 6e-8];

/** Q(n, x) = e^-x Σ_{k<n} x^k/k! for integer n, term by term in log space. */
function integerGammaQ(n: number, x: number): number {
  let upper = 0;
  for (let k = 0; k < n; k++) upper += Math.exp(k * Math.log(x) - x - gammaln(k + 1));
  return upper;
}

describe('logGamma and logBeta (float64)', () => {
  it('match @stdlib gammaln to 1e-14 · max(1, |value|) on [1e-3, 1e5]', () => {
    for (let e = -3; e <= 5; e += 0.01) {
      const x = 10 ** e;
      expect(Math.abs(logGamma(x) - gammaln(x)) / Math.max(1, Math.abs(gammaln(x))), `x = ${x}`).toBeLessThan(1e-14);
    }
    expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14);
    expect(logGamma(0)).toBe(Infinity);
    expect(logGamma(-1)).toBeNaN();
  });
});

describe('the regularized incomplete gamma function', () => {
  it('matches the closed form for integer shapes, in the tail it computes directly', () => {
    for (const n of [1, 2, 5, 20, 60]) {
      for (const x of [0.01, 0.5, n - 0.5, n + 0.5, n + 1.5, 2 * n + 5, 3 * n + 20]) {
        const tails = gammaTails(n, x);
        const upper = integerGammaQ(n, x);
        expect(Math.abs(tails.lower - (1 - upper)), `n = ${n}, x = ${x}`).toBeLessThan(1e-13);
        if (tails.direct === 'upper') expect(Math.abs(tails.upper - upper) / upper, `n = ${n}, x = ${x}`).toBeLessThan(1e-12);
      }
    }
  });

  it('satisfies P(a + 1, x) = P(a, x) - x^a e^-x / Γ(a + 1) for shapes from 1e-3 to 1e4, across the method switch at x = a + 1', () => {
    for (const a of [1e-3, 0.3, 2.5, 17.2, 480.5, 9999.5]) {
      for (const x of [a / 4, a, a + 0.99, a + 1.01, a + 1.99, a + 2.01, a + 4 * Math.sqrt(a) + 3]) {
        const gap = Math.exp(a * Math.log(x) - x - gammaln(a + 1));
        // a log x is ~1e5 at a = 1e4, so the prefix carries ~1e-15·a of rounding.
        expect(Math.abs(gammaTails(a + 1, x).lower - (gammaTails(a, x).lower - gap)), `a = ${a}, x = ${x}`).toBeLessThan(1e-12 + 2e-15 * a);
      }
    }
  });

  it('is inverted by inverseGammaP to 1e-9 relative in the smaller tail, for shapes 1e-3 to 1e4', () => {
    for (const a of [1e-3, 0.01, 0.1, 0.5, 1, 2.5, 10, 100, 1000, 1e4]) {
      for (const u of PROBABILITIES) {
        const x = inverseGammaP(a, u);
        if (x === 0) {
          // Only where the quantile underflows float64: u^(1/a) Γ(a + 1)^(1/a) < 1e-308.
          expect(Math.log(u) / a).toBeLessThan(-700);
          continue;
        }
        const tails = gammaTails(a, x);
        const error = u < 0.5 ? Math.abs(tails.lower - u) / u : Math.abs(tails.upper - (1 - u)) / (1 - u);
        expect(error, `a = ${a}, u = ${u}, x = ${x}`).toBeLessThan(1e-9);
      }
    }
    expect(inverseGammaP(1, 0.5)).toBeCloseTo(Math.LN2, 13);
    expect(inverseGammaP(3, 0)).toBe(0);
  });

  it('gives ∂x/∂a equal to a central difference of the inverse (5e-6 relative)', () => {
    for (const a of [0.05, 0.5, 1, 3.7, 40, 2000]) {
      for (const u of [1e-4, 0.1, 0.5, 0.9, 1 - 1e-5]) {
        const x = inverseGammaP(a, u);
        const h = 1e-6 * a;
        const want = (inverseGammaP(a + h, u) - inverseGammaP(a - h, u)) / (2 * h);
        expect(Math.abs(gammaSampleShapeDerivative(a, x) - want), `a = ${a}, u = ${u}`).toBeLessThan(5e-6 * Math.abs(want) + 1e-300);
      }
    }
    expect(gammaSampleShapeDerivative(2, 0)).toBe(0);
  });
});

describe('the regularized incomplete beta function', () => {
  const shapes = [0.1, 0.5, 1, 2.5, 10, 300];

  it('matches @stdlib betainc to 1e-12 · max(tail, 1e-3)', () => {
    for (const a of shapes) {
      for (const b of shapes) {
        for (const x of [1e-4, 0.05, 0.3, 0.5, 0.77, 0.99]) {
          const tails = betaTails(x, a, b);
          const want = betainc(x, a, b);
          expect(Math.abs(tails.lower - want), `a = ${a}, b = ${b}, x = ${x}`).toBeLessThan(1e-12 * Math.max(want, 1e-3));
        }
      }
    }
    expect(betaTails(0.3, 1, 1).lower).toBeCloseTo(0.3, 14);
    expect(betaTails(0.25, 0.5, 0.5).lower).toBeCloseTo((2 / Math.PI) * Math.asin(0.5), 14);
  });

  it('is inverted by inverseRegularizedBeta to 1e-9 relative in the smaller tail, for x in (1e-300, 1 - 1e-6)', () => {
    for (const a of shapes) {
      for (const b of shapes) {
        for (const u of PROBABILITIES) {
          const x = inverseRegularizedBeta(u, a, b);
          // Above 1 - 1e-6 float64 holds 1 - x to worse than 1e-10; float32 samples are clamped at 1 - 6e-8 anyway.
          if (!(x > 1e-300 && x < 1 - 1e-6)) continue;
          const error = u < 0.5 ? Math.abs(betainc(x, a, b) - u) / u : Math.abs(betainc(x, a, b, true, true) - (1 - u)) / (1 - u);
          expect(error, `a = ${a}, b = ${b}, u = ${u}, x = ${x}`).toBeLessThan(1e-9);
        }
      }
    }
    expect(inverseRegularizedBeta(0.25, 1, 1)).toBeCloseTo(0.25, 14);
  });

  it('gives ∂x/∂a and ∂x/∂b equal to central differences of the inverse (1e-5 relative)', () => {
    for (const [a, b] of [[0.3, 0.7], [1, 1], [2, 5], [8, 1.5], [40, 60]] as const) {
      for (const u of [1e-3, 0.2, 0.5, 0.8, 0.999]) {
        const x = inverseRegularizedBeta(u, a, b);
        const [da, db] = betaSampleDerivatives(x, a, b);
        const wantA = (inverseRegularizedBeta(u, a * (1 + 1e-6), b) - inverseRegularizedBeta(u, a * (1 - 1e-6), b)) / (2e-6 * a);
        const wantB = (inverseRegularizedBeta(u, a, b * (1 + 1e-6)) - inverseRegularizedBeta(u, a, b * (1 - 1e-6))) / (2e-6 * b);
        expect(Math.abs(da - wantA), `a = ${a}, b = ${b}, u = ${u}`).toBeLessThan(1e-5 * Math.abs(wantA) + 1e-12);
        expect(Math.abs(db - wantB), `a = ${a}, b = ${b}, u = ${u}`).toBeLessThan(1e-5 * Math.abs(wantB) + 1e-12);
      }
    }
  });
});

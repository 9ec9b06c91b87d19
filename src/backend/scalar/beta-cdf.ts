/**
 * The regularized incomplete beta function I_x(a, b), its inverse in x and
 * the implicit derivatives of that inverse in a and b, in float64: the CPU
 * side of the Beta sampler (x = I⁻¹(u; a, b) for u ~ U(0, 1)).
 */
import { logBeta } from './log-gamma.js';

const EPS = 1e-15;
const TINY = 1e-300;
const MAX_TERMS = 100_000;

/** The continued fraction of I_x(a, b) (modified Lentz; Press et al. 2007, §6.4). */
function fraction(a: number, b: number, x: number): number {
  const qab = a + b;
  let c = 1;
  let d = 1 - (qab * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  const step = (coefficient: number): number => {
    d = 1 + coefficient * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + coefficient / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    return d * c;
  };
  for (let m = 1; m < MAX_TERMS; m++) {
    const m2 = 2 * m;
    h *= step((m * (b - m) * x) / ((a - 1 + m2) * (a + m2)));
    const delta = step((-(a + m) * (qab + m) * x) / ((a + m2) * (a + 1 + m2)));
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/** Both tails of Beta(a, b) at x, one computed directly (see gamma-cdf.ts). */
export interface BetaTails {
  /** I_x(a, b). */
  readonly lower: number;
  /** 1 - I_x(a, b) = I_{1-x}(b, a). */
  readonly upper: number;
  readonly direct: 'lower' | 'upper';
}

/**
 * I_x(a, b) and its complement for a, b > 0, x in [0, 1]: the continued
 * fraction for the tail it converges fast on, x < (a + 1)/(a + b + 2) for
 * the lower one (Press et al. 2007, Numerical Recipes, 3rd ed., §6.4).
 *
 * @example betaTails(0.3, 1, 1).lower // 0.3
 */
export function betaTails(x: number, a: number, b: number): BetaTails {
  if (x <= 0) return { lower: 0, upper: 1, direct: 'lower' };
  if (x >= 1) return { lower: 1, upper: 0, direct: 'upper' };
  const logPrefix = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (Math.exp(logPrefix) * fraction(a, b, x)) / a;
    return { lower, upper: 1 - lower, direct: 'lower' };
  }
  const upper = (Math.exp(logPrefix) * fraction(b, a, 1 - x)) / b;
  return { lower: 1 - upper, upper, direct: 'upper' };
}

function logDensity(x: number, a: number, b: number): number {
  return (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logBeta(a, b);
}

function startingPoint(u: number, a: number, b: number): number {
  if (a >= 1 && b >= 1) {
    const p = u < 0.5 ? u : 1 - u;
    const t = Math.sqrt(-2 * Math.log(p));
    let z = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t;
    if (u < 0.5) z = -z;
    const al = (z * z - 3) / 6;
    const h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1));
    const w = (z * Math.sqrt(al + h)) / h - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (al + 5 / 6 - 2 / (3 * h));
    return a / (a + b * Math.exp(2 * w));
  }
  const lna = Math.log(a / (a + b));
  const lnb = Math.log(b / (a + b));
  const t = Math.exp(a * lna) / a;
  const v = Math.exp(b * lnb) / b;
  const w = t + v;
  return u < t / w ? (a * w * u) ** (1 / a) : 1 - (b * w * (1 - u)) ** (1 / b);
}

/**
 * x = I⁻¹(u; a, b), the u-quantile of Beta(a, b): a normal-approximation
 * or power-law start, then Halley steps to 1e-13 relative, kept inside
 * (0, 1) (Press et al. 2007, §6.4.1).
 *
 * @param u probability in [0, 1]
 * @param a, b shapes > 0
 * @returns x in [0, 1]
 * @example inverseRegularizedBeta(0.25, 1, 1) // 0.25
 */
export function inverseRegularizedBeta(u: number, a: number, b: number): number {
  if (u <= 0) return 0;
  if (u >= 1) return 1;
  let x = startingPoint(u, a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    if (x <= 0 || x >= 1) return x;
    const tails = betaTails(x, a, b);
    const error = tails.direct === 'lower' ? tails.lower - u : 1 - u - tails.upper;
    const density = Math.exp(logDensity(x, a, b));
    if (density === 0 || !Number.isFinite(density)) break;
    const newton = error / density;
    const step = newton / (1 - 0.5 * Math.min(1, newton * ((a - 1) / x - (b - 1) / (1 - x))));
    let next = x - step;
    if (next <= 0) next = 0.5 * x;
    if (next >= 1) next = 0.5 * (x + 1);
    x = next;
    if (Math.abs(step) < 1e-13 * Math.min(x, 1 - x)) break;
  }
  return x;
}

/**
 * [∂x/∂a, ∂x/∂b] at fixed u for x = I⁻¹(u; a, b), by implicit
 * differentiation of I_x(a, b) = u: ∂x/∂θ = -(∂I/∂θ)(x) / p(x; a, b), each
 * ∂I/∂θ by a central difference (step 1e-5·θ) of the directly computed tail.
 *
 * @param x a point in (0, 1) (a sample)
 * @param a, b shapes > 0
 * @returns the two derivatives (0 where the density underflows)
 * @see Figurnov, Mohamed and Mnih (2018), "Implicit Reparameterization
 *   Gradients", NeurIPS, eq. (6).
 */
export function betaSampleDerivatives(x: number, a: number, b: number): [number, number] {
  if (!(x > 0 && x < 1)) return [0, 0];
  const density = Math.exp(logDensity(x, a, b));
  if (density === 0 || !Number.isFinite(density)) return [0, 0];
  const direct = betaTails(x, a, b).direct;
  const cdf = (p: number, q: number) => (direct === 'lower' ? betaTails(x, p, q).lower : -betaTails(x, p, q).upper);
  const ha = 1e-5 * a;
  const hb = 1e-5 * b;
  const dIda = (cdf(a + ha, b) - cdf(a - ha, b)) / (2 * ha);
  const dIdb = (cdf(a, b + hb) - cdf(a, b - hb)) / (2 * hb);
  return [-dIda / density, -dIdb / density];
}

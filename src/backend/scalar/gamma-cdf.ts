/**
 * The regularized incomplete gamma function P(a, x), its inverse in x and
 * the implicit derivative of that inverse in a, in float64: the CPU side of
 * the Gamma sampler (x = P⁻¹(u; a) for u ~ U(0, 1)).
 */
import { logGamma } from './log-gamma.js';

const EPS = 1e-15;
const TINY = 1e-300;
const MAX_TERMS = 100_000;

/** Both tails, each accurate to ~1e-14 relative where it is the one computed directly. */
export interface Tails {
  /** P(a, x) = γ(a, x)/Γ(a). */
  readonly lower: number;
  /** Q(a, x) = 1 - P(a, x). */
  readonly upper: number;
  /** Which tail was computed directly (the other is 1 minus it). */
  readonly direct: 'lower' | 'upper';
}

/** P by its series, x^a e^-x / Γ(a + 1) · Σ_n x^n / ((a + 1)···(a + n)), for x < a + 1. */
function lowerSeries(a: number, x: number, logPrefix: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_TERMS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(logPrefix);
}

/** Q by its continued fraction (modified Lentz), for x >= a + 1. */
function upperFraction(a: number, x: number, logPrefix: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(logPrefix) * h;
}

/**
 * P(a, x) and Q(a, x) for a > 0, x >= 0: the series below x = a + 1, the
 * continued fraction above (Press et al. 2007, Numerical Recipes, 3rd ed.,
 * §6.2).
 *
 * @example gammaTails(1, 2).lower // 1 - e⁻² ≈ 0.8646647
 */
export function gammaTails(a: number, x: number): Tails {
  if (x <= 0) return { lower: 0, upper: 1, direct: 'lower' };
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    const lower = lowerSeries(a, x, logPrefix);
    return { lower, upper: 1 - lower, direct: 'lower' };
  }
  const upper = upperFraction(a, x, logPrefix);
  return { lower: 1 - upper, upper, direct: 'upper' };
}

/** log of the Gamma(a, 1) density at x > 0. */
function logDensity(a: number, x: number): number {
  return (a - 1) * Math.log(x) - x - logGamma(a);
}

/**
 * x = P⁻¹(u; a), the u-quantile of Gamma(a, 1): a starting point from
 * Wilson-Hilferty (a > 1) or the small-x power law (a <= 1), then Halley
 * steps on P(a, x) - u to 1e-13 relative (Press et al. 2007, §6.2.1).
 *
 * @param a shape > 0
 * @param u probability in [0, 1]
 * @returns x >= 0 (0 for u = 0, Infinity for u = 1)
 * @example inverseGammaP(1, 0.5) // log 2
 */
export function inverseGammaP(a: number, u: number): number {
  if (u <= 0) return 0;
  if (u >= 1) return Infinity;
  let x = startingPoint(a, u);
  for (let iteration = 0; iteration < 100; iteration++) {
    if (x <= 0) return 0;
    const tails = gammaTails(a, x);
    const error = tails.direct === 'lower' ? tails.lower - u : 1 - u - tails.upper;
    const density = Math.exp(logDensity(a, x));
    if (density === 0) break;
    const newton = error / density;
    const step = newton / (1 - 0.5 * Math.min(1, newton * ((a - 1) / x - 1)));
    const next = x - step;
    x = next <= 0 ? 0.5 * x : next;
    if (Math.abs(step) < 1e-13 * x) break;
  }
  return x;
}

function startingPoint(a: number, u: number): number {
  if (a > 1) {
    const p = u < 0.5 ? u : 1 - u;
    const t = Math.sqrt(-2 * Math.log(p));
    let z = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t;
    if (u < 0.5) z = -z;
    return Math.max(1e-3, a * (1 - 1 / (9 * a) - z / (3 * Math.sqrt(a))) ** 3);
  }
  const t = 1 - a * (0.253 + a * 0.12);
  return u < t ? (u / t) ** (1 / a) : 1 - Math.log(1 - (u - t) / (1 - t));
}

/**
 * ∂x/∂a at fixed u for x = P⁻¹(u; a), by implicit differentiation of
 * P(a, x) = u: ∂x/∂a = -(∂P/∂a)(a, x) / p(x; a), with ∂P/∂a by a central
 * difference of the tail computed directly (so a small tail keeps its
 * relative precision), step 1e-5·a: about 1e-9 relative.
 *
 * @param a shape > 0
 * @param x a point x > 0 (a sample)
 * @returns ∂x/∂a (0 where the density underflows)
 * @see Figurnov, Mohamed and Mnih (2018), "Implicit Reparameterization
 *   Gradients", NeurIPS, eq. (6).
 */
export function gammaSampleShapeDerivative(a: number, x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 0;
  const density = Math.exp(logDensity(a, x));
  if (density === 0 || !Number.isFinite(density)) return 0;
  const h = 1e-5 * a;
  const direct = gammaTails(a, x).direct;
  const tail = (shape: number) => (direct === 'lower' ? gammaTails(shape, x).lower : -gammaTails(shape, x).upper);
  const dPda = (tail(a + h) - tail(a - h)) / (2 * h);
  return -dPda / density;
}

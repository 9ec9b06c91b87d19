/**
 * Pareto-smoothed importance sampling (PSIS) and its k̂ diagnostic
 * (Vehtari, Simpson, Gelman, Yao, Gabry, JMLR 2024; arXiv:1507.02646).
 *
 * The largest importance weights are modelled by a generalized Pareto
 * distribution (GPD). Its shape k̂ says how heavy the weights' right tail is
 * (how many moments exist: E[w^r] < ∞ for r < 1/k), and replacing the tail by
 * the fitted GPD's quantiles stabilizes the self-normalized estimate.
 *
 * Sign convention (as loo, ArviZ and PSIS.jl; the negative of Zhang &
 * Stephens' k): the GPD with location 0, scale σ > 0 and shape k has
 *   F(x) = 1 − (1 + k·x/σ)^(−1/k)        (F(x) = 1 − exp(−x/σ) at k = 0),
 * so k > 0 is a heavy (polynomial) tail, k = 0 exponential, k < 0 bounded.
 *
 * Pure float64 arithmetic on plain arrays; no tfjs.
 */

/** A fitted generalized Pareto distribution with location 0. */
export interface GeneralizedParetoFit {
  /** shape; k > 0 heavy tail (see the module comment for the sign) */
  k: number;
  /** scale, > 0 */
  sigma: number;
}

/** Options of {@link fitGeneralizedPareto}; the defaults are loo's. */
export interface GeneralizedParetoFitOptions {
  /** m = minGridPoints + ⌊√n⌋ quadrature points for θ (loo ≥ 2.6 and PSIS.jl: 30; loo ≤ 2.5: 80) */
  minGridPoints?: number;
  /** shrink k̂ towards 0.5 as if 10 more observations had k = 0.5 (loo's `wip = TRUE`) */
  weaklyInformativePrior?: boolean;
}

/** Pareto-smoothed log-weights and the fitted tail shape. */
export interface ParetoSmoothedWeights {
  /** `[S]` smoothed, truncated log-weights, normalized so logSumExp = 0 */
  logWeights: Float64Array;
  /** k̂ of the tail; +∞ when no GPD could be fitted (see {@link paretoSmoothedWeights}) */
  k: number;
  /** M, the number of largest weights modelled by the GPD */
  tailLength: number;
}

/** Labels of {@link paretoKDiagnostic}. */
export type ParetoKCategory = 'good' | 'ok' | 'bad' | 'very bad';

/** Prior pseudo-observations and prior mode of k (loo `adjust_k_wip`, PSIS.jl `prior_adjust_shape`). */
const PRIOR_OBSERVATIONS = 10;
const PRIOR_K = 0.5;
/** Smallest tail loo fits a GPD to (`enough_tail_samples(min_len = 5)`). */
const MIN_TAIL = 5;
const MIN_DRAWS = 5;

/**
 * Empirical-Bayes fit of a GPD with location 0 (Zhang & Stephens 2009, as in
 * loo's `gpdfit` and PSIS.jl's `fit_empiricalbayes`). With θ = −k/σ and
 * x₍₁₎ ≤ … ≤ x₍ₙ₎, m = minGridPoints + ⌊√n⌋ and x* = x₍⌊n/4 + 1/2⌋₎:
 *   θⱼ = 1/x₍ₙ₎ + (1 − √(m/(j − 1/2))) / (3·x*),        j = 1..m
 *   k(θ) = mean(log1p(−θ·xᵢ)),   ℓ(θ) = n·(log(−θ/k(θ)) − k(θ) − 1)   (profile log-likelihood)
 *   wⱼ = exp(ℓ(θⱼ) − logSumExp ℓ),   θ̂ = Σⱼ wⱼθⱼ,   k̂ = k(θ̂),   σ̂ = −k̂/θ̂
 * then, with the weakly informative prior, k̂ ← (n·k̂ + 10·0.5)/(n + 10)
 * (σ̂ is kept). A NaN k̂ (overflowing input) is reported as +∞, as loo does.
 *
 * @param x `[n]` exceedances over the threshold, sorted ascending, finite, > 0; n ≥ 2
 * @param options grid size and prior, see {@link GeneralizedParetoFitOptions}
 * @returns `{ k, sigma }` with k > 0 for a heavy tail
 * @throws RangeError naming the first index that is not finite, not > 0 or out of order
 * @example fitGeneralizedPareto([0.1, 0.4, 0.7, 1.5, 3.2]); // { k: …, sigma: … }
 */
export function fitGeneralizedPareto(
  x: Float64Array | readonly number[],
  options: GeneralizedParetoFitOptions = {},
): GeneralizedParetoFit {
  const { minGridPoints = 30, weaklyInformativePrior = true } = options;
  if (!Number.isInteger(minGridPoints) || minGridPoints < 1) {
    throw new RangeError(`fitGeneralizedPareto: minGridPoints must be a positive integer, but got ${minGridPoints}`);
  }
  checkExceedances(x);
  const n = x.length;
  const theta = thetaGrid(x, minGridPoints + Math.floor(Math.sqrt(n)));
  const logLik = theta.map((t) => profileLogLikelihood(t, x));
  const logNorm = logSumExp(logLik);
  let thetaHat = 0;
  for (let j = 0; j < theta.length; j++) thetaHat += theta[j]! * Math.exp(logLik[j]! - logNorm);
  let k = meanLog1p(-thetaHat, x);
  const sigma = -k / thetaHat;
  if (weaklyInformativePrior) k = (n * k + PRIOR_OBSERVATIONS * PRIOR_K) / (n + PRIOR_OBSERVATIONS);
  return { k: Number.isNaN(k) ? Infinity : k, sigma };
}

function checkExceedances(x: Float64Array | readonly number[]): void {
  if (x.length < 2) throw new RangeError(`fitGeneralizedPareto: needs at least 2 exceedances, but got ${x.length}`);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (!Number.isFinite(xi) || xi <= 0) {
      throw new RangeError(`fitGeneralizedPareto: exceedance x[${i}] = ${xi} must be finite and > 0`);
    }
    if (i > 0 && xi < x[i - 1]!) {
      throw new RangeError(`fitGeneralizedPareto: exceedances must be sorted ascending, but x[${i}] = ${xi} < x[${i - 1}] = ${x[i - 1]}`);
    }
  }
}

/** The m quadrature points θⱼ of Zhang & Stephens (2009) §4, all < 1/x₍ₙ₎. */
function thetaGrid(x: Float64Array | readonly number[], m: number): Float64Array {
  const n = x.length;
  const xMax = x[n - 1]!;
  const xQuartile = x[Math.max(Math.floor(n / 4 + 0.5), 1) - 1]!;
  const theta = new Float64Array(m);
  for (let j = 1; j <= m; j++) theta[j - 1] = 1 / xMax + (1 - Math.sqrt(m / (j - 0.5))) / (3 * xQuartile);
  return theta;
}

/** ℓ(θ) = n·(log(−θ/k) − k − 1), k = mean(log1p(−θx)); at θ = 0 its limit n·(−log mean(x) − 1). */
function profileLogLikelihood(theta: number, x: Float64Array | readonly number[]): number {
  const n = x.length;
  if (theta === 0) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i]! / n;
    return n * (-Math.log(mean) - 1);
  }
  const k = meanLog1p(-theta, x);
  return n * (Math.log(-theta / k) - k - 1);
}

/** mean over i of log1p(a·xᵢ). */
function meanLog1p(a: number, x: Float64Array | readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.log1p(a * x[i]!);
  return sum / x.length;
}

/**
 * Quantile of the GPD with location 0: Q(p) = σ·((1 − p)^(−k) − 1)/k, computed
 * as σ·expm1(−k·log1p(−p))/k (and −σ·log1p(−p) at k = 0).
 *
 * @param p probability in [0, 1)
 * @param k shape
 * @param sigma scale > 0
 * @returns Q(p) ≥ 0
 */
export function generalizedParetoQuantile(p: number, k: number, sigma: number): number {
  const minusLog1mP = -Math.log1p(-p);
  return k === 0 ? sigma * minusLog1mP : (sigma * Math.expm1(k * minusLog1mP)) / k;
}

/**
 * PSIS tail length for S independent draws, as loo's `n_pareto` and PSIS.jl's
 * `tail_length` with relative efficiency 1: M = ⌈min(S/5, 3√S)⌉ (the ceiling of
 * both, so M ≥ 5 from S = 21 on).
 *
 * @param S number of draws, an integer ≥ 1
 * @returns M
 */
export function psisTailLength(S: number): number {
  if (!Number.isInteger(S) || S < 1) throw new RangeError(`psisTailLength: S must be a positive integer, but got ${S}`);
  return Math.ceil(Math.min(0.2 * S, 3 * Math.sqrt(S)));
}

/** log Σᵢ exp(vᵢ), −∞ for an empty or all −∞ input. */
function logSumExp(values: Float64Array | readonly number[]): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i]! - max);
  return max + Math.log(sum);
}

/**
 * Pareto-smoothed importance sampling (Vehtari et al. 2024, as
 * loo's `psis` and PSIS.jl's `psis` with relative efficiency 1). With S draws,
 * M = {@link psisTailLength}(S), r = log w − max log w and r₍₁₎ ≤ … ≤ r₍S₎:
 *   u = exp(r₍S−M₎)                       (the (M+1)-th largest weight: the threshold)
 *   (k̂, σ̂) = fitGeneralizedPareto(exp(r₍S−M+i₎) − u, i = 1..M)
 *   r₍S−M+i₎ ← min(log(u + Q((i − 1/2)/M; k̂, σ̂)), 0)   (GPD quantiles, truncated at the largest raw weight)
 * The other S − M weights are unchanged; the result is normalized to logSumExp = 0.
 * Weights keep their order (tied tail weights are ordered by index).
 *
 * When no GPD can be fitted the weights are only normalized and k̂ = +∞ (loo's
 * `do_psis_i` reports Inf for a tail shorter than 5 and for an all-equal tail,
 * and turns a NaN fit into Inf): so when M < 5 (S ≤ 20), when the tail has
 * fewer than 5 distinct values, or when a tail value ties with the threshold
 * (a zero exceedance, e.g. when over S − M weights are 0). +∞ is 'very bad'
 * under {@link paretoKDiagnostic}: an undiagnosable weight vector is not trusted.
 *
 * @param logWeights `[S]` log importance weights log p(z) − log q(z), unnormalized; −∞ is a zero weight
 * @returns `{ logWeights: [S], k, tailLength: M }`
 * @throws RangeError when S < 5, when an entry is NaN or +∞ (naming its index), or when every weight is 0
 * @example const { k } = paretoSmoothedWeights(logW); // k ≤ paretoKThreshold(S): estimates are reliable
 */
export function paretoSmoothedWeights(logWeights: Float64Array | readonly number[]): ParetoSmoothedWeights {
  const max = checkLogWeights(logWeights);
  const S = logWeights.length;
  const shifted = Float64Array.from(logWeights, (lw) => lw - max);
  const tailLength = psisTailLength(S);
  const k = tailLength < MIN_TAIL ? Infinity : smoothTail(shifted, tailLength);
  const logNorm = logSumExp(shifted);
  for (let i = 0; i < S; i++) shifted[i] = shifted[i]! - logNorm;
  return { logWeights: shifted, k, tailLength };
}

/** @returns max log w, after checking S and every entry */
function checkLogWeights(logWeights: Float64Array | readonly number[]): number {
  const S = logWeights.length;
  if (S < MIN_DRAWS) throw new RangeError(`paretoSmoothedWeights: needs S ≥ ${MIN_DRAWS} log-weights, but got S = ${S}`);
  let max = -Infinity;
  for (let i = 0; i < S; i++) {
    const lw = logWeights[i]!;
    if (Number.isNaN(lw) || lw === Infinity) {
      throw new RangeError(`paretoSmoothedWeights: logWeights[${i}] = ${lw}; log-weights must be finite or -Infinity (a zero weight)`);
    }
    if (lw > max) max = lw;
  }
  if (max === -Infinity) throw new RangeError(`paretoSmoothedWeights: all S = ${S} weights are zero (log w = -Infinity)`);
  return max;
}

/**
 * Replaces the M largest entries of `shifted` (max 0) by truncated GPD
 * quantiles, in place. @returns k̂, or +∞ (tail left as is) when no fit is possible
 */
function smoothTail(shifted: Float64Array, M: number): number {
  const S = shifted.length;
  const order = Array.from({ length: S }, (_, i) => i).sort((a, b) => shifted[a]! - shifted[b]! || a - b);
  const threshold = Math.exp(shifted[order[S - M - 1]!]!);
  const exceedances = new Float64Array(M);
  let distinct = 0;
  for (let i = 0; i < M; i++) {
    exceedances[i] = Math.exp(shifted[order[S - M + i]!]!) - threshold;
    if (i === 0 || exceedances[i]! > exceedances[i - 1]!) distinct++;
  }
  if (!(exceedances[0]! > 0) || distinct < MIN_TAIL) return Infinity;
  const { k, sigma } = fitGeneralizedPareto(exceedances);
  if (!Number.isFinite(k)) return Infinity;
  for (let i = 0; i < M; i++) {
    const q = generalizedParetoQuantile((i + 0.5) / M, k, sigma);
    shifted[order[S - M + i]!] = Math.min(Math.log(threshold + q), 0);
  }
  return k;
}

/**
 * The sample-size-dependent k̂ threshold of Vehtari et al. (2024), §3.2.4
 * eq. (13), capped at 0.7 as loo ≥ 2.6 does (`min(ps_khat_threshold(S), 0.7)`):
 *   k_S = min(1 − 1/log₁₀(S), 0.7)
 * Below k_S a PSIS estimate from S draws has a small probability of a large
 * error. 1 − 1/log₁₀ S reaches 0.7 at S = 10^(10/3) ≈ 2154; it is ≤ 0 for S ≤ 10.
 *
 * @param S (effective) number of draws, > 1
 * @returns k_S
 * @example paretoKThreshold(100); // 0.5
 */
export function paretoKThreshold(S: number): number {
  if (!Number.isFinite(S) || S <= 1) throw new RangeError(`paretoKThreshold: S must be a finite number > 1, but got ${S}`);
  return Math.min(1 - 1 / Math.log10(S), 0.7);
}

/**
 * Classifies a Pareto k̂. With S (Vehtari et al. 2024; loo ≥ 2.6):
 *   'good'      k ≤ k_S = paretoKThreshold(S)   PSIS estimate and its MCSE are reliable
 *   'ok'        k_S < k ≤ 0.7                   not reliable yet; more draws help (only S < 2154)
 *   'bad'       0.7 < k ≤ 1                     large bias, not reliable
 *   'very bad'  k > 1                           the weights' mean is estimated infinite
 * Without S, the fixed bands of Vehtari, Gelman & Gabry (2017) and loo 2.0–2.5:
 * 'good' k ≤ 0.5, 'ok' 0.5 < k ≤ 0.7, 'bad' 0.7 < k ≤ 1, 'very bad' k > 1.
 * Intervals are closed on the right, as loo's `k_cut`. +∞ (no fit) is 'very bad'.
 *
 * @param k a k̂ from {@link paretoSmoothedWeights}
 * @param S the number of draws k̂ came from; omit for the fixed 0.5 boundary
 * @returns the band
 * @throws RangeError when k is NaN
 * @example paretoKDiagnostic(0.6, 4000); // 'good' (k_S = 0.7)
 */
export function paretoKDiagnostic(k: number, S?: number): ParetoKCategory {
  if (Number.isNaN(k)) throw new RangeError('paretoKDiagnostic: k is NaN');
  const good = S === undefined ? 0.5 : paretoKThreshold(S);
  if (k <= good) return 'good';
  if (k <= 0.7) return 'ok';
  return k <= 1 ? 'bad' : 'very bad';
}

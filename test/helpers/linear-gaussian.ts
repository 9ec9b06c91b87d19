/**
 * Closed forms for the linear-Gaussian test models (models/linear-gaussian.ppl
 * and models/linear-gaussian-2level.ppl), in plain double-precision JavaScript
 * so the tests compare Strata's float32 tensors against truth, not against
 * themselves. Not a test file.
 *
 * Conventions follow the models: vectors are rows and a linear layer is
 * y = x·W + b with W stored [in, out] (row-major, as `setParameters` takes it).
 *
 * One level (d = 4 latents, D = 6 observations, σ = 0.5):
 *   z ~ N(0, I_d),  x = zW + b + ε,  ε ~ N(0, σ² I_D),  W: [d, D].
 * - Marginal. x is an affine map of the Gaussian (z, ε), so it is Gaussian with
 *   E[x] = b and Cov[x] = E[(zW + ε)ᵀ(zW + ε)] = Wᵀ E[zᵀz] W + σ²I = σ²I + WᵀW.
 * - Posterior. log p(z | x) = −½ zzᵀ − ‖x − b − zW‖² / (2σ²) + const
 *     = −½ z (I + WWᵀ/σ²) zᵀ + z W (x − b)ᵀ / σ² + const,
 *   a Gaussian with precision Λ = I + WWᵀ/σ², so Σ = (I + WWᵀ/σ²)⁻¹ and
 *   μ = Σ W (x − b)ᵀ / σ² (a column). As a row, μ = (x − b)·(Wᵀ Σ / σ²): the
 *   posterior mean is an affine function of x, exactly what the linear
 *   encoder computes, with encoder.weight = WᵀΣ/σ² [D, d] and
 *   encoder.bias = −b·encoder.weight.
 *
 * Two levels (z2: 3, z1: 5, x: 6; τ = 0.7, σ = 0.5):
 *   z2 ~ N(0, I),  z1 = z2 A + a + τ ε1,  x = z1 W + b + σ ε2,  A: [3, 5], W: [5, 6].
 * - Marginalizing z2: z1 ~ N(a, τ²I + AᵀA) (the one-level result with z2 as z).
 * - Marginalizing z1: x ~ N(aW + b, σ²I + Wᵀ(τ²I + AᵀA)W).
 * - The joint of (z2, z1, x) is Gaussian with the cross-covariances
 *   Cov(z2, z1) = A, Cov(z2, x) = AW, Cov(z1, x) = Cov(z1)·W; any conditional
 *   (the posterior p(z2 | x), the top-down factor p(z1 | x, z2)) follows from
 *   Gaussian conditioning on that joint.
 */

export type Matrix = number[][];
export type Vector = number[];

// ---------------------------------------------------------------------------
// Small dense linear algebra (Float64).

export function zeros(rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

export function identity(n: number): Matrix {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

export function diag(v: readonly number[]): Matrix {
  return v.map((x, i) => v.map((_, j) => (i === j ? x : 0)));
}

export function diagonal(m: Matrix): Vector {
  return m.map((row, i) => row[i]!);
}

export function transpose(m: Matrix): Matrix {
  return m[0]!.map((_, j) => m.map((row) => row[j]!));
}

export function matMul(a: Matrix, b: Matrix): Matrix {
  const inner = b.length;
  if (a[0]!.length !== inner) throw new Error(`matMul: [${a.length}, ${a[0]!.length}] x [${b.length}, ${b[0]!.length}]`);
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, x, k) => s + x * b[k]![j]!, 0)));
}

/** Row vector times matrix: v·M. */
export function vecMat(v: readonly number[], m: Matrix): Vector {
  return m[0]!.map((_, j) => v.reduce((s, x, k) => s + x * m[k]![j]!, 0));
}

export function addMatrices(a: Matrix, b: Matrix): Matrix {
  return a.map((row, i) => row.map((x, j) => x + b[i]![j]!));
}

export function scaleMatrix(a: Matrix, c: number): Matrix {
  return a.map((row) => row.map((x) => x * c));
}

export function addVectors(a: readonly number[], b: readonly number[]): Vector {
  return a.map((x, i) => x + b[i]!);
}

export function subVectors(a: readonly number[], b: readonly number[]): Vector {
  return a.map((x, i) => x - b[i]!);
}

export function dot(a: readonly number[], b: readonly number[]): number {
  return a.reduce((s, x, i) => s + x * b[i]!, 0);
}

/** Rows and columns `idx` of a square matrix (or entries of a vector). */
export function block(m: Matrix, rows: readonly number[], cols: readonly number[]): Matrix {
  return rows.map((i) => cols.map((j) => m[i]![j]!));
}

/** Lower-triangular L with A = L Lᵀ; throws when A is not symmetric positive definite. */
export function cholesky(a: Matrix): Matrix {
  const n = a.length;
  const l = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (!(s > 0)) throw new Error(`cholesky: matrix is not positive definite (pivot ${i} is ${s})`);
        l[i]![i] = Math.sqrt(s);
      } else l[i]![j] = s / l[j]![j]!;
    }
  }
  return l;
}

export function isPositiveDefinite(a: Matrix): boolean {
  try {
    cholesky(a);
    return true;
  } catch {
    return false;
  }
}

/** y with L y = b (forward substitution). */
export function solveLower(l: Matrix, b: readonly number[]): Vector {
  const y: number[] = [];
  for (let i = 0; i < l.length; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * y[k]!;
    y.push(s / l[i]![i]!);
  }
  return y;
}

/** x with Lᵀ x = y (back substitution on the transpose of a lower-triangular L). */
export function solveLowerTransposed(l: Matrix, y: readonly number[]): Vector {
  const n = l.length;
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k]![i]! * x[k]!;
    x[i] = s / l[i]![i]!;
  }
  return x;
}

/** x with A x = b for symmetric positive-definite A. */
export function solve(a: Matrix, b: readonly number[]): Vector {
  const l = cholesky(a);
  return solveLowerTransposed(l, solveLower(l, b));
}

/** A⁻¹ for symmetric positive-definite A (column by column). */
export function inverse(a: Matrix): Matrix {
  const n = a.length;
  const columns = identity(n).map((e) => solve(a, e));
  return transpose(columns);
}

/** log det A = 2 Σ log L_ii for symmetric positive-definite A. */
export function logDet(a: Matrix): number {
  return cholesky(a).reduce((s, row, i) => s + 2 * Math.log(row[i]!), 0);
}

// ---------------------------------------------------------------------------
// Gaussians.

export interface Gaussian {
  readonly mean: Vector;
  readonly cov: Matrix;
}

/** log N(x; μ, Σ) = −½ [n log 2π + log det Σ + ‖L⁻¹(x − μ)‖²], Σ = L Lᵀ. */
export function gaussianLogPdf(x: readonly number[], g: Gaussian): number {
  const l = cholesky(g.cov);
  const y = solveLower(l, subVectors(x, g.mean));
  const logDetCov = l.reduce((s, row, i) => s + 2 * Math.log(row[i]!), 0);
  return -0.5 * (x.length * Math.log(2 * Math.PI) + logDetCov + dot(y, y));
}

/** KL(N0 ‖ N1) = ½ [tr(Σ1⁻¹Σ0) + (μ1 − μ0)ᵀΣ1⁻¹(μ1 − μ0) − n + log det Σ1 − log det Σ0]. */
export function gaussianKl(p0: Gaussian, p1: Gaussian): number {
  const n = p0.mean.length;
  const inv1 = inverse(p1.cov);
  const trace = diagonal(matMul(inv1, p0.cov)).reduce((s, x) => s + x, 0);
  const d = subVectors(p1.mean, p0.mean);
  return 0.5 * (trace + dot(d, solve(p1.cov, d)) - n + logDet(p1.cov) - logDet(p0.cov));
}

/**
 * The conditional of a joint Gaussian: y_a | y_b = v is Gaussian with
 *   mean = μ_a + (v − μ_b) Σ_bb⁻¹ Σ_ba   (as a row: an affine map of v)
 *   cov  = Σ_aa − Σ_ab Σ_bb⁻¹ Σ_ba.
 * @returns `weight` [|b|, |a|] and `bias` [|a|] with mean = v·weight + bias, and `cov`
 */
export function gaussianConditional(joint: Gaussian, a: readonly number[], b: readonly number[]): { weight: Matrix; bias: Vector; cov: Matrix } {
  const sbb = block(joint.cov, b, b);
  const sba = block(joint.cov, b, a);
  // weight = Σ_bb⁻¹ Σ_ba, one column of Σ_ba at a time.
  const weight = transpose(transpose(sba).map((col) => solve(sbb, col)));
  const muA = a.map((i) => joint.mean[i]!);
  const muB = b.map((i) => joint.mean[i]!);
  const bias = subVectors(muA, vecMat(muB, weight));
  const cov = addMatrices(block(joint.cov, a, a), scaleMatrix(matMul(transpose(sba), weight), -1));
  return { weight, bias, cov: symmetrize(cov) };
}

function symmetrize(m: Matrix): Matrix {
  return m.map((row, i) => row.map((x, j) => 0.5 * (x + m[j]![i]!)));
}

/** Condition y_a | y_b = v of a joint Gaussian, evaluated at v. */
export function conditionOn(joint: Gaussian, a: readonly number[], b: readonly number[], v: readonly number[]): Gaussian {
  const c = gaussianConditional(joint, a, b);
  return { mean: addVectors(vecMat(v, c.weight), c.bias), cov: c.cov };
}

/**
 * Whether importance weights p/q have finite variance under q for Gaussians
 * p = N(μp, P), q = N(μq, Q): E_q[(p/q)²] = ∫ p²/q is finite iff the
 * exponent −(z−μp)ᵀP⁻¹(z−μp) + ½(z−μq)ᵀQ⁻¹(z−μq) is a concave quadratic,
 * i.e. 2P⁻¹ − Q⁻¹ is positive definite. Standard errors of IS estimates
 * (and of IWAE bounds) are only meaningful when this holds.
 */
export function hasFiniteWeightVariance(p: Matrix, q: Matrix): boolean {
  return isPositiveDefinite(addMatrices(scaleMatrix(inverse(p), 2), scaleMatrix(inverse(q), -1)));
}

// ---------------------------------------------------------------------------
// Seeded double-precision randomness for building fixtures.

/** mulberry32 uniforms and Box–Muller normals; the same seed gives the same stream. */
export class TestRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed | 0;
  }
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  normal(): number {
    const u = 1 - this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }
  normals(n: number, scale = 1): Vector {
    return Array.from({ length: n }, () => scale * this.normal());
  }
  matrix(rows: number, cols: number, scale = 1): Matrix {
    return Array.from({ length: rows }, () => this.normals(cols, scale));
  }
}

/** Values as the model will hold them (float32), so closed forms use the same numbers. */
export function fround(v: readonly number[]): Vector {
  return v.map((x) => Math.fround(x));
}

export function froundMatrix(m: Matrix): Matrix {
  return m.map((row) => fround(row));
}

/** Row-major flattening, the layout `setParameters` takes. */
export function flatten(m: Matrix): number[] {
  return m.flat();
}

// ---------------------------------------------------------------------------
// The one-level model.

export const ONE_LEVEL = { latent: 4, observed: 6, noise: 0.5 } as const;

export interface OneLevelParams {
  /** decoder.weight [4, 6] */
  readonly W: Matrix;
  /** decoder.bias [6] */
  readonly b: Vector;
}

/** x ~ N(b, σ²I + WᵀW). */
export function oneLevelMarginal(p: OneLevelParams): Gaussian {
  const s2 = ONE_LEVEL.noise ** 2;
  return { mean: [...p.b], cov: addMatrices(scaleMatrix(identity(p.b.length), s2), matMul(transpose(p.W), p.W)) };
}

export function oneLevelLogPx(p: OneLevelParams, x: readonly number[]): number {
  return gaussianLogPdf(x, oneLevelMarginal(p));
}

/** The posterior's covariance Σ = (I + WWᵀ/σ²)⁻¹ and its mean map μ = x·E + c, E = WᵀΣ/σ², c = −b·E. */
export function oneLevelPosteriorMap(p: OneLevelParams): { weight: Matrix; bias: Vector; cov: Matrix } {
  const s2 = ONE_LEVEL.noise ** 2;
  const precision = addMatrices(identity(p.W.length), scaleMatrix(matMul(p.W, transpose(p.W)), 1 / s2));
  const cov = inverse(precision);
  const weight = scaleMatrix(matMul(transpose(p.W), cov), 1 / s2);
  return { weight, bias: vecMat(p.b, weight).map((v) => -v), cov };
}

/** p(z | x) = N(μ, Σ). */
export function oneLevelPosterior(p: OneLevelParams, x: readonly number[]): Gaussian {
  const m = oneLevelPosteriorMap(p);
  return { mean: addVectors(vecMat(x, m.weight), m.bias), cov: m.cov };
}

/** The joint of (z, x), ordered [z (4), x (6)]: Cov(z, x) = W. */
export function oneLevelJoint(p: OneLevelParams): Gaussian {
  const d = p.W.length;
  const marginal = oneLevelMarginal(p);
  const cov = zeros(d + p.b.length, d + p.b.length);
  for (let i = 0; i < d; i++) cov[i]![i] = 1;
  for (let i = 0; i < d; i++) for (let j = 0; j < p.b.length; j++) cov[i]![d + j] = cov[d + j]![i] = p.W[i]![j]!;
  for (let i = 0; i < p.b.length; i++) for (let j = 0; j < p.b.length; j++) cov[d + i]![d + j] = marginal.cov[i]![j]!;
  return { mean: [...new Array<number>(d).fill(0), ...p.b], cov };
}

/** Draws n observations x = zW + b + σε. */
export function sampleOneLevel(p: OneLevelParams, n: number, rng: TestRandom): Matrix {
  return Array.from({ length: n }, () => {
    const z = rng.normals(p.W.length);
    return addVectors(addVectors(vecMat(z, p.W), p.b), rng.normals(p.b.length, ONE_LEVEL.noise));
  });
}

/** A mean-field guide for the one-level model: q(z | x) = N(x·weight + bias, diag(scale²)). */
export interface OneLevelGuide {
  readonly weight: Matrix;
  readonly bias: Vector;
  readonly scale: Vector;
}

/** The guide's parameters as `setParameters` takes them. */
export function oneLevelGuideParameters(g: OneLevelGuide): Record<string, number[]> {
  return { 'encoder.weight': flatten(g.weight), 'encoder.bias': [...g.bias], guide_log_scale: g.scale.map(Math.log) };
}

export function oneLevelModelParameters(p: OneLevelParams): Record<string, number[]> {
  return { 'decoder.weight': flatten(p.W), 'decoder.bias': [...p.b] };
}

/** The guide evaluated at x. */
export function oneLevelGuideAt(g: OneLevelGuide, x: readonly number[]): Gaussian {
  return { mean: addVectors(vecMat(x, g.weight), g.bias), cov: diag(g.scale.map((s) => s * s)) };
}

/**
 * A mean-field guide with the exact posterior mean and the marginal posterior
 * standard deviations times `inflate` (inflate = 1 on a model with diagonal
 * posterior covariance is the exact posterior).
 */
export function oneLevelMeanFieldGuide(p: OneLevelParams, inflate = 1): OneLevelGuide {
  const m = oneLevelPosteriorMap(p);
  return { weight: m.weight, bias: m.bias, scale: diagonal(m.cov).map((v) => inflate * Math.sqrt(v)) };
}

// ---------------------------------------------------------------------------
// The two-level model.

export const TWO_LEVEL = { top: 3, bottom: 5, observed: 6, priorNoise: 0.7, noise: 0.5 } as const;

export interface TwoLevelParams {
  /** prior_z1.weight [3, 5] */
  readonly A: Matrix;
  /** prior_z1.bias [5] */
  readonly a: Vector;
  /** decoder.weight [5, 6] */
  readonly W: Matrix;
  /** decoder.bias [6] */
  readonly b: Vector;
}

export function twoLevelModelParameters(p: TwoLevelParams): Record<string, number[]> {
  return { 'prior_z1.weight': flatten(p.A), 'prior_z1.bias': [...p.a], 'decoder.weight': flatten(p.W), 'decoder.bias': [...p.b] };
}

/** z1 ~ N(a, τ²I + AᵀA). */
function z1Marginal(p: TwoLevelParams): Gaussian {
  return { mean: [...p.a], cov: addMatrices(scaleMatrix(identity(p.a.length), TWO_LEVEL.priorNoise ** 2), matMul(transpose(p.A), p.A)) };
}

/** x ~ N(aW + b, σ²I + Wᵀ(τ²I + AᵀA)W). */
export function twoLevelMarginal(p: TwoLevelParams): Gaussian {
  const z1 = z1Marginal(p);
  const cov = addMatrices(scaleMatrix(identity(p.b.length), TWO_LEVEL.noise ** 2), matMul(matMul(transpose(p.W), z1.cov), p.W));
  return { mean: addVectors(vecMat(p.a, p.W), p.b), cov };
}

export function twoLevelLogPx(p: TwoLevelParams, x: readonly number[]): number {
  return gaussianLogPdf(x, twoLevelMarginal(p));
}

/** Index ranges of the joint's blocks, ordered [z2 (3), z1 (5), x (6)]. */
export const TWO_LEVEL_INDEX = {
  z2: [0, 1, 2],
  z1: [3, 4, 5, 6, 7],
  x: [8, 9, 10, 11, 12, 13],
} as const;

/** The joint of (z2, z1, x): Cov(z2, z1) = A, Cov(z2, x) = AW, Cov(z1, x) = Cov(z1)·W. */
export function twoLevelJoint(p: TwoLevelParams): Gaussian {
  const z1 = z1Marginal(p);
  const x = twoLevelMarginal(p);
  const blocks: Matrix[][] = [
    [identity(3), p.A, matMul(p.A, p.W)],
    [transpose(p.A), z1.cov, matMul(z1.cov, p.W)],
    [transpose(matMul(p.A, p.W)), transpose(matMul(z1.cov, p.W)), x.cov],
  ];
  const cov = blocks.flatMap((row) => row[0]!.map((_, i) => row.flatMap((m) => m[i]!)));
  return { mean: [0, 0, 0, ...z1.mean, ...x.mean], cov };
}

export function sampleTwoLevel(p: TwoLevelParams, n: number, rng: TestRandom): Matrix {
  return Array.from({ length: n }, () => {
    const z2 = rng.normals(3);
    const z1 = addVectors(addVectors(vecMat(z2, p.A), p.a), rng.normals(5, TWO_LEVEL.priorNoise));
    return addVectors(addVectors(vecMat(z1, p.W), p.b), rng.normals(6, TWO_LEVEL.noise));
  });
}

/**
 * The top-down guide q(z2 | x) q(z1 | x, z2), each N(affine mean, diag(scale²)):
 * z2's mean is x·weightZ2 + biasZ2; z1's is concat(x, z2)·weightZ1 + biasZ1.
 */
export interface TwoLevelGuide {
  readonly weightZ2: Matrix;
  readonly biasZ2: Vector;
  readonly scaleZ2: Vector;
  readonly weightZ1: Matrix;
  readonly biasZ1: Vector;
  readonly scaleZ1: Vector;
}

export function twoLevelGuideParameters(g: TwoLevelGuide): Record<string, number[]> {
  return {
    'encoder_z2.weight': flatten(g.weightZ2),
    'encoder_z2.bias': [...g.biasZ2],
    'encoder_z1.weight': flatten(g.weightZ1),
    'encoder_z1.bias': [...g.biasZ1],
    log_scale_z2: g.scaleZ2.map(Math.log),
    log_scale_z1: g.scaleZ1.map(Math.log),
  };
}

/**
 * The exact posterior's top-down factors p(z2 | x) and p(z1 | x, z2) (both
 * affine in what they condition on, as the guide's linear encoders are) with
 * their covariances replaced by the diagonal times `inflate`² (mean field per level).
 */
export function twoLevelTopDownGuide(p: TwoLevelParams, inflate = 1): TwoLevelGuide {
  const joint = twoLevelJoint(p);
  const { z2, z1, x } = TWO_LEVEL_INDEX;
  const top = gaussianConditional(joint, z2, x);
  const bottom = gaussianConditional(joint, z1, [...x, ...z2]);
  const std = (c: Matrix) => diagonal(c).map((v) => inflate * Math.sqrt(v));
  return { weightZ2: top.weight, biasZ2: top.bias, scaleZ2: std(top.cov), weightZ1: bottom.weight, biasZ1: bottom.bias, scaleZ1: std(bottom.cov) };
}

/**
 * The guide's joint over [z2, z1] at x: z2 ~ N(m2, S2) and z1 = m1(x) + z2·E1z + s1·ε,
 * so E[z1] = x·E1x + m2·E1z + c1, Cov(z2, z1) = S2·E1z, Cov(z1) = E1zᵀS2E1z + S1.
 */
export function twoLevelGuideJointAt(g: TwoLevelGuide, x: readonly number[]): Gaussian {
  const m2 = addVectors(vecMat(x, g.weightZ2), g.biasZ2);
  const e1x = g.weightZ1.slice(0, 6);
  const e1z = g.weightZ1.slice(6);
  const s2 = diag(g.scaleZ2.map((s) => s * s));
  const s1 = diag(g.scaleZ1.map((s) => s * s));
  const m1 = addVectors(addVectors(vecMat(x, e1x), vecMat(m2, e1z)), g.biasZ1);
  const c21 = matMul(s2, e1z);
  const c11 = addMatrices(matMul(matMul(transpose(e1z), s2), e1z), s1);
  const cov = [...s2.map((row, i) => [...row, ...c21[i]!]), ...transpose(c21).map((row, i) => [...row, ...c11[i]!])];
  return { mean: [...m2, ...m1], cov };
}

/** The exact posterior over [z2, z1] at x. */
export function twoLevelPosterior(p: TwoLevelParams, x: readonly number[]): Gaussian {
  const { z2, z1, x: xi } = TWO_LEVEL_INDEX;
  return conditionOn(twoLevelJoint(p), [...z2, ...z1], xi, x);
}

// ---------------------------------------------------------------------------
// Statistics.

/** Sample mean, standard deviation (n − 1) and standard error of the mean. */
export function meanAndStandardError(xs: ArrayLike<number>): { mean: number; sd: number; se: number } {
  const n = xs.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += xs[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i]! - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  return { mean, sd, se: sd / Math.sqrt(n) };
}

/** Pearson correlation of two equally long samples. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ma = meanAndStandardError(a).mean;
  const mb = meanAndStandardError(b).mean;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** log (1/n) Σ exp(x_i) in double precision. */
export function logMeanExp64(xs: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < xs.length; i++) m = Math.max(m, xs[i]!);
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += Math.exp(xs[i]! - m);
  return m + Math.log(s / xs.length);
}

/**
 * Multinomial logistic regression with an L2 penalty, fit by L-BFGS in
 * Float64 (what scikit-learn's `LogisticRegression(solver='lbfgs')` fits; seed
 * 000 sec. 5.3 uses it to decode texture classes from posterior means):
 *
 *   minimize  −(1/n) Σ_i log softmax(x_i W + b)_{y_i}  +  (λ/2) ‖W‖²
 *
 * The bias b is not penalized. λ = 1/n is scikit-learn's default C = 1.
 */
import { Rng } from '../../data/rng.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { minimizeLbfgs } from './lbfgs.js';

export interface LogisticRegressionOptions {
  /** Number of classes C (labels are 0 ... C − 1). */
  readonly classes: number;
  /** λ of the penalty (λ/2)‖W‖² on the mean loss; must be > 0 so the optimum is unique. */
  readonly l2: number;
  readonly maxIterations?: number;
  /** Gradient tolerance (max norm) of L-BFGS (default 1e-6). */
  readonly tolerance?: number;
  /** Start from W ~ N(0, 0.01²) drawn with this seed; zeros when absent. */
  readonly initSeed?: number;
}

export interface LogisticRegressionModel {
  /** `[cols, classes]`, row-major. */
  readonly weights: Float64Array;
  readonly bias: Float64Array;
  readonly cols: number;
  readonly classes: number;
  /** The penalized mean loss at the solution. */
  readonly loss: number;
  readonly iterations: number;
  readonly converged: boolean;
}

function checkLabels(labels: Int32Array, rows: number, classes: number): void {
  if (labels.length !== rows) throw new RangeError(`logistic regression: ${labels.length} labels for ${rows} rows`);
  for (const c of labels) if (!(c >= 0 && c < classes)) throw new RangeError(`logistic regression: label ${c} is outside 0..${classes - 1}`);
}

/**
 * The penalized loss at packed parameters θ = [W (cols·C), b (C)], and its gradient into `gradient`.
 * @returns the loss (mean cross-entropy plus (λ/2)‖W‖²)
 */
export function logisticLoss(x: FeatureMatrix, labels: Int32Array, classes: number, l2: number, theta: Float64Array, gradient?: Float64Array): number {
  const { rows, cols } = x;
  const biasAt = cols * classes;
  const logits = new Float64Array(classes);
  if (gradient) gradient.fill(0);
  let loss = 0;
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    for (let c = 0; c < classes; c++) logits[c] = theta[biasAt + c]!;
    for (let j = 0; j < cols; j++) {
      const v = x.values[row + j]!;
      if (v === 0) continue;
      const w = j * classes;
      for (let c = 0; c < classes; c++) logits[c]! += v * theta[w + c]!;
    }
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[c]! - max);
    const logNorm = max + Math.log(sum);
    loss += logNorm - logits[labels[i]!]!;
    if (!gradient) continue;
    for (let c = 0; c < classes; c++) logits[c] = Math.exp(logits[c]! - logNorm) - (c === labels[i] ? 1 : 0); // p − onehot
    for (let j = 0; j < cols; j++) {
      const v = x.values[row + j]!;
      if (v === 0) continue;
      const w = j * classes;
      for (let c = 0; c < classes; c++) gradient[w + c]! += v * logits[c]!;
    }
    for (let c = 0; c < classes; c++) gradient[biasAt + c]! += logits[c]!;
  }
  const n = Math.max(1, rows);
  let penalty = 0;
  for (let i = 0; i < biasAt; i++) penalty += theta[i]! * theta[i]!;
  if (gradient) {
    for (let i = 0; i < gradient.length; i++) gradient[i]! /= n;
    for (let i = 0; i < biasAt; i++) gradient[i]! += l2 * theta[i]!;
  }
  return loss / n + 0.5 * l2 * penalty;
}

/** Standard normal draws by Box–Muller from the data layer's seeded generator. */
function normals(count: number, seed: number): Float64Array {
  const rng = new Rng(seed, 11);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.sqrt(-2 * Math.log(1 - rng.float())) * Math.cos(2 * Math.PI * rng.float());
  return out;
}

/**
 * Fits the model to `x` (`[n, cols]`) and integer `labels` (`[n]`).
 *
 * @returns the weights `[cols, C]`, biases `[C]`, the loss and L-BFGS's convergence
 * @example const m = fitLogisticRegression(features, labels, { classes: 5, l2: 1 / features.rows });
 */
export function fitLogisticRegression(x: FeatureMatrix, labels: Int32Array, options: LogisticRegressionOptions): LogisticRegressionModel {
  const { classes, l2 } = options;
  if (!Number.isInteger(classes) || classes < 2) throw new RangeError(`logistic regression: classes must be an integer >= 2, got ${classes}`);
  if (!(l2 > 0)) throw new RangeError(`logistic regression: l2 must be positive (it makes the optimum unique), got ${l2}`);
  checkLabels(labels, x.rows, classes);
  const size = x.cols * classes + classes;
  const theta0 = new Float64Array(size);
  if (options.initSeed !== undefined) {
    const draws = normals(x.cols * classes, options.initSeed);
    for (let i = 0; i < draws.length; i++) theta0[i] = 0.01 * draws[i]!;
  }
  const result = minimizeLbfgs((theta, gradient) => logisticLoss(x, labels, classes, l2, theta, gradient), theta0, {
    maxIterations: options.maxIterations ?? 500,
    gradientTolerance: options.tolerance ?? 1e-6,
  });
  return {
    weights: result.x.slice(0, x.cols * classes),
    bias: result.x.slice(x.cols * classes),
    cols: x.cols,
    classes,
    loss: result.value,
    iterations: result.iterations,
    converged: result.converged,
  };
}

/** The most probable class of each row (`argmax_c x_i W + b`). */
export function predictClasses(model: LogisticRegressionModel, x: FeatureMatrix): Int32Array {
  if (x.cols !== model.cols) throw new RangeError(`predictClasses: the model has ${model.cols} features but x has ${x.cols} columns`);
  const out = new Int32Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let best = 0;
    let bestLogit = -Infinity;
    for (let c = 0; c < model.classes; c++) {
      let logit = model.bias[c]!;
      for (let j = 0; j < x.cols; j++) logit += x.values[i * x.cols + j]! * model.weights[j * model.classes + c]!;
      if (logit > bestLogit) {
        bestLogit = logit;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Share of predictions equal to the labels. */
export function accuracy(predicted: Int32Array, labels: Int32Array): number {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) hits++;
  return labels.length === 0 ? NaN : hits / labels.length;
}

/** `counts[true][predicted]`. */
export function confusionCounts(predicted: Int32Array, labels: Int32Array, classes: number): number[][] {
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]![predicted[i]!]! += 1;
  return counts;
}

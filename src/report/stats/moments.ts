/** Means, variances and summaries of plain arrays, in Float64. */

/** Mean and sample standard deviation (n − 1; 0 for a single value, NaN for none). */
export interface MeanStd {
  readonly mean: number;
  readonly std: number;
  readonly n: number;
}

/** Mean and sample standard deviation of `values`. */
export function meanStd(values: ArrayLike<number>): MeanStd {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, n };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return { mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n };
}

/** Per-column mean and sample variance (n − 1) of a row-major `[rows, cols]` array. */
export function columnMoments(values: ArrayLike<number>, rows: number, cols: number): { mean: Float64Array; variance: Float64Array } {
  if (values.length !== rows * cols) throw new RangeError(`columnMoments: ${values.length} values do not make ${rows} x ${cols}`);
  const mean = new Float64Array(cols);
  const variance = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j]! += values[i * cols + j]!;
  for (let j = 0; j < cols; j++) mean[j]! /= Math.max(1, rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) variance[j]! += (values[i * cols + j]! - mean[j]!) ** 2;
  for (let j = 0; j < cols; j++) variance[j] = rows > 1 ? variance[j]! / (rows - 1) : 0;
  return { mean, variance };
}

/** Indices `0 ... n − 1` sorted by `key` descending (ties by index). */
export function orderDescending(key: ArrayLike<number>): number[] {
  return Array.from({ length: key.length }, (_, i) => i).sort((a, b) => key[b]! - key[a]! || a - b);
}

/** Rounds for JSON: 6 significant digits keep report.json readable without losing what the figures show. */
export function round6(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x;
}

/** `round6` over an array. */
export function round6All(values: ArrayLike<number>): number[] {
  return Array.from(values, round6);
}

/**
 * Standardization with training-set statistics: x -> (x - mean) / std, with
 * mean and std the global mean and (population) standard deviation over all
 * pixels of all training patches, applied unchanged to the test patches.
 */
import { DataError } from './data-error.js';
import type { Matrix } from './matrix.js';

/** Global mean and standard deviation of a matrix's values. */
export interface Moments {
  readonly mean: number;
  readonly std: number;
}

/**
 * mean = (1/n) Σ x_i, std = sqrt((1/n) Σ (x_i - mean)^2), in float64 (two passes).
 *
 * @throws DataError when the matrix is empty or constant
 */
export function moments(m: Matrix): Moments {
  const x = m.values;
  if (x.length === 0) throw new DataError('cannot standardize: the training set is empty');
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]!;
  const mean = sum / x.length;
  let squares = 0;
  for (let i = 0; i < x.length; i++) squares += (x[i]! - mean) ** 2;
  const std = Math.sqrt(squares / x.length);
  if (!(std > 0)) throw new DataError('cannot standardize: every training value is the same');
  return { mean, std };
}

/** (x - mean) / std for every value, in place; returns `m`. */
export function standardizeInPlace(m: Matrix, { mean, std }: Moments): Matrix {
  const x = m.values;
  for (let i = 0; i < x.length; i++) x[i] = (x[i]! - mean) / std;
  return m;
}

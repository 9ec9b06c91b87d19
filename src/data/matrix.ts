/**
 * The plain row-major matrix that every data set in `src/data` produces: no
 * tensors, so this layer stays free of tfjs (the driver converts).
 */
import { DataError } from './data-error.js';

/** A dense `[rows, cols]` float32 matrix, row-major: entry (i, j) is `values[i * cols + j]`. */
export interface Matrix {
  readonly values: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Wraps `values` as a `[rows, cols]` matrix, checking the length.
 *
 * @example const m = matrix(new Float32Array(6), 2, 3);
 */
export function matrix(values: Float32Array, rows: number, cols: number): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new DataError(`matrix: rows and cols must be non-negative integers, got ${rows} x ${cols}`);
  }
  if (values.length !== rows * cols) {
    throw new DataError(`matrix: ${values.length} values do not fill ${rows} x ${cols}`);
  }
  return { values, rows, cols };
}

/** Rows `indices[0], indices[1], ...` of `m`, copied into a new matrix. */
export function selectRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = new Float32Array(indices.length * m.cols);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    out.set(m.values.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  }
  return { values: out, rows: indices.length, cols: m.cols };
}

/** The first `n` rows of `m` (a view, no copy). */
export function headRows(m: Matrix, n: number): Matrix {
  return { values: m.values.subarray(0, n * m.cols), rows: n, cols: m.cols };
}

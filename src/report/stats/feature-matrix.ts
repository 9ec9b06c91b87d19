/**
 * Row-major Float64 design matrices for the report's classifiers, and subsets
 * of their rows and columns.
 */

/** `rows x cols`, row-major. */
export interface FeatureMatrix {
  readonly values: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** Wraps `[rows, cols]` row-major numbers (e.g. a Float32Array of posterior means) as Float64. */
export function featureMatrix(values: ArrayLike<number>, rows: number, cols: number): FeatureMatrix {
  if (values.length !== rows * cols) throw new RangeError(`featureMatrix: ${values.length} values do not make ${rows} x ${cols}`);
  return { values: Float64Array.from(values), rows, cols };
}

/** The given columns, in the given order. */
export function selectColumns(m: FeatureMatrix, columns: readonly number[]): FeatureMatrix {
  const out = new Float64Array(m.rows * columns.length);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < columns.length; j++) out[i * columns.length + j] = m.values[i * m.cols + columns[j]!]!;
  }
  return { values: out, rows: m.rows, cols: columns.length };
}

/** The given rows, in the given order. */
export function selectRows(m: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix {
  const out = new Float64Array(rows.length * m.cols);
  for (let i = 0; i < rows.length; i++) out.set(m.values.subarray(rows[i]! * m.cols, (rows[i]! + 1) * m.cols), i * m.cols);
  return { values: out, rows: rows.length, cols: m.cols };
}

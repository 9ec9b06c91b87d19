/**
 * The mean IWAE-k bound of a trained model over test rows (log p̂(x) at
 * large k), with its standard error over rows, by `model.bound` in chunks.
 */
import type { StrataModel } from '../../src/index.js';
import type { Matrix } from '../../src/data/index.js';

/** Rows per model.bound call. */
const ROWS_PER_CALL = 20;

export interface MeanBound {
  /** (1/n) Σ_i IWAE-k bound(x_i), nats. */
  readonly mean: number;
  /** Standard error of the mean over rows. */
  readonly se: number;
  readonly k: number;
  readonly rows: number;
}

/**
 * @param options.seed row chunk i is bounded with seed `seed + i·20` (the first row of the chunk)
 * @param options.onProgress rows done of `test.rows`, and the running mean
 */
export async function meanBound(model: StrataModel, test: Matrix, options: { k: number; seed: number; onProgress?: (done: number, runningMean: number) => void }): Promise<MeanBound> {
  const bounds = new Float64Array(test.rows);
  let sum = 0;
  for (let start = 0; start < test.rows; start += ROWS_PER_CALL) {
    const end = Math.min(test.rows, start + ROWS_PER_CALL);
    const rows = { values: test.values.subarray(start * test.cols, end * test.cols), shape: [end - start, test.cols] as [number, number] };
    const b = await model.bound(rows, { k: options.k, seed: options.seed + start });
    for (let i = 0; i < b.length; i++) sum += bounds[start + i] = b[i]!;
    options.onProgress?.(end, sum / end);
  }
  const mean = sum / test.rows;
  const variance = bounds.reduce((s, b) => s + (b - mean) ** 2, 0) / Math.max(1, test.rows - 1);
  return { mean, se: Math.sqrt(variance / test.rows), k: options.k, rows: test.rows };
}

/**
 * Analysis 2, test bounds (seed 000, Figs. 5.4-5.5): the IWAE-k bound and the
 * per-term averages (log p(x | ·), log p(z_l | ·) − log q(z_l | ·)) on the
 * natural and texture test sets, each as a mean with its standard error.
 */
import type { Matrix } from '../../data/matrix.js';
import { evaluateRows, type Summary } from '../../driver/evaluate-run.js';
import type { StrataModel } from '../../driver/strata-model.js';

export interface SetBound {
  readonly k: number;
  readonly bound: Summary;
  /** `log p(x|·)`, `z2: log p - log q`, ... */
  readonly terms: Record<string, Summary>;
}

export interface TestBoundsOptions {
  /** Importance samples for the bound and the term averages. */
  readonly k: number;
  /** Rows of each set to use (default all). */
  readonly count?: number;
  readonly seed: number;
  readonly onProgress?: (set: string, done: number, total: number) => void;
}

/**
 * Evaluates `model` on each named test set.
 *
 * @returns per set name, the bound and term summaries (mean, standard error, n)
 */
export async function testBounds(model: StrataModel, sets: Readonly<Record<string, Matrix>>, options: TestBoundsOptions): Promise<Record<string, SetBound>> {
  const out: Record<string, SetBound> = {};
  for (const [name, rows] of Object.entries(sets)) {
    const result = await evaluateRows(model, rows, {
      k: options.k,
      termK: options.k,
      seed: options.seed,
      ...(options.count === undefined ? {} : { count: options.count }),
      onProgress: (done, total) => options.onProgress?.(name, done, total),
    });
    out[name] = { k: result.k, bound: result.bound, terms: result.terms };
  }
  return out;
}

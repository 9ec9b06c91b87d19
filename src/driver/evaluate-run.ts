/**
 * `strata eval`: the test bound per data point summarized by its mean and
 * standard error, and the per-term averages (reconstruction, log p − log q per
 * latent) with theirs.
 */
import type { Matrix } from '../data/matrix.js';
import { SeededRandom } from '../backend/random.js';
import { openRun } from './open-run.js';
import { checkModelFitsData, loadRunData, type DataSpec } from './run-data.js';
import type { StrataModel } from './strata-model.js';
import { termAverages } from './term-averages.js';

export interface Summary {
  readonly mean: number;
  /** Standard error of the mean: sd / sqrt(n). */
  readonly se: number;
  readonly n: number;
}

export interface EvaluationResult {
  readonly run: string;
  readonly dataset: string;
  readonly k: number;
  readonly bound: Summary;
  /** Per-term averages: `log p(x|·)` per observed variable and `log p - log q` per latent. */
  readonly terms: Record<string, Summary>;
  readonly perPoint: Float32Array;
}

/** Mean and standard error of the mean. */
export function summarize(values: ArrayLike<number>): Summary {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return { mean, se: n > 1 ? Math.sqrt(ss / (n - 1) / n) : NaN, n };
}

export interface EvaluateOptions {
  readonly data?: Partial<DataSpec>;
  readonly k: number;
  /** Samples per data point for the term averages (default min(k, 100)). */
  readonly termK?: number;
  /** Evaluate the first `count` test rows (default all). */
  readonly count?: number;
  readonly batchSize?: number;
  readonly seed?: number;
  readonly backend?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

function slice(m: Matrix, start: number, end: number): { values: Float32Array; shape: [number, number] } {
  return { values: m.values.subarray(start * m.cols, end * m.cols), shape: [end - start, m.cols] };
}

/** Options of `evaluateRows`: the subset of `EvaluateOptions` that concerns the computation. */
export type EvaluateRowsOptions = Pick<EvaluateOptions, 'k' | 'termK' | 'count' | 'batchSize' | 'seed' | 'onProgress'>;

/** The bound and term summaries of `evaluateRows`, per data point kept in `perPoint`. */
export type RowsEvaluation = Pick<EvaluationResult, 'k' | 'bound' | 'terms' | 'perPoint'>;

/**
 * Evaluates an open model on the first `count` rows of `test` (all by default):
 * the IWAE-k bound and the per-term averages, each summarized by mean and standard error.
 */
export async function evaluateRows(model: StrataModel, test: Matrix, options: EvaluateRowsOptions): Promise<RowsEvaluation> {
  const total = Math.min(options.count ?? test.rows, test.rows);
  const batch = options.batchSize ?? 100;
  const rng = new SeededRandom(options.seed ?? 0);
  const perPoint = new Float32Array(total);
  const terms: Record<string, Float32Array> = {};
  for (let start = 0; start < total; start += batch) {
    const end = Math.min(total, start + batch);
    const rows = slice(test, start, end);
    perPoint.set(await model.bound(rows, { k: options.k, seed: rng.nextSeed() }), start);
    const averages = await termAverages(model, rows, { k: options.termK ?? Math.min(options.k, 100), seed: rng.nextSeed() });
    for (const [name, values] of Object.entries({ ...prefix('log p(', averages.observed, '|·)'), ...prefix('', averages.latents, ': log p - log q') })) {
      (terms[name] ??= new Float32Array(total)).set(values, start);
    }
    options.onProgress?.(end, total);
  }
  return {
    k: options.k,
    bound: summarize(perPoint),
    terms: Object.fromEntries(Object.entries(terms).map(([name, values]) => [name, summarize(values)])),
    perPoint,
  };
}

/** Evaluates a trained run on its test split (or another dataset). */
export async function evaluateRun(dir: string, options: EvaluateOptions): Promise<EvaluationResult> {
  const run = await openRun(dir, options.backend ? { backend: options.backend } : {});
  try {
    const dataset = await loadRunData({ ...run.data, ...options.data });
    checkModelFitsData(run.model.ir, dir, dataset);
    const result = await evaluateRows(run.model, dataset.test, options);
    return { run: dir, dataset: dataset.description, ...result };
  } finally {
    run.model.dispose();
  }
}

function prefix(before: string, values: Record<string, Float32Array>, after: string): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(values).map(([name, v]) => [`${before}${name}${after}`, v]));
}

/**
 * `strata eval`: the test bound per data point summarized by its mean and
 * standard error, and the per-term averages (reconstruction, log p − log q per
 * latent) with theirs.
 */
import type { LoadedDataset } from '../data/load-dataset.js';
import { selectRows, type Matrix } from '../data/matrix.js';
import { Rng } from '../data/rng.js';
import { SeededRandom } from '../backend/random.js';
import { openRun } from './open-run.js';
import { checkModelFitsData, loadRunData, type DataSpec } from './run-data.js';
import type { StrataModel } from './strata-model.js';
import { psisPerRow, type PsisSummary } from './psis-rows.js';
import { termAverages } from './term-averages.js';

export interface Summary {
  readonly mean: number;
  /** Standard error of the mean: sd / sqrt(n). */
  readonly se: number;
  readonly n: number;
}

export type EvaluationSplit = 'test' | 'train' | 'all';

export interface EvaluationResult {
  readonly run: string;
  /** The dataset's description, then which rows were evaluated ("; evaluated: a seeded random 500 of 10000 test rows"). */
  readonly dataset: string;
  readonly k: number;
  readonly bound: Summary;
  /** Per-term averages: `log p(x|·)` per observed variable and `log p - log q` per latent. */
  readonly terms: Record<string, Summary>;
  readonly perPoint: Float32Array;
  /** With `psis`: the PSIS k̂ of each row's k importance weights. */
  readonly psis?: PsisSummary;
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
  /** Evaluate `count` rows drawn at random without replacement (seeded by `seed`), not the first ones; default all. */
  readonly count?: number;
  /** Which rows of the dataset: its test split (default), its training split, or all its rows. */
  readonly split?: EvaluationSplit;
  readonly batchSize?: number;
  readonly seed?: number;
  readonly backend?: string;
  readonly onProgress?: (done: number, total: number) => void;
  /** Also fit PSIS k̂ to each row's k importance weights (as many samples again as the bound). */
  readonly psis?: boolean;
}

function slice(m: Matrix, start: number, end: number): { values: Float32Array; shape: [number, number] } {
  return { values: m.values.subarray(start * m.cols, end * m.cols), shape: [end - start, m.cols] };
}

/** Options of `evaluateRows`: the subset of `EvaluateOptions` that concerns the computation. */
export type EvaluateRowsOptions = Pick<EvaluateOptions, 'k' | 'termK' | 'count' | 'batchSize' | 'seed' | 'onProgress' | 'psis'>;

/** The bound and term summaries of `evaluateRows`, per data point kept in `perPoint`. */
export type RowsEvaluation = Pick<EvaluationResult, 'k' | 'bound' | 'terms' | 'perPoint' | 'psis'>;

/** Stream of the row subset's permutation, apart from the bound's noise. */
const SUBSET_STREAM = 11;

/**
 * `count` rows of `m` drawn without replacement (the first `count` of a
 * permutation seeded by `seed`, kept in order), or all rows. A test file's
 * first rows may be sorted (by class, by time): a random subset estimates the
 * same mean as the whole set.
 */
export function randomRowSubset(m: Matrix, count: number | undefined, seed: number): Matrix {
  if (count === undefined || count >= m.rows) return m;
  return selectRows(m, new Rng(seed, SUBSET_STREAM).permutation(m.rows).slice(0, count).sort());
}

/**
 * Evaluates an open model on `count` rows of `test` drawn at random (seeded
 * by `seed`; all rows by default): the IWAE-k bound and the per-term averages,
 * each summarized by mean and standard error.
 */
export async function evaluateRows(model: StrataModel, source: Matrix, options: EvaluateRowsOptions): Promise<RowsEvaluation> {
  const test = randomRowSubset(source, options.count, options.seed ?? 0);
  const total = test.rows;
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
    ...(options.psis ? { psis: await psisPerRow(model, { values: test.values, shape: [test.rows, test.cols] }, options.k, rng.nextSeed()) } : {}),
  };
}

/**
 * The data spec to evaluate on: the run's own (its split, sizes and seed),
 * with a new data directory if given; or another dataset, which keeps only
 * the run's seed (the run's --train/--test sizes were about its own data).
 */
export function evaluationData(run: DataSpec, given: Partial<DataSpec> = {}): DataSpec {
  if (given.spec === undefined || given.spec === run.spec) return { ...run, ...given };
  const dataDir = given.dataDir ?? run.dataDir;
  return { spec: given.spec, seed: given.seed ?? run.seed, ...(dataDir === undefined ? {} : { dataDir }), ...(given.train === undefined ? {} : { train: given.train }), ...(given.test === undefined ? {} : { test: given.test }) };
}

function splitRows(dataset: LoadedDataset, split: EvaluationSplit): Matrix {
  if (split === 'test') return dataset.test;
  if (split === 'train') return dataset.train;
  const parts = [dataset.train, ...(dataset.valid ? [dataset.valid] : []), dataset.test];
  const values = new Float32Array(parts.reduce((n, m) => n + m.values.length, 0));
  let at = 0;
  for (const m of parts) {
    values.set(m.values, at);
    at += m.values.length;
  }
  return { values, rows: values.length / dataset.test.cols, cols: dataset.test.cols };
}

/** Evaluates a trained run on its test split, another split, or another dataset. */
export async function evaluateRun(dir: string, options: EvaluateOptions): Promise<EvaluationResult> {
  const run = await openRun(dir, options.backend ? { backend: options.backend } : {});
  try {
    const dataset = await loadRunData(evaluationData(run.data, options.data));
    checkModelFitsData(run.model.ir, dir, dataset);
    const split = options.split ?? 'test';
    const rows = splitRows(dataset, split);
    const result = await evaluateRows(run.model, rows, options);
    const which = { test: 'test split', train: 'training split', all: 'whole dataset' }[split];
    const chosen = options.count !== undefined && options.count < rows.rows ? `a seeded random ${options.count} of the ${rows.rows} rows of the ${which}` : `the ${which} (${rows.rows} rows)`;
    return { run: dir, dataset: `${dataset.description}; evaluated: ${chosen}`, ...result };
  } finally {
    run.model.dispose();
  }
}

function prefix(before: string, values: Record<string, Float32Array>, after: string): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(values).map(([name, v]) => [`${before}${name}${after}`, v]));
}

/**
 * `strata snr`: the gradient-SNR sweep on a trained run (its parameters, its
 * data) or on a model file (its initial parameters, a dataset by spec), over
 * a seeded random minibatch of the training split held fixed.
 */
import { stat } from 'node:fs/promises';
import { evaluationData, randomRowSubset } from './evaluate-run.js';
import { gradientSnrSweep, type SnrSweep, type SnrSweepOptions } from './gradient-snr-sweep.js';
import { loadModel } from './load-model.js';
import { openRun } from './open-run.js';
import { checkModelFitsData, loadRunData, rowsOf, type DataSpec } from './run-data.js';
import type { StrataModel } from './strata-model.js';

export interface SnrRunOptions extends Omit<SnrSweepOptions, 'seed'> {
  /** Rows in the fixed minibatch, drawn from the training split (seeded by `seed`). */
  readonly batch: number;
  readonly seed: number;
  /** For a run: another dataset or data directory; for a model file: the dataset (default natural patches). */
  readonly data?: Partial<DataSpec>;
  /** For a model file: the parameter-initialization seed (default `seed`). */
  readonly initSeed?: number;
  readonly backend?: string;
}

export interface SnrRunResult extends SnrSweep {
  /** What was measured: the run or model, the parameters, the minibatch. */
  readonly target: string;
  readonly dataset: string;
  readonly batch: number;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** Opens a run directory or compiles a model file, with the data spec to measure on. */
async function open(target: string, options: SnrRunOptions): Promise<{ model: StrataModel; data: DataSpec; what: string }> {
  const backend = options.backend ? { backend: options.backend } : {};
  if (await isDirectory(target)) {
    const run = await openRun(target, backend);
    return { model: run.model, data: evaluationData(run.data, options.data), what: `run ${target} (trained parameters, epoch ${run.model.position.epoch})` };
  }
  const initSeed = options.initSeed ?? options.seed;
  const model = await loadModel(target, { seed: initSeed, ...backend });
  return { model, data: { spec: options.data?.spec ?? 'natural', seed: options.seed, ...(options.data?.dataDir ? { dataDir: options.data.dataDir } : {}) }, what: `model ${target} (initial parameters, seed ${initSeed})` };
}

/** Runs the sweep; the model is disposed before returning. */
export async function snrRun(target: string, options: SnrRunOptions): Promise<SnrRunResult> {
  const { model, data, what } = await open(target, options);
  try {
    const dataset = await loadRunData(data);
    checkModelFitsData(model.ir, target, dataset);
    const rows = randomRowSubset(dataset.train, options.batch, options.seed);
    const sweep = await gradientSnrSweep(model, { [model.ir.data[0]!.name]: rowsOf(rows) }, { ...options, seed: options.seed });
    return { ...sweep, target: what, dataset: `${dataset.description}; a seeded random minibatch of ${rows.rows} training rows`, batch: rows.rows };
  } finally {
    model.dispose();
  }
}

/**
 * Opens a run directory for evaluation or sampling: its model copy, its
 * checkpointed parameters and the data spec it was trained with.
 */
import { join } from 'node:path';
import { loadCheckpoint, restoreInto } from './checkpoint/checkpoint.js';
import { compileModel } from './load-model.js';
import { readSourceFile } from './load-source.js';
import type { DataSpec } from './run-data.js';
import { UserError } from '../util/user-error.js';
import type { StrataModel } from './strata-model.js';
import { MODEL_COPY } from './training-run.js';

export interface OpenedRun {
  readonly model: StrataModel;
  /** The data spec recorded at training time. */
  readonly data: DataSpec;
  readonly objective: string;
  readonly k: number | undefined;
}

/**
 * Opens a run directory written by `strata train` (or `runTraining`): compiles
 * its copy of the model (`model.ppl`, checked against the SHA-256 in
 * `run.json`) with the guide it trained and restores the newest complete
 * checkpoint's parameters, ready for `bound`, `sample` and `logWeights`.
 *
 * @param dir the run directory (`--out` of `strata train`)
 * @param options.backend 'node-gpu' | 'node' | 'native' | 'wasm' | 'cpu'; automatic when omitted
 * @returns the model (the caller disposes it), the data spec, objective and k it was trained with
 * @throws UserError when `dir` holds no checkpoint or its model copy no longer matches
 * @example
 * const { model } = await openRun('runs/lg');
 * const logpx = await model.bound({ x: testX }, { k: 1000 }); // Float32Array, one value per row
 * model.dispose();
 */
export async function openRun(dir: string, options: { backend?: string } = {}): Promise<OpenedRun> {
  const loaded = await loadCheckpoint(dir);
  const modelPath = join(dir, MODEL_COPY);
  const source = await readSourceFile(modelPath);
  const model = await compileModel(source, { fileName: modelPath, guide: loaded.runInfo.model.guide, ...(options.backend ? { backend: options.backend } : {}) });
  try {
    await restoreInto(model, loaded, { source });
  } catch (e) {
    model.dispose();
    throw e;
  }
  const options_ = loaded.runInfo.options;
  const data = options_.data as unknown as DataSpec | undefined;
  if (typeof data?.spec !== 'string' || !Number.isSafeInteger(data.seed)) {
    model.dispose();
    throw new UserError(`${dir}/run.json records no dataset (it was saved through the library API); pass --data`);
  }
  return { model, data, objective: options_.objective, k: options_.k };
}

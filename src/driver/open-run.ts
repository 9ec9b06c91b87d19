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

/** Loads `dir`'s model and parameters (the caller disposes the model). */
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

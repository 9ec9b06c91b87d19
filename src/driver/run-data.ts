/**
 * The data of a run: the dataset a spec names, checked against what the
 * model observes before any training starts.
 */
import { loadDataset, type LoadedDataset } from '../data/load-dataset.js';
import type { Matrix } from '../data/matrix.js';
import { shapeSize, type IrModel } from '../ir/ir.js';
import { UserError } from '../util/user-error.js';

/** How a run names its data (recorded in run.json so eval and resume find the same split). */
export interface DataSpec {
  readonly spec: string;
  readonly dataDir?: string;
  readonly train?: number;
  readonly test?: number;
  readonly seed: number;
}

/**
 * Checks that `dataset` fits the model: one observed variable whose length is
 * the dataset's number of columns, and binary data for a binary variable.
 */
export function checkModelFitsData(ir: IrModel, modelName: string, dataset: LoadedDataset): void {
  if (ir.data.length !== 1) {
    throw new UserError(`${modelName} observes ${ir.data.length} variables (${ir.data.map((d) => d.name).join(', ')}); datasets from --data provide one`);
  }
  const variable = ir.data[0]!;
  const width = shapeSize(variable.shape); // an image [h, w, c] takes rows of h·w·c values, row-major
  const dims = variable.shape.join(', ');
  if (dataset.train.cols !== width) {
    throw new UserError(`${modelName} observes ${variable.name}: ${variable.element}[${dims}] but dataset '${dataset.name}' has rows of ${dataset.train.cols} values`);
  }
  if (variable.element === 'binary' && dataset.element !== 'binary') {
    throw new UserError(`${modelName} observes ${variable.name} as binary[${dims}] but dataset '${dataset.name}' is real-valued; use a binarized dataset (e.g. mnist:binarized) or declare ${variable.name}: real[${dims}]`);
  }
}

/** Loads the data a spec names. */
export function loadRunData(data: DataSpec): Promise<LoadedDataset> {
  return loadDataset(data.spec, {
    seed: data.seed,
    ...(data.dataDir === undefined ? {} : { dataDir: data.dataDir }),
    ...(data.train === undefined ? {} : { train: data.train }),
    ...(data.test === undefined ? {} : { test: data.test }),
  });
}

/** The first `count` rows of a matrix (all when undefined), as `{ values, shape }` for the model API. */
export function rowsOf(m: Matrix, count?: number): { values: Float32Array; shape: [number, number] } {
  const rows = count === undefined ? m.rows : Math.min(count, m.rows);
  return { values: m.values.subarray(0, rows * m.cols), shape: [rows, m.cols] };
}

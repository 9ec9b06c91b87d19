/**
 * `file:PATH` datasets: a `.npy` file, a `.csv` file of numbers, or a raw
 * `.f32` / `.u8` file with its `.json` header (`readArrayFile` picks the
 * reader by extension: the one place a format is registered). Row i is the
 * i-th entry along the first axis; the other axes are flattened in C order
 * (cols = product of the remaining dims). Rows are split into train and test
 * by a seeded permutation.
 */
import { fileError, DataError } from './data-error.js';
import type { Matrix } from './matrix.js';
import { readCsv } from './csv.js';
import { readNpy } from './npy.js';
import { dtypeFromExtension, readRawArray, type RawArray } from './raw-array.js';
import { Rng, STREAM, assertSeed } from './rng.js';

export interface FileDatasetOptions {
  readonly seed: number;
  /** Share of rows held out for test (default 0.1). */
  readonly testFraction?: number;
  /** Keep only this many training / test rows (default all). */
  readonly train?: number;
  readonly test?: number;
  readonly verify?: boolean;
}

export interface FileDataset {
  readonly train: Matrix;
  readonly test: Matrix;
  readonly element: 'real' | 'binary';
  readonly shape: readonly number[];
  readonly dtype: RawArray['dtype'];
  /** How the file stored its values when that was not `dtype` (`float64` for a '<f8' .npy). */
  readonly convertedFrom?: string;
}

/** Reads a `.npy`, `.csv` or raw array file, chosen by extension. */
export async function readArrayFile(path: string, verify?: boolean): Promise<RawArray> {
  if (path.endsWith('.npy')) return readNpy(path);
  if (path.endsWith('.csv')) return readCsv(path);
  if (dtypeFromExtension(path) !== undefined) return readRawArray(path, verify === undefined ? {} : { verify });
  throw fileError(path, 'unsupported file type (expected .npy, .csv, or .f32 / .u8 with a .json header beside it)');
}

function gather(data: Float32Array | Uint8Array, rows: Int32Array, cols: number): Matrix {
  const values = new Float32Array(rows.length * cols);
  for (let i = 0; i < rows.length; i++) {
    const from = rows[i]! * cols;
    for (let j = 0; j < cols; j++) values[i * cols + j] = data[from + j]!;
  }
  return { values, rows: rows.length, cols };
}

function limit(name: string, want: number | undefined, have: number, path: string): number {
  if (want === undefined) return have;
  if (!Number.isSafeInteger(want) || want < 0) throw new DataError(`${name} must be a non-negative integer, got ${want}`);
  if (want > have) throw fileError(path, `asked for ${want} ${name} rows but the split has only ${have}`);
  return want;
}

/**
 * Loads a file as a dataset with a seeded train/test split of its rows.
 *
 * @returns `train` and `test` matrices `[n, cols]`; `element` is 'binary' when every value is 0 or 1
 * @example const d = await loadFileDataset('x.npy', { seed: 0 }); // 90% / 10% of the rows
 */
export async function loadFileDataset(path: string, options: FileDatasetOptions): Promise<FileDataset> {
  assertSeed(options.seed);
  const testFraction = options.testFraction ?? 0.1;
  if (!(testFraction > 0 && testFraction < 1)) throw new DataError(`testFraction must be in (0, 1), got ${testFraction}`);
  const raw = await readArrayFile(path, options.verify);
  const rows = raw.shape[0];
  if (raw.shape.length === 0 || rows === undefined) throw fileError(path, 'a 0-dimensional array has no rows');
  if (rows < 2) throw fileError(path, `needs at least 2 rows to split into train and test, found ${rows}`);
  const cols = raw.data.length / rows;
  const nTest = Math.min(rows - 1, Math.max(1, Math.round(testFraction * rows)));
  const order = new Rng(options.seed, STREAM.shuffle).permutation(rows);
  const testRows = order.subarray(0, limit('test', options.test, nTest, path));
  const trainRows = order.subarray(nTest, nTest + limit('train', options.train, rows - nTest, path));
  const binary = raw.data.every((v) => v === 0 || v === 1);
  const convertedFrom = raw.header['descr'] === '<f8' ? 'float64' : raw.header['source'] === 'csv' ? 'csv text' : undefined;
  return {
    train: gather(raw.data, trainRows, cols), test: gather(raw.data, testRows, cols), element: binary ? 'binary' : 'real', shape: raw.shape, dtype: raw.dtype,
    ...(convertedFrom === undefined ? {} : { convertedFrom }),
  };
}

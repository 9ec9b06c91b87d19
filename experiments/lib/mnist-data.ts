/**
 * MNIST for the reproductions: the data directory's `mnist/` folder of
 * LeCun's idx files, binarized dynamically (every pixel ~ Bernoulli(intensity),
 * the training set redrawn each epoch; Burda et al. 2016), with error
 * messages that name the reproduction, the missing file and the directory.
 */
import { join } from 'node:path';
import { loadDataset, type LoadedDataset, type Matrix } from '../../src/data/index.js';
import { MNIST_FILES, MNIST_FOLDER } from '../../src/data/mnist.js';
import { findDataFilesFor } from './data-files.js';

/** The four files, relative to the data directory. */
export const MNIST_PATHS: readonly string[] = [MNIST_FILES.train.images, MNIST_FILES.train.labels, MNIST_FILES.test.images, MNIST_FILES.test.labels].map((f) => join(MNIST_FOLDER, f));

/**
 * The data directory that holds MNIST, checked before anything trains.
 *
 * @param experiment the reproduction's name, first in every message (`burda-mnist`)
 * @param dataDir `--data DIR`, else $STRATA_DATA, else ../shared/data (docs/data.md)
 * @throws UserError naming the missing file and the directory it looked in (and how that was chosen)
 */
export function findMnistDirFor(experiment: string, dataDir?: string): string {
  return findDataFilesFor(experiment, MNIST_PATHS, dataDir);
}

/**
 * Loads mnist:dynamic: `intensities.train` to redraw each epoch, `test` one
 * fixed draw (seeded), both optionally seeded random subsets.
 */
export async function loadMnist(dir: string, options: { seed: number; trainRows?: number; testRows?: number }): Promise<LoadedDataset> {
  return loadDataset('mnist:dynamic', {
    seed: options.seed,
    dataDir: dir,
    ...(options.trainRows === undefined ? {} : { train: options.trainRows }),
    ...(options.testRows === undefined ? {} : { test: options.testRows }),
  });
}

/** Every `stride`-th row of `m`, starting at row 0: `count` rows spread over the whole matrix. */
export function everyNthRow(m: Matrix, count: number): Matrix {
  if (count >= m.rows) return m;
  const stride = Math.floor(m.rows / count);
  const values = new Float32Array(count * m.cols);
  for (let i = 0; i < count; i++) values.set(m.values.subarray(i * stride * m.cols, (i * stride + 1) * m.cols), i * m.cols);
  return { values, rows: count, cols: m.cols };
}

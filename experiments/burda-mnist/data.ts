/**
 * The data of the reproduction: MNIST binarized dynamically (Burda et al.
 * 2016: every pixel ~ Bernoulli(intensity), the training set redrawn each
 * epoch), from the data directory's `mnist/` folder of LeCun's idx files.
 * The code is shared with the other MNIST reproductions: ../lib/mnist-data.ts.
 */
import { findMnistDirFor } from '../lib/mnist-data.js';

export { MNIST_PATHS, loadMnist } from '../lib/mnist-data.js';

/**
 * The data directory that holds MNIST, checked before anything trains.
 *
 * @param dataDir `--data DIR`, else $STRATA_DATA, else ../shared/data (docs/data.md)
 * @throws UserError naming the missing file and the directory it looked in (and how that was chosen)
 */
export function findMnistDir(dataDir?: string): string {
  return findMnistDirFor('burda-mnist', dataDir);
}

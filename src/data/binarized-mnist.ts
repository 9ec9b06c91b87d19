/**
 * The fixed binarized MNIST of Larochelle & Murray (2011) (stochastic
 * binarization of Salakhutdinov & Murray 2008): 50,000 train, 10,000 valid
 * and 10,000 test images of 784 = 28 x 28 pixels, 1 = ink. Stored as
 * `binarized_mnist_<split>.bits` (98 bytes per image, MSB first) with counts
 * and sha256s in `binarized_mnist.json` (see shared/data/README.md, sec. 4).
 */
import { join } from 'node:path';
import { fileError } from './data-error.js';
import { packedStride, unpackBits } from './bits.js';
import { readWholeFile, sizeProblem, verifySha256 } from './file-io.js';
import type { Matrix } from './matrix.js';

export type BinarizedSplit = 'train' | 'valid' | 'test';

/** Pixels per image (28 x 28). */
export const MNIST_PIXELS = 784;

/** The folder under the data directory and the name of its index file. */
export const BINARIZED_MNIST_FOLDER = 'binarized_mnist';
export const BINARIZED_MNIST_INDEX = 'binarized_mnist.json';

interface SplitEntry {
  readonly file: string;
  readonly n: number;
  readonly bytes?: number;
  readonly sha256?: string;
}

function splitEntry(indexPath: string, index: unknown, split: BinarizedSplit): SplitEntry {
  const files = (index as { files?: Record<string, unknown> } | null)?.files;
  const entry = files?.[split] as Partial<SplitEntry> | undefined;
  if (entry === undefined || typeof entry.file !== 'string' || !Number.isSafeInteger(entry.n) || (entry.n as number) < 0) {
    throw fileError(indexPath, `no valid entry files.${split} with "file" and "n"`);
  }
  return entry as SplitEntry;
}

/**
 * Reads one split of binarized MNIST as a `[n, 784]` matrix of 0/1 values.
 *
 * @param folder the `binarized_mnist` folder (holding binarized_mnist.json)
 * @param split 'train' (50,000), 'valid' (10,000) or 'test' (10,000)
 * @param options `verify: false` skips the sha256 check
 * @throws DataError naming the file: missing header/file, truncated file, checksum mismatch
 * @example const test = await readBinarizedMnist('/data/binarized_mnist', 'test'); // test.rows === 10000
 */
export async function readBinarizedMnist(folder: string, split: BinarizedSplit, options: { verify?: boolean } = {}): Promise<Matrix> {
  const indexPath = join(folder, BINARIZED_MNIST_INDEX);
  const indexText = (await readWholeFile(indexPath, 'header')).toString('utf8');
  let index: unknown;
  try {
    index = JSON.parse(indexText);
  } catch (error) {
    throw fileError(indexPath, `header is not valid JSON (${(error as Error).message})`, error);
  }
  const entry = splitEntry(indexPath, index, split);
  const path = join(folder, entry.file);
  const stride = packedStride(MNIST_PIXELS);
  const need = entry.n * stride;
  if (entry.bytes !== undefined && entry.bytes !== need) {
    throw fileError(indexPath, `files.${split}.bytes is ${entry.bytes} but ${entry.n} images of ${stride} bytes need ${need}`);
  }
  const bytes = await readWholeFile(path);
  if (bytes.length !== need) throw fileError(path, sizeProblem(need, bytes.length));
  if (entry.sha256 !== undefined && options.verify !== false) verifySha256(path, bytes, entry.sha256);
  const values = unpackBits(bytes, entry.n, MNIST_PIXELS, new Float32Array(entry.n * MNIST_PIXELS));
  return { values, rows: entry.n, cols: MNIST_PIXELS };
}

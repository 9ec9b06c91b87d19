/**
 * MNIST in LeCun's idx format (gzipped) and dynamic binarization.
 *
 * Dynamic binarization (Burda et al. 2016, IWAE, sec. 5): every time the data
 * is used (each epoch), each pixel is redrawn as x ~ Bernoulli(intensity / 255),
 * so the model never sees one fixed binarization. `binarize` does one draw.
 */
import { join } from 'node:path';
import { DataError, fileError } from './data-error.js';
import { readIdx } from './idx.js';
import type { Matrix } from './matrix.js';
import { assertSeed, Rng } from './rng.js';

export type MnistSplit = 'train' | 'test';

/** The folder under the data directory. */
export const MNIST_FOLDER = 'mnist';

/** File names, sizes and sha256s of the canonical LeCun files (shared/data/README.md, sec. 3). */
export const MNIST_FILES: Readonly<Record<MnistSplit, { images: string; labels: string; count: number; imagesSha256: string; labelsSha256: string }>> = {
  train: {
    images: 'train-images-idx3-ubyte.gz',
    labels: 'train-labels-idx1-ubyte.gz',
    count: 60000,
    imagesSha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
    labelsSha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
  },
  test: {
    images: 't10k-images-idx3-ubyte.gz',
    labels: 't10k-labels-idx1-ubyte.gz',
    count: 10000,
    imagesSha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
    labelsSha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
  },
};

/** MNIST images as bytes (0..255, row-major `[count, height, width]`) and their labels (0..9). */
export interface MnistImages {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
}

/**
 * Reads one MNIST split from `folder` (the `mnist` folder of the data directory).
 *
 * @param options `verify: false` skips the sha256 checks (needed for non-canonical files)
 * @returns `count` images of `height x width` bytes and `count` labels
 * @example const { images, count } = await readMnist('/data/mnist', 'train'); // count === 60000
 */
export async function readMnist(folder: string, split: MnistSplit, options: { verify?: boolean } = {}): Promise<MnistImages> {
  const f = MNIST_FILES[split];
  const verify = options.verify !== false;
  const imagesPath = join(folder, f.images);
  const labelsPath = join(folder, f.labels);
  const images = await readIdx(imagesPath, { rank: 3, ...(verify ? { sha256: f.imagesSha256 } : {}) });
  const labels = await readIdx(labelsPath, { rank: 1, ...(verify ? { sha256: f.labelsSha256 } : {}) });
  const [count, height, width] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) throw fileError(labelsPath, `has ${labels.dims[0]} labels but ${imagesPath} has ${count} images`);
  const bad = labels.data.findIndex((l) => l > 9);
  if (bad >= 0) throw fileError(labelsPath, `label ${labels.data[bad]} at index ${bad} is not a digit 0..9`);
  return { images: images.data, labels: labels.data, count, height, width };
}

/**
 * Pixel intensities in [0, 1]: `value / 255`, as a `[count, pixels]` matrix.
 *
 * @param images bytes, `count * pixels` of them
 */
export function intensities(images: Uint8Array, count: number): Matrix {
  const cols = count === 0 ? 0 : images.length / count;
  if (!Number.isInteger(cols)) throw new DataError(`intensities: ${images.length} bytes are not ${count} equal images`);
  const values = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) values[i] = images[i]! / 255;
  return { values, rows: count, cols };
}

/**
 * One dynamic binarization: x_ij ~ Bernoulli(p_ij) independently, with
 * p = the intensities in [0, 1] (Burda et al. 2016). Same seed, same draw.
 *
 * @param probabilities `[n, d]` intensities in [0, 1]
 * @param seed any safe integer (0 included); use a new one per epoch
 * @param stream independent sequence of that seed (default 0)
 * @returns `[n, d]` matrix of 0/1 values
 * @example const x = binarize(intensities(images, count), epoch);
 */
export function binarize(probabilities: Matrix, seed: number, stream = 0): Matrix {
  assertSeed(seed);
  const rng = new Rng(seed, stream);
  const p = probabilities.values;
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const q = p[i]!;
    if (!(q >= 0 && q <= 1)) throw new DataError(`binarize: probability ${q} at index ${i} is not in [0, 1]`);
    // uint32 / 2^32 is uniform on [0, 1); 32 bits are plenty for p = k / 255.
    out[i] = rng.uint32() / 4294967296 < q ? 1 : 0;
  }
  return { values: out, rows: probabilities.rows, cols: probabilities.cols };
}

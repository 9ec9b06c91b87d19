/**
 * One entry point for every dataset name: `loadDataset('natural:olshausen',
 * { seed: 0 })` -> train and test matrices, labels where there are any, the
 * element type for the model's likelihood, and a one-line description.
 */
import { join, resolve } from 'node:path';
import { BINARIZED_MNIST_FOLDER, readBinarizedMnist } from './binarized-mnist.js';
import { findDataDir, type FindDataDirOptions, requireDataDir } from './data-dir.js';
import { DataError } from './data-error.js';
import { type DatasetSpec, datasetName, parseDatasetSpec } from './dataset-spec.js';
import { loadFileDataset } from './file-dataset.js';
import { fileSize } from './file-io.js';
import { selectRows, type Matrix } from './matrix.js';
import { binarize, intensities, MNIST_FOLDER, readMnist } from './mnist.js';
import { NATURAL_FILES, naturalPatches } from './natural.js';
import type { PatchInfo } from './patches.js';
import { assertSeed, Rng, STREAM } from './rng.js';
import { texturePatches } from './textures.js';

/** Default numbers of patches (the thesis used 640,000 and 64,000: pass them explicitly). */
export const DEFAULT_PATCH_COUNTS = { train: 20000, test: 2000 } as const;

export interface LoadDatasetOptions extends FindDataDirOptions {
  /** Seed of splits, crops and binarization (any safe integer, 0 included). */
  readonly seed: number;
  // dataDir (explicit data directory), env, cwd, packageRoot: the data-directory lookup (see `findDataDir`).
  /** Number of training / test rows (patches: default 20,000 / 2,000; MNIST and files: all, or the first n). */
  readonly train?: number;
  readonly test?: number;
  /** Patch side for natural and texture patches (default 20). */
  readonly patchSize?: number;
  /** Patches: block side of the region split (default `defaultBlockSize`). */
  readonly blockSize?: number;
  /** Share held out for test: of each image's blocks for patches (default 0.2), of the rows for files (default 0.1). */
  readonly testFraction?: number;
  /** Check sha256s (default true). */
  readonly verify?: boolean;
}

export interface LoadedDataset {
  /** `[nTrain, d]` and `[nTest, d]`, row-major. */
  readonly train: Matrix;
  readonly test: Matrix;
  /** Binarized MNIST's validation split. */
  readonly valid?: Matrix;
  /** Class of each row (textures: texture class; MNIST: digit), indices into `classes`. */
  readonly labels?: { readonly train: Int32Array; readonly test: Int32Array };
  readonly classes?: readonly string[];
  /** 'binary' for 0/1 data (Bernoulli likelihoods), else 'real'. */
  readonly element: 'real' | 'binary';
  /** Each row as an image: `[height, width]` (patches, MNIST). */
  readonly imageShape?: readonly [number, number];
  /** mnist:dynamic: the intensities in [0, 1]; redraw `binarize(intensities.train, epochSeed)` each epoch. */
  readonly intensities?: { readonly train: Matrix; readonly test: Matrix };
  /** Patches: the split and crop bookkeeping. */
  readonly info?: PatchInfo;
  /** One line: the dataset, sizes, and any fallback notice. */
  readonly description: string;
  /** The canonical dataset name. */
  readonly name: string;
}

/** A row subset: the rows kept (ascending) of how many. */
interface Subset {
  readonly matrix: Matrix;
  readonly indices?: Int32Array;
  readonly of: number;
}

/**
 * `n` rows of `m` chosen at random (the first n of a seeded permutation, kept
 * in file order), or all rows when `n` is undefined. Never the first n: MNIST's
 * files are sorted by class in places, and the first 2,000 test digits score
 * ~20 nats better than a random 2,000. Subsets are nested: the rows of
 * `--test 1000` are among those of `--test 2000` for the same seed.
 */
function take(m: Matrix, n: number | undefined, what: 'train' | 'test', seed: number): Subset {
  if (n === undefined || n === m.rows) return { matrix: m, of: m.rows };
  if (!Number.isSafeInteger(n) || n < 0) throw new DataError(`${what} must be a non-negative integer, got ${n}`);
  if (n > m.rows) throw new DataError(`asked for ${n} ${what} rows but the dataset has only ${m.rows}`);
  const indices = new Rng(seed, what === 'train' ? STREAM.subsetTrain : STREAM.subsetTest).permutation(m.rows).slice(0, n).sort();
  return { matrix: selectRows(m, indices), indices, of: m.rows };
}

/** " (train: a seeded random 2000 of 60000; test: ...)" for the splits that were subsampled. */
function subsetNote(train: Subset, test: Subset): string {
  const parts = Object.entries({ train, test }).flatMap(([name, s]) => (s.indices ? [`${name}: a seeded random ${s.matrix.rows} of ${s.of}`] : []));
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
}

const labelsOf = (labels: Uint8Array, subset: Subset): Int32Array => (subset.indices ? Int32Array.from(subset.indices, (i) => labels[i]!) : Int32Array.from(labels.subarray(0, subset.of)));

const splitOptions = (o: LoadDatasetOptions): { blockSize?: number; testFraction?: number } => ({
  ...(o.blockSize === undefined ? {} : { blockSize: o.blockSize }),
  ...(o.testFraction === undefined ? {} : { testFraction: o.testFraction }),
});

const sizes = (d: { train: Matrix; test: Matrix }): string => `${d.train.rows} train / ${d.test.rows} test rows of ${d.train.cols}`;

async function loadNatural(spec: Extract<DatasetSpec, { kind: 'natural' }>, options: LoadDatasetOptions): Promise<LoadedDataset> {
  let source = spec.source;
  let dataDir: string | undefined;
  let notice = '';
  if (source === 'auto') {
    const lookup = findDataDir(options);
    dataDir = lookup.dir;
    const file = dataDir === undefined ? undefined : join(dataDir, NATURAL_FILES.olshausen.path);
    if (file !== undefined && (await fileSize(file)) !== undefined) source = 'olshausen';
    else {
      source = 'deadleaves';
      const where = file ?? lookup.looked.join(', ');
      notice = `; note: Olshausen images not found (looked in ${where}), using procedural dead-leaves images instead (pass --data-dir DIR or set STRATA_DATA=DIR for real images)`;
    }
  } else if (source !== 'deadleaves') {
    dataDir = requireDataDir(findDataDir(options), datasetName(spec));
  }
  const patchSize = options.patchSize ?? 20;
  const set = await naturalPatches({
    source, patchSize, seed: options.seed, ...splitOptions(options),
    train: options.train ?? DEFAULT_PATCH_COUNTS.train, test: options.test ?? DEFAULT_PATCH_COUNTS.test,
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(options.verify === undefined ? {} : { verify: options.verify }),
  });
  return {
    name: datasetName(spec), train: set.train, test: set.test, element: 'real', imageShape: [patchSize, patchSize], info: set.info,
    description: `natural:${source} whitened ${patchSize}x${patchSize} patches, standardized, region-disjoint split: ${sizes(set)}${notice}`,
  };
}

async function loadTextures(spec: Extract<DatasetSpec, { kind: 'textures' }>, options: LoadDatasetOptions): Promise<LoadedDataset> {
  const dataDir = requireDataDir(findDataDir(options), datasetName(spec));
  const patchSize = options.patchSize ?? 20;
  const set = await texturePatches({
    dataDir, scan: spec.scan, patchSize, seed: options.seed, ...splitOptions(options),
    train: options.train ?? DEFAULT_PATCH_COUNTS.train, test: options.test ?? DEFAULT_PATCH_COUNTS.test,
    ...(options.verify === undefined ? {} : { verify: options.verify }),
  });
  return {
    name: datasetName(spec), train: set.train, test: set.test, labels: { train: set.trainLabels, test: set.testLabels }, classes: set.classes,
    element: 'real', imageShape: [patchSize, patchSize], info: set.info,
    description: `textures:${spec.scan} whitened ${patchSize}x${patchSize} patches of ${set.classes.join(', ')}, standardized, region-disjoint split: ${sizes(set)}`,
  };
}

async function loadMnist(spec: Extract<DatasetSpec, { kind: 'mnist' }>, options: LoadDatasetOptions): Promise<LoadedDataset> {
  const dataDir = requireDataDir(findDataDir(options), datasetName(spec));
  const verify = options.verify === undefined ? {} : { verify: options.verify };
  if (spec.binarization === 'fixed') {
    const folder = join(dataDir, BINARIZED_MNIST_FOLDER);
    const trainSubset = take(await readBinarizedMnist(folder, 'train', verify), options.train, 'train', options.seed);
    const valid = await readBinarizedMnist(folder, 'valid', verify);
    const testSubset = take(await readBinarizedMnist(folder, 'test', verify), options.test, 'test', options.seed);
    const [train, test] = [trainSubset.matrix, testSubset.matrix];
    return {
      name: datasetName(spec), train, valid, test, element: 'binary', imageShape: [28, 28],
      description: `mnist:binarized (fixed binarization, Larochelle & Murray 2011): ${sizes({ train, test })}${subsetNote(trainSubset, testSubset)}, ${valid.rows} valid`,
    };
  }
  const folder = join(dataDir, MNIST_FOLDER);
  const trainImages = await readMnist(folder, 'train', verify);
  const testImages = await readMnist(folder, 'test', verify);
  const trainSubset = take(intensities(trainImages.images, trainImages.count), options.train, 'train', options.seed);
  const testSubset = take(intensities(testImages.images, testImages.count), options.test, 'test', options.seed);
  const [trainP, testP] = [trainSubset.matrix, testSubset.matrix];
  const train = binarize(trainP, options.seed, STREAM.binarizeTrain);
  const test = binarize(testP, options.seed, STREAM.binarizeTest);
  return {
    name: datasetName(spec), train, test, element: 'binary', imageShape: [trainImages.height, trainImages.width], intensities: { train: trainP, test: testP },
    labels: { train: labelsOf(trainImages.labels, trainSubset), test: labelsOf(testImages.labels, testSubset) },
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    description: `mnist:dynamic (pixels ~ Bernoulli(intensity), redrawn per epoch from .intensities): ${sizes({ train, test })}${subsetNote(trainSubset, testSubset)}`,
  };
}

/**
 * Loads a dataset by name (`parseDatasetSpec`) or parsed spec.
 *
 * @throws DataError for an unknown name, a missing data directory (saying where it looked and how to
 *   point to the data), or a bad file; `natural` instead falls back to dead leaves with a notice in `description`
 * @example const d = await loadDataset('natural', { seed: 0, train: 10000, test: 1000 }); // d.train.cols === 400
 */
export async function loadDataset(spec: string | DatasetSpec, options: LoadDatasetOptions): Promise<LoadedDataset> {
  assertSeed(options.seed);
  const parsed = typeof spec === 'string' ? parseDatasetSpec(spec) : spec;
  switch (parsed.kind) {
    case 'natural':
      return loadNatural(parsed, options);
    case 'textures':
      return loadTextures(parsed, options);
    case 'mnist':
      return loadMnist(parsed, options);
    case 'file': {
      const d = await loadFileDataset(resolve(options.cwd ?? process.cwd(), parsed.path), {
        seed: options.seed,
        ...(options.testFraction === undefined ? {} : { testFraction: options.testFraction }),
        ...(options.train === undefined ? {} : { train: options.train }),
        ...(options.test === undefined ? {} : { test: options.test }),
        ...(options.verify === undefined ? {} : { verify: options.verify }),
      });
      return { name: datasetName(parsed), train: d.train, test: d.test, element: d.element, description: `file ${parsed.path} (${d.convertedFrom ? `${d.convertedFrom} converted to ${d.dtype}` : d.dtype} [${d.shape.join(', ')}], ${d.element}), seeded row split: ${sizes(d)}` };
    }
  }
}

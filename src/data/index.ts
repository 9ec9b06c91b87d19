/**
 * Data sets for Strata, as plain matrices (no tfjs): readers for the files in
 * shared/data (raw arrays with JSON headers, MNIST idx, packed binarized
 * MNIST, .npy), the natural-image and texture patch pipeline (whitening,
 * region split, crops, standardization), the dead-leaves generator, and
 * `loadDataset` for the command line's dataset names. See docs/data.md.
 */
export { DataError } from './data-error.js';
export { type Matrix, matrix, selectRows, headRows } from './matrix.js';
export { Rng, assertSeed } from './rng.js';
export { sha256File, sha256Hex } from './file-io.js';
export { readRawArray, type RawArray, type RawDtype, type ReadRawOptions } from './raw-array.js';
export { readNpy, encodeNpy } from './npy.js';
export { readIdx, decodeIdx, encodeIdx, type IdxArray } from './idx.js';
export { packBits, unpackBits } from './bits.js';
export { readBinarizedMnist, type BinarizedSplit } from './binarized-mnist.js';
export { readMnist, intensities, binarize, type MnistImages, type MnistSplit } from './mnist.js';
export { fft, fft2d, isPowerOfTwo, nextPowerOfTwo } from './fft.js';
export { type ImageStack, imageStack } from './image-stack.js';
export { whiteningFilter, whitenStack } from './whiten.js';
export { type Block, type Crops, splitBlocks, sampleCrops } from './regions.js';
export { moments, standardizeInPlace, type Moments } from './standardize.js';
export { patchesFromStack, cutPatches, defaultBlockSize, type PatchInfo, type PatchOptions, type PatchSet } from './patches.js';
export { deadLeaves, type DeadLeavesOptions } from './dead-leaves.js';
export { naturalPatches, naturalImages, NATURAL_SOURCES, type NaturalSource, type NaturalPatchOptions } from './natural.js';
export { texturePatches, DEFAULT_TEXTURE_CLASSES, type TexturePatchOptions, type TexturePatchSet, type TextureScan } from './textures.js';
export { findDataDir, type DataDirLookup } from './data-dir.js';
export { parseDatasetSpec, datasetName, DATASET_NAMES, type DatasetSpec } from './dataset-spec.js';
export { loadFileDataset } from './file-dataset.js';
export { loadDataset, DEFAULT_PATCH_COUNTS, type LoadDatasetOptions, type LoadedDataset } from './load-dataset.js';

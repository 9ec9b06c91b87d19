/**
 * The patch pipeline shared by natural images and textures (thesis sec. 5.1):
 * whitened image stack -> train/test regions (`regions.ts`) -> seeded square
 * crops inside the regions -> standardization with the training patches'
 * global mean and std (`standardize.ts`).
 */
import { DataError } from './data-error.js';
import { type ImageStack, validRowsOf } from './image-stack.js';
import type { Matrix } from './matrix.js';
import { type Block, concatCrops, type Crops, sampleCrops, splitBlocks } from './regions.js';
import { Rng, STREAM, assertSeed } from './rng.js';
import { moments, standardizeInPlace } from './standardize.js';

export interface PatchOptions {
  /** Patch side in pixels (default 20: 20 x 20 patches, 400 columns). */
  readonly patchSize?: number;
  /** Number of training patches. */
  readonly train: number;
  /** Number of test patches. */
  readonly test: number;
  /** Seed of the split and the crops (any safe integer, 0 included). */
  readonly seed: number;
  /** Side of the split's blocks in pixels (default `defaultBlockSize`: 64 for images of 128 pixels and more). */
  readonly blockSize?: number;
  /** Share of each image's blocks held out for test (default 0.2). */
  readonly testFraction?: number;
  /** Draw the same number of patches from every image (textures: one image per class). */
  readonly balanceImages?: boolean;
}

/** How a patch set was made: enough to redraw it and to check the split. */
export interface PatchInfo {
  readonly patchSize: number;
  readonly blockSize: number;
  readonly testFraction: number;
  readonly seed: number;
  readonly images: number;
  readonly height: number;
  readonly width: number;
  /** Every block of every image with its split. */
  readonly blocks: readonly Block[];
  /** Corner of each training patch (row i of `train`). */
  readonly trainCrops: Crops;
  /** Corner of each test patch (row i of `test`). */
  readonly testCrops: Crops;
  /** Training statistics used to standardize both sets (of the whitened pixels). */
  readonly mean: number;
  readonly std: number;
}

export interface PatchSet {
  readonly train: Matrix;
  readonly test: Matrix;
  readonly info: PatchInfo;
}

/** Copies the `patchSize x patchSize` crops out of a stack: one row-major patch per row. */
export function cutPatches(stack: ImageStack, crops: Crops, patchSize: number): Matrix {
  const cols = patchSize * patchSize;
  const n = crops.image.length;
  const values = new Float32Array(n * cols);
  const { height, width } = stack;
  for (let i = 0; i < n; i++) {
    const k = crops.image[i]!;
    const r0 = crops.row[i]!;
    const c0 = crops.col[i]!;
    if (r0 < 0 || c0 < 0 || r0 + patchSize > validRowsOf(stack, k) || c0 + patchSize > width) {
      throw new DataError(`crop ${i} at (${r0}, ${c0}) of image ${k} does not fit in its usable area`);
    }
    for (let r = 0; r < patchSize; r++) {
      const from = (k * height + r0 + r) * width + c0;
      values.set(stack.values.subarray(from, from + patchSize), i * cols + r * patchSize);
    }
  }
  return { values, rows: n, cols };
}

/**
 * Default block side: min(64, half the smallest usable image side), but at
 * least the patch size. Blocks of 64 give a 512 x 512 image 64 blocks, each
 * with 45 x 45 positions for a 20 x 20 crop.
 */
export function defaultBlockSize(stack: ImageStack, patchSize: number): number {
  let side = stack.width;
  for (let k = 0; k < stack.count; k++) side = Math.min(side, validRowsOf(stack, k));
  return Math.max(patchSize, Math.min(64, Math.floor(side / 2)));
}

function checkCount(name: string, n: unknown): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new DataError(`${name} must be a non-negative integer number of patches, got ${String(n)}`);
}

/** Draws `count` crops from the blocks of one split, per image when balanced, then shuffles them. */
function drawCrops(blocks: readonly Block[], images: number, count: number, patchSize: number, balance: boolean, rng: Rng): Crops {
  if (!balance) return sampleCrops(blocks, count, patchSize, rng);
  const parts: Crops[] = [];
  for (let k = 0; k < images; k++) {
    const share = Math.floor(count / images) + (k < count % images ? 1 : 0);
    parts.push(sampleCrops(blocks.filter((b) => b.image === k), share, patchSize, rng));
  }
  const all = concatCrops(parts);
  const order = rng.permutation(count);
  return { image: all.image.map((_, i) => all.image[order[i]!]!), row: all.row.map((_, i) => all.row[order[i]!]!), col: all.col.map((_, i) => all.col[order[i]!]!) };
}

/**
 * Cuts standardized train and test patches from an (already whitened) stack.
 *
 * @returns `train` `[options.train, patchSize^2]`, `test` `[options.test, patchSize^2]`, and `info`
 * @example const { train, test } = patchesFromStack(whitenStack(stack), { train: 1000, test: 100, seed: 0 });
 */
export function patchesFromStack(stack: ImageStack, options: PatchOptions): PatchSet {
  const patchSize = options.patchSize ?? 20;
  if (!Number.isInteger(patchSize) || patchSize < 1) throw new DataError(`patchSize must be a positive integer, got ${String(patchSize)}`);
  checkCount('train', options.train);
  checkCount('test', options.test);
  assertSeed(options.seed);
  const blockSize = options.blockSize ?? defaultBlockSize(stack, patchSize);
  const testFraction = options.testFraction ?? 0.2;
  const blocks = splitBlocks(stack, patchSize, blockSize, testFraction, new Rng(options.seed, STREAM.split));
  const balance = options.balanceImages ?? false;
  const trainBlocks = blocks.filter((b) => b.split === 'train');
  const testBlocks = blocks.filter((b) => b.split === 'test');
  const trainCrops = drawCrops(trainBlocks, stack.count, options.train, patchSize, balance, new Rng(options.seed, STREAM.trainCrops));
  const testCrops = drawCrops(testBlocks, stack.count, options.test, patchSize, balance, new Rng(options.seed, STREAM.testCrops));
  const train = cutPatches(stack, trainCrops, patchSize);
  const test = cutPatches(stack, testCrops, patchSize);
  const stats = moments(train);
  standardizeInPlace(train, stats);
  standardizeInPlace(test, stats);
  const info: PatchInfo = {
    patchSize, blockSize, testFraction, seed: options.seed, images: stack.count, height: stack.height, width: stack.width,
    blocks, trainCrops, testCrops, mean: stats.mean, std: stats.std,
  };
  return { train, test, info };
}

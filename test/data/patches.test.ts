import { describe, expect, it } from 'vitest';
import { imageStack, type ImageStack } from '../../src/data/image-stack.js';
import { naturalPatches } from '../../src/data/natural.js';
import { cutPatches, patchesFromStack, type PatchInfo } from '../../src/data/patches.js';
import type { Crops } from '../../src/data/regions.js';
import { fixtureBytes, meanVar } from './helpers.js';

/** 3 images of 96 x 128 noise (the pipeline does not care whether they are whitened). */
const STACK: ImageStack = imageStack(fixtureBytes(3 * 96 * 128, 5), [3, 96, 128]);
const OPTIONS = { patchSize: 8, train: 2000, test: 300, seed: 0, blockSize: 24 } as const;

/** Marks every pixel covered by `crops` in one mask per image. */
function coverage(info: PatchInfo, crops: Crops): Uint8Array[] {
  const masks = Array.from({ length: info.images }, () => new Uint8Array(info.height * info.width));
  for (let i = 0; i < crops.image.length; i++) {
    for (let r = 0; r < info.patchSize; r++) {
      for (let c = 0; c < info.patchSize; c++) masks[crops.image[i]!]![(crops.row[i]! + r) * info.width + crops.col[i]! + c] = 1;
    }
  }
  return masks;
}

/** Asserts no pixel is covered by both a training and a test crop, and each crop lies in a block of its split. */
function expectDisjoint(info: PatchInfo): void {
  const train = coverage(info, info.trainCrops);
  const test = coverage(info, info.testCrops);
  let shared = 0;
  train.forEach((mask, k) => mask.forEach((v, p) => (shared += v & test[k]![p]!)));
  expect(shared).toBe(0);
  const misplaced: string[] = [];
  for (const [crops, split] of [[info.trainCrops, 'train'], [info.testCrops, 'test']] as const) {
    for (let i = 0; i < crops.image.length; i++) {
      const inside = info.blocks.filter(
        (b) => b.image === crops.image[i] && crops.row[i]! >= b.top && crops.row[i]! + info.patchSize <= b.top + b.height && crops.col[i]! >= b.left && crops.col[i]! + info.patchSize <= b.left + b.width,
      );
      if (inside.length !== 1 || inside[0]!.split !== split) misplaced.push(`${split} crop ${i}`);
    }
  }
  expect(misplaced).toEqual([]);
}

describe('patchesFromStack', () => {
  const set = patchesFromStack(STACK, OPTIONS);

  it('gives matrices of the requested sizes, one row-major patch per row', () => {
    expect(set.train).toMatchObject({ rows: 2000, cols: 64 });
    expect(set.test).toMatchObject({ rows: 300, cols: 64 });
    // Row 0 is the crop recorded in info, standardized with the recorded statistics.
    const raw = cutPatches(STACK, { image: set.info.trainCrops.image.subarray(0, 1), row: set.info.trainCrops.row.subarray(0, 1), col: set.info.trainCrops.col.subarray(0, 1) }, 8);
    raw.values.forEach((v, j) => expect(set.train.values[j]).toBeCloseTo((v - set.info.mean) / set.info.std, 4));
  });

  it('standardizes with the training statistics: train mean 0, variance 1', () => {
    const train = meanVar(set.train.values);
    expect(Math.abs(train.mean)).toBeLessThan(1e-5);
    expect(Math.abs(train.variance - 1)).toBeLessThan(1e-4);
    // The test set shares the images' distribution (uniform bytes): its moments agree within a few
    // standard errors of 300 patches (crops overlap, so the effective count is smaller: 0.2 is loose).
    const test = meanVar(set.test.values);
    expect(Math.abs(test.mean)).toBeLessThan(0.2);
    expect(Math.abs(test.variance - 1)).toBeLessThan(0.2);
  });

  it('never lets a test patch share a pixel with a training patch', () => {
    expectDisjoint(set.info);
  });

  it('tiles every image with blocks and holds out about testFraction of each', () => {
    const byImage = [0, 1, 2].map((k) => set.info.blocks.filter((b) => b.image === k));
    for (const blocks of byImage) {
      expect(blocks.reduce((s, b) => s + b.height * b.width, 0)).toBe(96 * 128);
      expect(blocks.filter((b) => b.split === 'test')).toHaveLength(Math.round(0.2 * blocks.length));
    }
  });

  it('is reproducible with a seed and changes with it (seed 0 included)', () => {
    const again = patchesFromStack(STACK, OPTIONS);
    expect(again.train.values).toEqual(set.train.values);
    expect(again.test.values).toEqual(set.test.values);
    const other = patchesFromStack(STACK, { ...OPTIONS, seed: 1 });
    expect(other.train.values).not.toEqual(set.train.values);
    expect(other.info.blocks.map((b) => b.split)).not.toEqual(set.info.blocks.map((b) => b.split));
    expectDisjoint(other.info);
  });

  it('balances patches over images when asked', () => {
    const balanced = patchesFromStack(STACK, { ...OPTIONS, train: 301, balanceImages: true });
    const counts = [0, 1, 2].map((k) => balanced.info.trainCrops.image.filter((i) => i === k).length);
    expect(counts).toEqual([101, 100, 100]);
    expectDisjoint(balanced.info);
  });

  it('rejects bad options with messages that name them', () => {
    expect(() => patchesFromStack(STACK, { ...OPTIONS, blockSize: 4 })).toThrow('blockSize must be an integer of at least the patch size 8, got 4');
    expect(() => patchesFromStack(STACK, { ...OPTIONS, blockSize: 100 })).toThrow('image 0 (96 x 128 usable pixels) holds fewer than 2 blocks of 100 pixels');
    expect(() => patchesFromStack(STACK, { ...OPTIONS, testFraction: 1 })).toThrow('testFraction must be in (0, 1), got 1');
    expect(() => patchesFromStack(STACK, { ...OPTIONS, train: -1 })).toThrow('train must be a non-negative integer number of patches, got -1');
    expect(() => patchesFromStack(STACK, { ...OPTIONS, seed: 0.5 })).toThrow('seed must be a safe integer (0 is a valid seed), but got 0.5');
    expect(() => patchesFromStack(STACK, { ...OPTIONS, patchSize: 0 })).toThrow('patchSize must be a positive integer, got 0');
  });
});

describe('naturalPatches on dead leaves (no files)', () => {
  it('runs the whole pipeline: dead leaves -> whitening -> crops -> standardization', async () => {
    const set = await naturalPatches({ source: 'deadleaves', deadLeaves: { count: 2, size: 128 }, train: 500, test: 100, seed: 3 });
    expect(set.train).toMatchObject({ rows: 500, cols: 400 });
    expect(set.test).toMatchObject({ rows: 100, cols: 400 });
    expect(Math.abs(meanVar(set.train.values).mean)).toBeLessThan(1e-5);
    expect(meanVar(set.train.values).variance).toBeCloseTo(1, 4);
    expectDisjoint(set.info);
  });

  it('needs a data directory for the file-backed sources', async () => {
    await expect(naturalPatches({ source: 'olshausen', train: 1, test: 1, seed: 0 })).rejects.toThrow("natural-image source 'olshausen' needs a data directory");
  });
});

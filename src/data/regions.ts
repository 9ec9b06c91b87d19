/**
 * The train/test split by image region. Each image's usable area is tiled by
 * a grid of blocks of about `blockSize` pixels (the grid lines at
 * round(i · H / nRows), so no pixel is left out); per image, a seeded draw
 * assigns round(testFraction · nBlocks) blocks (at least 1, at most
 * nBlocks - 1) to test and the rest to train. Every crop lies inside one
 * block, so no test patch shares a pixel with any training patch.
 */
import { DataError } from './data-error.js';
import { type ImageStack, validRowsOf } from './image-stack.js';
import type { Rng } from './rng.js';

/** One rectangular region of one image, and the split it belongs to. */
export interface Block {
  readonly image: number;
  readonly top: number;
  readonly left: number;
  readonly height: number;
  readonly width: number;
  readonly split: 'train' | 'test';
}

/** Top-left corners of square crops: crop i is image `image[i]`, rows `row[i] ..`, cols `col[i] ..`. */
export interface Crops {
  readonly image: Int32Array;
  readonly row: Int32Array;
  readonly col: Int32Array;
}

/** Grid lines splitting `length` into `parts` nearly equal pieces: [0, ..., length]. */
function cuts(length: number, parts: number): number[] {
  return Array.from({ length: parts + 1 }, (_, i) => Math.round((i * length) / parts));
}

/**
 * Tiles every image into blocks and assigns them to train or test.
 *
 * @param blockSize target block side in pixels (>= patchSize)
 * @param testFraction share of each image's blocks that go to test, in (0, 1)
 * @param rng the split's random stream
 */
export function splitBlocks(stack: ImageStack, patchSize: number, blockSize: number, testFraction: number, rng: Rng): Block[] {
  if (!Number.isInteger(blockSize) || blockSize < patchSize) {
    throw new DataError(`blockSize must be an integer of at least the patch size ${patchSize}, got ${blockSize}`);
  }
  if (!(testFraction > 0 && testFraction < 1)) throw new DataError(`testFraction must be in (0, 1), got ${testFraction}`);
  const blocks: Block[] = [];
  for (let k = 0; k < stack.count; k++) {
    const rows = validRowsOf(stack, k);
    const rowCuts = cuts(rows, Math.floor(rows / blockSize));
    const colCuts = cuts(stack.width, Math.floor(stack.width / blockSize));
    const nBlocks = (rowCuts.length - 1) * (colCuts.length - 1);
    if (nBlocks < 2) {
      throw new DataError(`image ${k} (${rows} x ${stack.width} usable pixels) holds fewer than 2 blocks of ${blockSize} pixels, so it cannot be split into train and test regions; use a smaller blockSize`);
    }
    const nTest = Math.min(nBlocks - 1, Math.max(1, Math.round(testFraction * nBlocks)));
    const order = rng.permutation(nBlocks);
    const isTest = new Uint8Array(nBlocks);
    for (let i = 0; i < nTest; i++) isTest[order[i]!] = 1;
    for (let i = 0; i + 1 < rowCuts.length; i++) {
      for (let j = 0; j + 1 < colCuts.length; j++) {
        const b = i * (colCuts.length - 1) + j;
        blocks.push({
          image: k,
          top: rowCuts[i]!,
          left: colCuts[j]!,
          height: rowCuts[i + 1]! - rowCuts[i]!,
          width: colCuts[j + 1]! - colCuts[j]!,
          split: isTest[b] ? 'test' : 'train',
        });
      }
    }
  }
  return blocks;
}

/**
 * Draws `count` crop corners uniformly over all positions where a
 * `patchSize` square fits inside one of `blocks`.
 *
 * @returns crop corners in draw order
 */
export function sampleCrops(blocks: readonly Block[], count: number, patchSize: number, rng: Rng): Crops {
  const cumulative = new Float64Array(blocks.length);
  let total = 0;
  blocks.forEach((b, i) => {
    total += Math.max(0, b.height - patchSize + 1) * Math.max(0, b.width - patchSize + 1);
    cumulative[i] = total;
  });
  if (count > 0 && total === 0) throw new DataError(`no ${patchSize} x ${patchSize} crop fits in the chosen regions`);
  const crops: Crops = { image: new Int32Array(count), row: new Int32Array(count), col: new Int32Array(count) };
  for (let n = 0; n < count; n++) {
    const u = rng.int(total);
    let lo = 0;
    let hi = blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    const b = blocks[lo]!;
    const offset = u - (lo === 0 ? 0 : cumulative[lo - 1]!);
    const across = b.width - patchSize + 1;
    crops.image[n] = b.image;
    crops.row[n] = b.top + Math.floor(offset / across);
    crops.col[n] = b.left + (offset % across);
  }
  return crops;
}

/** Concatenates crop lists in order. */
export function concatCrops(parts: readonly Crops[]): Crops {
  const n = parts.reduce((s, p) => s + p.image.length, 0);
  const out: Crops = { image: new Int32Array(n), row: new Int32Array(n), col: new Int32Array(n) };
  let at = 0;
  for (const p of parts) {
    out.image.set(p.image, at);
    out.row.set(p.row, at);
    out.col.set(p.col, at);
    at += p.image.length;
  }
  return out;
}

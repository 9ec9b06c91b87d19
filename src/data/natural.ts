/**
 * Natural-image patches (thesis sec. 5.1: whitened 20 x 20 patches,
 * standardized to mean 0 and variance 1, separate train and test sets).
 *
 * Sources (shared/data/README.md, sec. 1):
 * - `olshausen`: 10 images 512 x 512, already whitened by Olshausen with the
 *   same filter, so used as they are;
 * - `hyvarinen`: 13 raw 8-bit images 256 x 512, whitened here;
 * - `shouval`: 25 raw 6-bit images 256 x 256, whitened here;
 * - `deadleaves`: procedural, no files (`dead-leaves.ts`), whitened here.
 * Then the shared pipeline: region split, crops, standardization (`patches.ts`).
 */
import { join } from 'node:path';
import { DataError } from './data-error.js';
import { deadLeaves, type DeadLeavesOptions } from './dead-leaves.js';
import { type ImageStack, imageStack } from './image-stack.js';
import { patchesFromStack, type PatchOptions, type PatchSet } from './patches.js';
import { readRawArray } from './raw-array.js';
import { whitenStack } from './whiten.js';

export type NaturalSource = 'olshausen' | 'hyvarinen' | 'shouval' | 'deadleaves';

export const NATURAL_SOURCES: readonly NaturalSource[] = ['olshausen', 'hyvarinen', 'shouval', 'deadleaves'];

/** Each file-backed source's file under the data directory, and whether it is already whitened. */
export const NATURAL_FILES: Readonly<Record<Exclude<NaturalSource, 'deadleaves'>, { path: string; whitened: boolean }>> = {
  olshausen: { path: 'natural_images/olshausen_whitened_10x512x512.f32', whitened: true },
  hyvarinen: { path: 'natural_images/hyvarinen_13x256x512.u8', whitened: false },
  shouval: { path: 'natural_images/shouval_blais_25x256x256.u8', whitened: false },
};

export interface NaturalPatchOptions extends PatchOptions {
  readonly source: NaturalSource;
  /** The data directory (needed for every source but deadleaves). */
  readonly dataDir?: string;
  /** Options of the dead-leaves images (default 8 images of 256 x 256, image seed 0). */
  readonly deadLeaves?: Partial<DeadLeavesOptions>;
  /** Check sha256s of the files (default true). */
  readonly verify?: boolean;
}

/** Whitened images of a source, ready for `patchesFromStack`. */
export async function naturalImages(source: NaturalSource, options: Pick<NaturalPatchOptions, 'dataDir' | 'deadLeaves' | 'verify'> = {}): Promise<ImageStack> {
  if (source === 'deadleaves') return whitenStack(deadLeaves({ seed: 0, ...options.deadLeaves }));
  const file = NATURAL_FILES[source];
  if (file === undefined) throw new DataError(`unknown natural-image source '${String(source)}'; known: ${NATURAL_SOURCES.join(', ')}`);
  if (options.dataDir === undefined) throw new DataError(`natural-image source '${source}' needs a data directory (dataDir, --data-dir or STRATA_DATA)`);
  const raw = await readRawArray(join(options.dataDir, file.path), {
    dtype: file.whitened ? 'float32' : 'uint8',
    shape: [null, null, null],
    ...(options.verify === undefined ? {} : { verify: options.verify }),
  });
  const stack = imageStack(raw.data, raw.shape);
  return file.whitened ? stack : whitenStack(stack);
}

/**
 * Whitened, standardized natural-image patches with a region-disjoint train/test split.
 *
 * @returns `train` `[train, patchSize^2]` and `test` `[test, patchSize^2]` (row-major patches) and `info`
 *   (crop corners, blocks, the training mean/std used)
 * @example const { train, test } = await naturalPatches({ source: 'olshausen', dataDir, train: 10000, test: 1000, seed: 0 });
 */
export async function naturalPatches(options: NaturalPatchOptions): Promise<PatchSet & { readonly source: NaturalSource }> {
  const stack = await naturalImages(options.source, options);
  return { ...patchesFromStack(stack, options), source: options.source };
}

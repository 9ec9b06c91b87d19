/**
 * Labelled texture patches from the Brodatz album (USC-SIPI scans; thesis
 * sec. 5.1 uses five texture families). Default classes stand in for the
 * thesis's oat, leather, soil, carpet and bubbles (shared/data/README.md,
 * sec. 2): straw, pressed_calf_leather, beach_sand, woolen_cloth,
 * plastic_bubbles = indices [2, 5, 6, 4, 12]. The raw 8-bit scans are
 * transformed exactly like natural images (whitening filter, region split,
 * crops, standardization with the training statistics); rows at or below
 * the header's `valid_rows` (black scanner border) are never used.
 */
import { join } from 'node:path';
import { DataError, fileError } from './data-error.js';
import { imageStack, selectImages } from './image-stack.js';
import { patchesFromStack, type PatchOptions, type PatchSet } from './patches.js';
import { readRawArray } from './raw-array.js';
import { whitenStack } from './whiten.js';

export type TextureScan = 'brodatz' | 'brodatz1024';

/** Files under the data directory: the 512 x 512 scans (default) and the independent 1024 x 1024 scans. */
export const TEXTURE_FILES: Readonly<Record<TextureScan, string>> = {
  brodatz: 'textures/brodatz_sipi_13x512x512.u8',
  brodatz1024: 'textures/brodatz_sipi_13x1024x1024.u8',
};

/** straw, pressed_calf_leather, beach_sand, woolen_cloth, plastic_bubbles. */
export const DEFAULT_TEXTURE_CLASSES: readonly number[] = [2, 5, 6, 4, 12];

export interface TexturePatchOptions extends PatchOptions {
  readonly dataDir: string;
  /** Which scan (default 'brodatz', the 512 x 512 set). */
  readonly scan?: TextureScan;
  /** Classes by index or name (default DEFAULT_TEXTURE_CLASSES); label i is the i-th of these. */
  readonly classes?: readonly (number | string)[];
  readonly verify?: boolean;
}

/** Patches and labels; in `info` the crops' `image` index is the label (position in `classes`), not the file's class index. */
export interface TexturePatchSet extends PatchSet {
  /** Class of each training / test patch: an index into `classes`. */
  readonly trainLabels: Int32Array;
  readonly testLabels: Int32Array;
  /** Names of the chosen classes, in label order. */
  readonly classes: readonly string[];
}

function resolveClasses(headerPath: string, names: readonly string[], wanted: readonly (number | string)[]): number[] {
  const picked = wanted.map((c) => {
    const i = typeof c === 'number' ? c : names.indexOf(c);
    if (!Number.isInteger(i) || i < 0 || i >= names.length) {
      throw new DataError(`unknown texture class ${JSON.stringify(c)}; known (${headerPath}): ${names.map((n, j) => `${j}=${n}`).join(', ')}`);
    }
    return i;
  });
  if (new Set(picked).size !== picked.length) throw new DataError(`texture classes repeat: ${wanted.join(', ')}`);
  if (picked.length < 1) throw new DataError('choose at least one texture class');
  return picked;
}

/**
 * Texture patches with labels, balanced over classes in both sets.
 *
 * @returns `train`/`test` `[n, patchSize^2]`, labels `Int32Array` of class indices into `classes`, and `info`
 * @example const t = await texturePatches({ dataDir, train: 5000, test: 500, seed: 0 }); // t.classes[t.trainLabels[0]]
 */
export async function texturePatches(options: TexturePatchOptions): Promise<TexturePatchSet> {
  const path = join(options.dataDir, TEXTURE_FILES[options.scan ?? 'brodatz']);
  const raw = await readRawArray(path, { dtype: 'uint8', shape: [null, null, null], ...(options.verify === undefined ? {} : { verify: options.verify }) });
  const count = raw.shape[0]!;
  const names = raw.header.classes;
  const headerPath = `${path}.json`;
  if (!Array.isArray(names) || names.length !== count || !names.every((n) => typeof n === 'string')) {
    throw fileError(headerPath, `header field "classes" must list ${count} class names`);
  }
  const validRows = raw.header.valid_rows;
  if (validRows !== undefined && (!Array.isArray(validRows) || validRows.length !== count)) {
    throw fileError(headerPath, `header field "valid_rows" must list ${count} row counts`);
  }
  const picked = resolveClasses(headerPath, names as string[], options.classes ?? DEFAULT_TEXTURE_CLASSES);
  const all = imageStack(raw.data, raw.shape, validRows as number[] | undefined);
  const stack = whitenStack(selectImages(all, picked));
  const set = patchesFromStack(stack, { ...options, balanceImages: true });
  return {
    ...set,
    trainLabels: Int32Array.from(set.info.trainCrops.image),
    testLabels: Int32Array.from(set.info.testCrops.image),
    classes: picked.map((i) => (names as string[])[i]!),
  };
}

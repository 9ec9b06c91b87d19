import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { texturePatches, TEXTURE_FILES } from '../../src/data/textures.js';
import { fixtureBytes, meanVar, tempDir, writeRaw } from './helpers.js';

const dir = tempDir();
const CLASSES = ['grass', 'bark', 'straw', 'sand'];
const SIZE = 96;
const VALID = [96, 80, 96, 70];
const path = join(dir, TEXTURE_FILES.brodatz);
// Four 96 x 96 "textures"; below valid_rows a black border, as in the USC-SIPI scans.
const pixels = fixtureBytes(4 * SIZE * SIZE, 9);
VALID.forEach((v, k) => pixels.fill(0, (k * SIZE + v) * SIZE, (k + 1) * SIZE * SIZE));
writeRaw(path, pixels, [4, SIZE, SIZE], { classes: CLASSES, valid_rows: VALID });

const OPTIONS = { dataDir: dir, classes: [3, 1, 'grass'], patchSize: 10, blockSize: 24, train: 300, test: 60, seed: 4 } as const;

describe('texturePatches', () => {
  it('gives balanced labelled patches of the chosen classes', async () => {
    const set = await texturePatches(OPTIONS);
    expect(set.classes).toEqual(['sand', 'bark', 'grass']);
    expect(set.train).toMatchObject({ rows: 300, cols: 100 });
    expect(set.trainLabels).toHaveLength(300);
    expect([0, 1, 2].map((c) => set.trainLabels.filter((l) => l === c).length)).toEqual([100, 100, 100]);
    expect([0, 1, 2].map((c) => set.testLabels.filter((l) => l === c).length)).toEqual([20, 20, 20]);
    // Labels are shuffled, not sorted by class.
    expect(Array.from(set.trainLabels.subarray(0, 30)).some((l, i, a) => i > 0 && l !== a[i - 1])).toBe(true);
  });

  it('never crops below valid_rows', async () => {
    const set = await texturePatches(OPTIONS);
    const valid = [VALID[3]!, VALID[1]!, VALID[0]!];
    for (const crops of [set.info.trainCrops, set.info.testCrops]) {
      const below = Array.from(crops.row).filter((r, i) => r + 10 > valid[crops.image[i]!]!);
      expect(below).toEqual([]);
    }
    expect(set.info.blocks.every((b) => b.top + b.height <= valid[b.image]!)).toBe(true);
  });

  it('is transformed like natural patches: standardized with training statistics', async () => {
    const set = await texturePatches(OPTIONS);
    const m = meanVar(set.train.values);
    expect(Math.abs(m.mean)).toBeLessThan(1e-5);
    expect(m.variance).toBeCloseTo(1, 4);
  });

  it('is reproducible with a seed', async () => {
    const a = await texturePatches(OPTIONS);
    const b = await texturePatches(OPTIONS);
    const c = await texturePatches({ ...OPTIONS, seed: 5 });
    expect(b.train.values).toEqual(a.train.values);
    expect(b.testLabels).toEqual(a.testLabels);
    expect(c.train.values).not.toEqual(a.train.values);
  });

  it('names unknown classes and bad headers', async () => {
    await expect(texturePatches({ ...OPTIONS, classes: ['oat'] })).rejects.toThrow('unknown texture class "oat"; known');
    await expect(texturePatches({ ...OPTIONS, classes: [1, 'bark'] })).rejects.toThrow('texture classes repeat');
    const other = join(dir, 'other');
    writeRaw(join(other, TEXTURE_FILES.brodatz), pixels, [4, SIZE, SIZE]);
    await expect(texturePatches({ ...OPTIONS, dataDir: other })).rejects.toThrow(`${join(other, TEXTURE_FILES.brodatz)}.json: header field "classes" must list 4 class names`);
    writeFileSync(`${join(other, TEXTURE_FILES.brodatz)}.json`, JSON.stringify({ dtype: 'uint8', shape: [4, SIZE, SIZE], classes: CLASSES, valid_rows: [1, 2] }));
    await expect(texturePatches({ ...OPTIONS, dataDir: other })).rejects.toThrow('header field "valid_rows" must list 4 row counts');
    await expect(texturePatches({ ...OPTIONS, dataDir: join(dir, 'nowhere') })).rejects.toThrow('missing header');
  });
});

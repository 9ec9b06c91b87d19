/**
 * Checks against the real files in shared/data, found with the same lookup
 * as the CLI (STRATA_DATA, then ../shared/data). Skipped when absent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBinarizedMnist } from '../../src/data/binarized-mnist.js';
import { sha256File } from '../../src/data/file-io.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { MNIST_FILES, readMnist } from '../../src/data/mnist.js';
import { readRawArray } from '../../src/data/raw-array.js';
import { meanVar, REAL_DATA } from './helpers.js';

const data = REAL_DATA ?? '';

describe.skipIf(REAL_DATA === undefined)('real data in shared/data', () => {
  it('every file matches its published sha256', async () => {
    const expected: [string, string][] = Object.values(MNIST_FILES).flatMap((f): [string, string][] => [
      [join('mnist', f.images), f.imagesSha256],
      [join('mnist', f.labels), f.labelsSha256],
    ]);
    const index = JSON.parse(readFileSync(join(data, 'binarized_mnist', 'binarized_mnist.json'), 'utf8')) as { files: Record<string, { file: string; sha256: string }> };
    for (const f of Object.values(index.files)) expected.push([join('binarized_mnist', f.file), f.sha256]);
    for (const name of ['natural_images/olshausen_whitened_10x512x512.f32', 'natural_images/hyvarinen_13x256x512.u8', 'natural_images/shouval_blais_25x256x256.u8', 'textures/brodatz_sipi_13x512x512.u8', 'textures/brodatz_sipi_13x1024x1024.u8']) {
      expected.push([name, (JSON.parse(readFileSync(join(data, `${name}.json`), 'utf8')) as { sha256: string }).sha256]);
    }
    expect(expected).toHaveLength(12);
    const found = await Promise.all(expected.map(([name]) => sha256File(join(data, name))));
    expect(found).toEqual(expected.map(([, hash]) => hash));
  });

  it('MNIST train is 60000 x 28 x 28 with 60000 digit labels', async () => {
    const m = await readMnist(join(data, 'mnist'), 'train');
    expect(m).toMatchObject({ count: 60000, height: 28, width: 28 });
    expect(m.images).toHaveLength(60000 * 784);
    expect(m.labels).toHaveLength(60000);
    expect(Array.from(m.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
  });

  it('binarized MNIST train has mean pixel 0.1306', async () => {
    const train = await readBinarizedMnist(join(data, 'binarized_mnist'), 'train');
    expect(train).toMatchObject({ rows: 50000, cols: 784 });
    expect(meanVar(train.values).mean).toBeCloseTo(0.13056, 4);
  });

  it('Brodatz 512 is 13 x 512 x 512 with valid_rows and the documented classes', async () => {
    const a = await readRawArray(join(data, 'textures/brodatz_sipi_13x512x512.u8'), { dtype: 'uint8', shape: [13, 512, 512] });
    expect((a.header.valid_rows as number[])[10]).toBe(486);
    expect((a.header.classes as string[])[12]).toBe('plastic_bubbles');
    // Rows at or below valid_rows are the black scanner border.
    const pigskinBorder = a.data.subarray((10 * 512 + 486) * 512, 11 * 512 * 512);
    expect(meanVar(pigskinBorder).mean).toBeLessThan(20);
  });

  it('natural (Olshausen) and textures load as standardized patches', async () => {
    const n = await loadDataset('natural', { seed: 0, train: 5000, test: 500 });
    expect(n.description).toMatch(/^natural:olshausen /);
    expect(n.train).toMatchObject({ rows: 5000, cols: 400 });
    expect(meanVar(n.train.values).variance).toBeCloseTo(1, 4);
    expect(Math.abs(meanVar(n.test.values).mean)).toBeLessThan(0.1);
    const t = await loadDataset('textures:brodatz', { seed: 0, train: 1000, test: 200 });
    expect(t.classes).toEqual(['straw', 'pressed_calf_leather', 'beach_sand', 'woolen_cloth', 'plastic_bubbles']);
    expect(meanVar(t.train.values).variance).toBeCloseTo(1, 4);
  });
});

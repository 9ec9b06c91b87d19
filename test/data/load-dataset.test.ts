import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packBits } from '../../src/data/bits.js';
import { encodeIdx } from '../../src/data/idx.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { MNIST_FILES } from '../../src/data/mnist.js';
import { encodeNpy } from '../../src/data/npy.js';
import { TEXTURE_FILES } from '../../src/data/textures.js';
import { fixtureBytes, sha256, tempDir, writeRaw } from './helpers.js';

const dir = tempDir();
const isolated = { env: {}, packageRoot: null, cwd: dir } as const;

/** A data directory shaped like shared/data, with tiny files. */
function makeDataDir(): string {
  const data = join(dir, 'data');
  const mnist = join(data, 'mnist');
  mkdirSync(mnist, { recursive: true });
  for (const [split, n] of [['train', 6], ['test', 4]] as const) {
    writeFileSync(join(mnist, MNIST_FILES[split].images), encodeIdx(fixtureBytes(n * 784, n), [n, 28, 28], true));
    writeFileSync(join(mnist, MNIST_FILES[split].labels), encodeIdx(Uint8Array.from({ length: n }, (_, i) => i), [n], true));
  }
  const bin = join(data, 'binarized_mnist');
  mkdirSync(bin);
  const files: Record<string, unknown> = {};
  for (const [split, n] of [['train', 5], ['valid', 2], ['test', 3]] as const) {
    const packed = packBits(Uint8Array.from({ length: n * 784 }, (_, i) => (i % 5 === 0 ? 1 : 0)), 784);
    writeFileSync(join(bin, `${split}.bits`), packed);
    files[split] = { file: `${split}.bits`, n, bytes: packed.length, sha256: sha256(packed) };
  }
  writeFileSync(join(bin, 'binarized_mnist.json'), JSON.stringify({ files }));
  writeRaw(join(data, TEXTURE_FILES.brodatz), fixtureBytes(13 * 64 * 64, 2), [13, 64, 64], {
    classes: Array.from({ length: 13 }, (_, i) => `class${i}`),
    valid_rows: Array.from({ length: 13 }, () => 62),
  });
  writeRaw(join(data, 'natural_images/olshausen_whitened_10x512x512.f32'), Float32Array.from(fixtureBytes(2 * 64 * 64, 3), (b) => b / 100 - 1), [2, 64, 64]);
  writeRaw(join(data, 'natural_images/hyvarinen_13x256x512.u8'), fixtureBytes(2 * 64 * 96, 4), [2, 64, 96]);
  return data;
}

const data = makeDataDir();

describe('loadDataset on generated files', () => {
  it('file: reads a .npy file and splits its rows 90/10 by seed', async () => {
    const path = join(dir, 'x.npy');
    writeFileSync(path, encodeNpy(Float32Array.from({ length: 50 * 6 }, (_, i) => i), [50, 2, 3]));
    const d = await loadDataset(`file:${path}`, { ...isolated, seed: 0 });
    expect(d.train).toMatchObject({ rows: 45, cols: 6 });
    expect(d.test).toMatchObject({ rows: 5, cols: 6 });
    expect(d.element).toBe('real');
    // Every row appears exactly once across train and test, intact.
    const firsts = [...Array.from({ length: 45 }, (_, i) => d.train.values[i * 6]!), ...Array.from({ length: 5 }, (_, i) => d.test.values[i * 6]!)];
    expect(firsts.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i * 6));
    const again = await loadDataset('file:x.npy', { ...isolated, seed: 0 });
    expect(again.test.values).toEqual(d.test.values);
    const other = await loadDataset(`file:${path}`, { ...isolated, seed: 1 });
    expect(other.test.values).not.toEqual(d.test.values);
  });

  it('file: reads a raw .u8 with its header, detects binary data, and limits rows', async () => {
    const path = join(dir, 'b.u8');
    writeRaw(path, Uint8Array.from({ length: 20 * 4 }, (_, i) => i % 2), [20, 4]);
    const d = await loadDataset(`file:${path}`, { ...isolated, seed: 0, train: 10, test: 2 });
    expect(d).toMatchObject({ element: 'binary', train: { rows: 10, cols: 4 }, test: { rows: 2, cols: 4 } });
    await expect(loadDataset(`file:${path}`, { ...isolated, seed: 0, test: 5 })).rejects.toThrow(`${path}: asked for 5 test rows but the split has only 2`);
    await expect(loadDataset(`file:${join(dir, 'x.txt')}`, { ...isolated, seed: 0 })).rejects.toThrow('unsupported file type (expected .npy, .csv, or .f32 / .u8 with a .json header beside it)');
  });

  it('mnist:binarized gives train, valid and test 0/1 matrices', async () => {
    const d = await loadDataset('mnist:binarized', { ...isolated, dataDir: data, seed: 0 });
    expect(d).toMatchObject({ element: 'binary', imageShape: [28, 28], train: { rows: 5, cols: 784 }, test: { rows: 3, cols: 784 }, valid: { rows: 2 } });
  });

  it('mnist:dynamic binarizes by seed and keeps the intensities and labels', async () => {
    const d = await loadDataset('mnist:dynamic', { ...isolated, dataDir: data, seed: 0, verify: false, train: 5 });
    expect(d).toMatchObject({ element: 'binary', train: { rows: 5, cols: 784 }, test: { rows: 4, cols: 784 } });
    expect(d.intensities!.train.rows).toBe(5);
    expect(Array.from(d.labels!.train)).toEqual([0, 1, 2, 3, 4]);
    expect(d.classes).toHaveLength(10);
    expect(d.train.values.every((v) => v === 0 || v === 1)).toBe(true);
    const again = await loadDataset('mnist:dynamic', { ...isolated, dataDir: data, seed: 0, verify: false, train: 5 });
    expect(again.train.values).toEqual(d.train.values);
    // The canonical checksums do not match the generated files.
    await expect(loadDataset('mnist:dynamic', { ...isolated, dataDir: data, seed: 0 })).rejects.toThrow('checksum mismatch');
  });

  it('textures:brodatz gives labelled patches of the default five classes', async () => {
    const d = await loadDataset('textures:brodatz', { ...isolated, dataDir: data, seed: 0, train: 50, test: 10, patchSize: 8 });
    expect(d.classes).toEqual(['class2', 'class5', 'class6', 'class4', 'class12']);
    expect(d).toMatchObject({ element: 'real', imageShape: [8, 8], train: { rows: 50, cols: 64 } });
    expect(d.labels!.test).toHaveLength(10);
  });

  it('natural picks Olshausen when present; natural:hyvarinen whitens raw images', async () => {
    const n = await loadDataset('natural', { ...isolated, dataDir: data, seed: 0, train: 40, test: 8, patchSize: 8 });
    expect(n.description).toMatch(/^natural:olshausen /);
    expect(n.info!.images).toBe(2);
    const h = await loadDataset('natural:hyvarinen', { ...isolated, dataDir: data, seed: 0, train: 40, test: 8, patchSize: 8 });
    expect(h.train).toMatchObject({ rows: 40, cols: 64 });
  });

  it('needs a seed', async () => {
    await expect(loadDataset('natural:deadleaves', { seed: undefined as unknown as number })).rejects.toThrow('seed must be a safe integer');
  });
});

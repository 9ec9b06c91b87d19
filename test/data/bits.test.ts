import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBinarizedMnist } from '../../src/data/binarized-mnist.js';
import { packBits, unpackBits } from '../../src/data/bits.js';
import { sha256, tempDir } from './helpers.js';

const dir = tempDir();

describe('packed bits (MSB first)', () => {
  it('unpacks a hand-made example', () => {
    // item 0: 1010 0000 | 1xxx -> bits 1,0,1,0,0,0,0,0,1 ; item 1: 0000 0001 | 0xxx
    const packed = Uint8Array.of(0b1010_0000, 0b1000_0000, 0b0000_0001, 0b0000_0000);
    expect(Array.from(unpackBits(packed, 2, 9))).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
  });

  it('follows the README formula for 784-bit images', () => {
    const packed = new Uint8Array(2 * 98);
    packed[98 + 97] = 0b0000_0001; // image 1, pixel 783 = byte 97, bit 7 - 7
    packed[3] = 0b0100_0000; // image 0, pixel 25 = byte 3, bit 7 - 1
    const bits = unpackBits(packed, 2, 784, new Float32Array(2 * 784));
    expect(bits.reduce((a, b) => a + b, 0)).toBe(2);
    expect(bits[25]).toBe(1);
    expect(bits[784 + 783]).toBe(1);
  });

  it('pack and unpack are inverse (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 5 }), fc.infiniteStream(fc.boolean()), (bitsPerItem, count, stream) => {
        const bits = Uint8Array.from(stream.take(bitsPerItem * count), (b) => (b ? 1 : 0));
        const packed = packBits(bits, bitsPerItem);
        expect(packed.length).toBe(count * Math.ceil(bitsPerItem / 8));
        expect(unpackBits(packed, count, bitsPerItem)).toEqual(bits);
      }),
    );
  });
});

describe('readBinarizedMnist', () => {
  const folder = join(dir, 'binarized_mnist');
  mkdirSync(folder);
  const bits = Uint8Array.from({ length: 3 * 784 }, (_, i) => (i % 7 === 0 ? 1 : 0));
  const packed = packBits(bits, 784);
  writeFileSync(join(folder, 'test.bits'), packed);
  const index = (entry: Record<string, unknown>): void =>
    writeFileSync(join(folder, 'binarized_mnist.json'), JSON.stringify({ files: { test: { file: 'test.bits', n: 3, bytes: 294, sha256: sha256(packed), ...entry } } }));

  it('reads a split as a 0/1 matrix', async () => {
    index({});
    const m = await readBinarizedMnist(folder, 'test');
    expect(m.rows).toBe(3);
    expect(m.cols).toBe(784);
    expect(Array.from(m.values)).toEqual(Array.from(bits));
  });

  it('reports missing index, missing entry, bad sizes and checksums', async () => {
    await expect(readBinarizedMnist(join(dir, 'none'), 'test')).rejects.toThrow(`${join(dir, 'none', 'binarized_mnist.json')}: missing header`);
    index({});
    await expect(readBinarizedMnist(folder, 'train')).rejects.toThrow(`${join(folder, 'binarized_mnist.json')}: no valid entry files.train`);
    index({ n: 4, bytes: 392 });
    await expect(readBinarizedMnist(folder, 'test')).rejects.toThrow(`${join(folder, 'test.bits')}: truncated file (expected 392 bytes, found 294)`);
    index({ bytes: 300 });
    await expect(readBinarizedMnist(folder, 'test')).rejects.toThrow('files.test.bytes is 300 but 3 images of 98 bytes need 294');
    index({ sha256: 'f'.repeat(64) });
    await expect(readBinarizedMnist(folder, 'test')).rejects.toThrow(`${join(folder, 'test.bits')}: checksum mismatch`);
    await expect(readBinarizedMnist(folder, 'test', { verify: false })).resolves.toMatchObject({ rows: 3 });
  });
});

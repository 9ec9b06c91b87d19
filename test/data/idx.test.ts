import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeIdx, encodeIdx, idxMagic, readIdx } from '../../src/data/idx.js';
import { readMnist, MNIST_FILES } from '../../src/data/mnist.js';
import { fixtureBytes, sha256, tempDir } from './helpers.js';

const dir = tempDir();

describe('idx files', () => {
  it('round-trips gzipped and plain idx3 and idx1 files', async () => {
    const images = fixtureBytes(5 * 4 * 3);
    const gz = join(dir, 'images-idx3-ubyte.gz');
    writeFileSync(gz, encodeIdx(images, [5, 4, 3], true));
    const a = await readIdx(gz, { dims: [5, 4, 3] });
    expect(a.dims).toEqual([5, 4, 3]);
    expect(a.data).toEqual(images);
    const plain = join(dir, 'labels-idx1-ubyte');
    writeFileSync(plain, encodeIdx(Uint8Array.of(3, 1, 4), [3]));
    expect(Array.from((await readIdx(plain, { rank: 1 })).data)).toEqual([3, 1, 4]);
  });

  it('round-trips any small array (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 1000 }), (dims, seed) => {
        const data = fixtureBytes(dims.reduce((a, b) => a * b, 1), seed);
        const back = decodeIdx('mem', encodeIdx(data, dims));
        expect(back.dims).toEqual(dims);
        expect(back.data).toEqual(data);
      }),
    );
  });

  it('has the MNIST magic numbers', () => {
    expect(idxMagic(3)).toBe(0x00000803);
    expect(idxMagic(1)).toBe(0x00000801);
    expect(encodeIdx(new Uint8Array(2), [2]).readUInt32BE(0)).toBe(0x801);
  });

  it('rejects a bad magic number, naming the file and the expected magic', async () => {
    const path = join(dir, 'wrong-rank.gz');
    writeFileSync(path, encodeIdx(new Uint8Array(6), [2, 3], true));
    await expect(readIdx(path, { rank: 3 })).rejects.toThrow(`${path}: bad magic number 0x00000802 (expected 0x00000803 for idx3 unsigned bytes)`);
    const floats = Buffer.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(() => decodeIdx('f.idx', floats)).toThrow('f.idx: bad magic number 0x00000d01');
  });

  it('reports truncated data with both sizes', async () => {
    const path = join(dir, 'short.gz');
    writeFileSync(path, gzipSync(encodeIdx(new Uint8Array(24), [2, 3, 4]).subarray(0, 30)));
    await expect(readIdx(path)).rejects.toThrow(`${path}: truncated file (expected 40 bytes, found 30) for idx dims [2, 3, 4]`);
  });

  it('reports corrupt gzip data and checksum mismatches', async () => {
    const path = join(dir, 'corrupt.gz');
    const gz = encodeIdx(new Uint8Array(100), [100], true);
    writeFileSync(path, gz.subarray(0, gz.length - 10));
    await expect(readIdx(path)).rejects.toThrow(`${path}: corrupt or truncated gzip data`);
    writeFileSync(path, gz);
    await expect(readIdx(path, { sha256: sha256(gz) })).resolves.toMatchObject({ dims: [100] });
    await expect(readIdx(path, { sha256: '0'.repeat(64) })).rejects.toThrow(`${path}: checksum mismatch (sha256 expected ${'0'.repeat(64)}, found ${sha256(gz)})`);
  });

  it('reads an MNIST-shaped folder and checks labels against images', async () => {
    const folder = join(dir, 'mnist');
    mkdirSync(folder);
    const f = MNIST_FILES.test;
    writeFileSync(join(folder, f.images), encodeIdx(fixtureBytes(3 * 28 * 28), [3, 28, 28], true));
    writeFileSync(join(folder, f.labels), encodeIdx(Uint8Array.of(7, 2, 1), [3], true));
    const m = await readMnist(folder, 'test', { verify: false });
    expect(m).toMatchObject({ count: 3, height: 28, width: 28 });
    expect(Array.from(m.labels)).toEqual([7, 2, 1]);
    await expect(readMnist(folder, 'test')).rejects.toThrow(`${join(folder, f.images)}: checksum mismatch`);
    writeFileSync(join(folder, f.labels), encodeIdx(Uint8Array.of(7, 2), [2], true));
    await expect(readMnist(folder, 'test', { verify: false })).rejects.toThrow(`${join(folder, f.labels)}: has 2 labels but`);
    await expect(readMnist(join(dir, 'nowhere'), 'train', { verify: false })).rejects.toThrow(`${join(dir, 'nowhere', MNIST_FILES.train.images)}: missing file`);
  });
});

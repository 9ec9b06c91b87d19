import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/data-error.js';
import { readRawArray } from '../../src/data/raw-array.js';
import { UserError } from '../../src/util/user-error.js';
import { f32Bytes, tempDir, writeRaw } from './helpers.js';

const dir = tempDir();

describe('readRawArray', () => {
  it('reads a float32 array with its header', async () => {
    const path = join(dir, 'good.f32');
    const values = [0.5, -1.25, 3, 4, 5, 6];
    writeRaw(path, values, [2, 3], { classes: ['a', 'b'] });
    const a = await readRawArray(path, { dtype: 'float32', shape: [2, null] });
    expect(a.dtype).toBe('float32');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual(values);
    expect(a.header.classes).toEqual(['a', 'b']);
  });

  it('reads a uint8 array', async () => {
    const path = join(dir, 'good.u8');
    writeRaw(path, [0, 1, 255, 7], [4]);
    const a = await readRawArray(path);
    expect(a.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(a.data)).toEqual([0, 1, 255, 7]);
  });

  it('names the file when it is missing', async () => {
    const path = join(dir, 'nothing.f32');
    writeFileSync(`${path}.json`, JSON.stringify({ dtype: 'float32', shape: [1] }));
    await expect(readRawArray(path)).rejects.toThrow(`${path}: missing file`);
  });

  it('names the header when it is missing', async () => {
    const path = join(dir, 'headerless.u8');
    writeFileSync(path, Buffer.from([1, 2]));
    await expect(readRawArray(path)).rejects.toThrow(`${path}.json: missing header`);
  });

  it('reports a truncated file with both sizes, as a DataError (a UserError)', async () => {
    const path = join(dir, 'short.f32');
    writeRaw(path, [1, 2, 3, 4], [4]);
    writeFileSync(path, f32Bytes([1, 2, 3]));
    const error = await readRawArray(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(`${path}: truncated file (expected 16 bytes, found 12)`);
  });

  it('reports a checksum mismatch', async () => {
    const path = join(dir, 'tampered.u8');
    writeRaw(path, [1, 2, 3], [3]);
    writeFileSync(path, Buffer.from([1, 2, 4]));
    await expect(readRawArray(path)).rejects.toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: checksum mismatch \\(sha256 expected [0-9a-f]{64}, found [0-9a-f]{64}\\)$`));
    await expect(readRawArray(path, { verify: false })).resolves.toMatchObject({ shape: [3] });
  });

  it('reports wrong shape and dtype', async () => {
    const path = join(dir, 'shape.u8');
    writeRaw(path, [1, 2, 3, 4, 5, 6], [2, 3]);
    await expect(readRawArray(path, { shape: [3, null] })).rejects.toThrow(`${path}: wrong shape (expected [3, *], found [2, 3])`);
    await expect(readRawArray(path, { shape: [null, null, null] })).rejects.toThrow('wrong shape');
    await expect(readRawArray(path, { dtype: 'float32' })).rejects.toThrow(`${path}: wrong dtype (expected float32, found uint8)`);
  });

  it('checks the header itself', async () => {
    const path = join(dir, 'bad.u8');
    writeFileSync(path, Buffer.from([1, 2]));
    const header = (h: unknown): void => writeFileSync(`${path}.json`, typeof h === 'string' ? h : JSON.stringify(h));
    header('{ not json');
    await expect(readRawArray(path)).rejects.toThrow(`${path}.json: header is not valid JSON`);
    header({ dtype: 'int16', shape: [2] });
    await expect(readRawArray(path)).rejects.toThrow(`${path}.json: unsupported dtype "int16" (supported: "float32", "uint8")`);
    header({ dtype: 'uint8', shape: [2, 0] });
    await expect(readRawArray(path)).rejects.toThrow('header field "shape" must be a non-empty array of positive integers');
    header({ dtype: 'uint8', shape: [2], bytes: 3 });
    await expect(readRawArray(path)).rejects.toThrow('header says 3 bytes but shape [2] of uint8 needs 2');
    header({ dtype: 'float32', shape: [2] });
    await expect(readRawArray(path)).rejects.toThrow('header dtype float32 does not match the file extension (uint8)');
    header({ dtype: 'uint8', shape: [3] });
    await expect(readRawArray(path)).rejects.toThrow(`${path}: truncated file (expected 3 bytes, found 2)`);
    header({ dtype: 'uint8', shape: [1] });
    await expect(readRawArray(path)).rejects.toThrow(`${path}: file too long (expected 1 bytes, found 2)`);
  });

  it('rejects non-finite floats and big-endian headers', async () => {
    const path = join(dir, 'nan.f32');
    writeRaw(path, [1, Number.NaN], [2]);
    await expect(readRawArray(path)).rejects.toThrow(`${path}: non-finite value NaN at flat index 1`);
    writeRaw(path, [1, 2], [2], { byte_order: 'big-endian' });
    await expect(readRawArray(path)).rejects.toThrow('unsupported byte_order "big-endian"');
  });
});

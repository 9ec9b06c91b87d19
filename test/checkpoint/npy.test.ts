/**
 * .npy: round trips, the header layout numpy expects (version 1.0, data at a
 * multiple of 64), rejected inputs, and files loaded by numpy itself.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, readNpy, writeNpy } from '../../src/driver/checkpoint/npy.js';
import { HAS_NUMPY, readWithPython, type PythonNpy } from './python-reader.js';

const arrayArb = fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }).chain((shape) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return fc.array(fc.float(), { minLength: n, maxLength: n }).map((values) => ({ shape, data: Float32Array.from(values) }));
});

const headerOf = (bytes: Uint8Array) => Buffer.from(bytes.subarray(10, 10 + new DataView(bytes.buffer, bytes.byteOffset).getUint16(8, true))).toString('latin1');

describe('npy', () => {
  it('decode(encode(data, shape)) gives back the shape and every value bit for bit; data starts at a multiple of 64', () => {
    fc.assert(
      fc.property(arrayArb, ({ shape, data }) => {
        const bytes = encodeNpy(data, shape);
        const back = decodeNpy(bytes, 'x.npy');
        expect(back.shape).toEqual(shape);
        expect(Buffer.from(back.data.buffer).equals(Buffer.from(data.buffer))).toBe(true);
        expect((bytes.length - data.byteLength) % 64).toBe(0);
      }),
    );
  });

  it('writes the header numpy writes', () => {
    const bytes = encodeNpy(new Float32Array(6), [2, 3]);
    expect([...bytes.subarray(0, 8)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const header = headerOf(bytes);
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    expect((10 + header.length) % 64).toBe(0);
    expect(headerOf(encodeNpy(new Float32Array(4), [4]))).toContain("'shape': (4,)");
    expect(headerOf(encodeNpy(Float32Array.of(1), []))).toContain("'shape': ()");
  });

  it('refuses a shape that does not hold the data', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(/shape \[2, 3\] does not hold 5 values/);
  });

  it.each([
    ['no magic', Uint8Array.from(Buffer.from('not a numpy file at all')), /not a \.npy file/],
    ['another dtype', Uint8Array.from(encodeNpy(new Float32Array(2), [2])).map((b, i) => (i === 23 ? '8'.charCodeAt(0) : b)), /dtype '<f8' is not supported/],
    ['a truncated file', encodeNpy(new Float32Array(6), [2, 3]).subarray(0, 128 + 16), /shape \(2, 3\) needs 24 data bytes but the file has 16/],
    ['a header past the end', encodeNpy(new Float32Array(6), [2, 3]).subarray(0, 40), /runs past the end/],
  ])('rejects %s, naming the file', (_, bytes, message) => {
    expect(() => decodeNpy(bytes, 'out/z.npy')).toThrow(/^cannot read 'out\/z\.npy': /);
    expect(() => decodeNpy(bytes, 'out/z.npy')).toThrow(message);
  });

  it('writes and reads files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-npy-'));
    try {
      await writeNpy(join(dir, 'z.npy'), Float32Array.of(1, 2, 3, 4, 5, 6), [1, 2, 3]);
      const back = await readNpy(join(dir, 'z.npy'));
      expect(back.shape).toEqual([1, 2, 3]);
      expect(Array.from(back.data)).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe.skipIf(!HAS_NUMPY)('npy loaded by numpy', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-npy-py-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true });
  });

  it('numpy.load gives the same shape, dtype and values, with the data at a multiple of 64', async () => {
    const finite = arrayArb.filter(({ data }) => data.every(Number.isFinite));
    const arrays = [{ shape: [2, 3, 4], data: Float32Array.from({ length: 24 }, (_, i) => i / 7 - 1) }, ...fc.sample(finite, { numRuns: 20, seed: 3 })];
    const paths = arrays.map((_, i) => join(dir, `a-${i}.npy`));
    await Promise.all(arrays.map((a, i) => writeNpy(paths[i]!, a.data, a.shape)));
    const loaded = readWithPython<PythonNpy>('npy', paths);
    arrays.forEach((a, i) => {
      expect(loaded[i]).toEqual({ shape: a.shape, dtype: '<f4', data_offset: loaded[i]!.data_offset, values: Array.from(a.data) });
      expect(loaded[i]!.data_offset % 64).toBe(0);
    });
  });
});

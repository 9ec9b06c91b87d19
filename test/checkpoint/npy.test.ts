/**
 * SIR sample files (.npy): round trips through src/data's reader, the header
 * layout numpy expects (version 1.0, data at a multiple of 64), the shape
 * check, and the files loaded by numpy itself.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNpy } from '../../src/driver/checkpoint/npy.js';
import { readNpy } from '../../src/data/npy.js';
import { HAS_NUMPY, readWithPython, type PythonNpy } from './python-reader.js';

const finite = fc.float({ min: Math.fround(-1e30), max: Math.fround(1e30), noNaN: true });
const arrayArb = fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }).chain((shape) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return fc.array(finite, { minLength: n, maxLength: n }).map((values) => ({ shape, data: Float32Array.from(values) }));
});

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-npy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true });
});

describe('writeNpy', () => {
  it('reads back with the same shape and every value bit for bit; the data starts at a multiple of 64', async () => {
    const path = join(dir, 'p.npy');
    await fc.assert(
      fc.asyncProperty(arrayArb, async ({ shape, data }) => {
        await writeNpy(path, data, shape);
        const back = await readNpy(path);
        expect(back.dtype).toBe('float32');
        expect(back.shape).toEqual(shape);
        expect(Buffer.from(back.data.buffer, back.data.byteOffset, back.data.byteLength).equals(Buffer.from(data.buffer))).toBe(true);
        expect(((await readFile(path)).length - data.byteLength) % 64).toBe(0);
      }),
      { numRuns: 50 },
    );
  });

  it('writes the header numpy writes', async () => {
    const path = join(dir, 'h.npy');
    await writeNpy(path, new Float32Array(6), [2, 3]);
    const bytes = await readFile(path);
    expect([...bytes.subarray(0, 8)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const header = bytes.subarray(10, 10 + bytes.readUInt16LE(8)).toString('latin1');
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    expect((10 + header.length) % 64).toBe(0);
  });

  it('refuses a shape that does not hold the data, and names an unwritable file', async () => {
    await expect(writeNpy(join(dir, 'x.npy'), new Float32Array(5), [2, 3])).rejects.toThrow(/shape \[2, 3\] does not hold 5 values/);
    await expect(writeNpy(join(dir, 'missing-dir', 'x.npy'), new Float32Array(1), [1])).rejects.toThrow(/cannot write '.*missing-dir.*x\.npy'/);
  });
});

describe.skipIf(!HAS_NUMPY)('npy loaded by numpy', () => {
  it('numpy.load gives the same shape, dtype and values, with the data at a multiple of 64', async () => {
    const arrays = [{ shape: [2, 3, 4], data: Float32Array.from({ length: 24 }, (_, i) => i / 7 - 1) }, { shape: [], data: Float32Array.of(2.5) }, ...fc.sample(arrayArb, { numRuns: 20, seed: 3 })];
    const paths = arrays.map((_, i) => join(dir, `a-${i}.npy`));
    await Promise.all(arrays.map((a, i) => writeNpy(paths[i]!, a.data, a.shape)));
    const loaded = readWithPython<PythonNpy>('npy', paths);
    arrays.forEach((a, i) => {
      expect(loaded[i]).toEqual({ shape: a.shape, dtype: '<f4', data_offset: loaded[i]!.data_offset, values: Array.from(a.data) });
      expect(loaded[i]!.data_offset % 64).toBe(0);
    });
  });
});

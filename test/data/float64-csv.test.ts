/**
 * `file:` datasets in the formats users have at hand (regressions: a float64
 * `.npy`, NumPy's default dtype, was refused without a hint; CSV was not
 * read at all): float64 .npy converted to float32 and said so; CSV with and
 * without a header; every bad input an error naming the file and the place.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load-dataset.js';
import { readCsv } from '../../src/data/csv.js';
import { readNpy } from '../../src/data/npy.js';
import { tempDir } from './helpers.js';

const dir = tempDir('strata-formats-');
/** Largest finite float32, (2 - 2^-23) * 2^127. */
const FLOAT32_MAX = (2 - 2 ** -23) * 2 ** 127;

/** A version-1.0 .npy of float64 values (header padded to 64 bytes). */
function float64Npy(name: string, values: readonly number[], shape: readonly number[]): string {
  let dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  dict = dict.padEnd(64 - 10 - 1, ' ') + '\n';
  const head = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, dict.length, 0]);
  const body = Buffer.alloc(8 * values.length);
  values.forEach((v, i) => body.writeDoubleLE(v, 8 * i));
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([head, Buffer.from(dict, 'latin1'), body]));
  return path;
}

describe('float64 .npy', () => {
  it('is read and converted to float32 (rounded to nearest), and the dataset says so', async () => {
    const values = Array.from({ length: 40 }, (_, i) => 0.1 * i - 1.3 + 1e-12);
    const path = float64Npy('x64.npy', values, [10, 4]);
    const raw = await readNpy(path);
    expect(raw).toMatchObject({ dtype: 'float32', shape: [10, 4], header: { descr: '<f8' } });
    expect(Array.from(raw.data)).toEqual(values.map(Math.fround));
    const d = await loadDataset(`file:${path}`, { seed: 0 });
    expect(d.description).toBe(`file ${path} (float64 converted to float32 [10, 4], real), seeded row split: 9 train / 1 test rows of 4`);
  });

  it('refuses non-finite values and values beyond float32, naming the flat index', async () => {
    await expect(readNpy(float64Npy('nan.npy', [0, 1, NaN, 2], [2, 2]))).rejects.toThrow(/nan\.npy.*non-finite value NaN at flat index 2/);
    await expect(readNpy(float64Npy('big.npy', [0, 1e39, 2, 3], [2, 2]))).rejects.toThrow(/big\.npy.*float64 value 1e\+39 at flat index 1 is beyond float32's range/);
  });

  it("accepts float32's largest value as NumPy prints it (3.4028235e+38 rounds to it), refuses the next one up", async () => {
    const raw = await readNpy(float64Npy('max.npy', [3.4028235e38, -3.4028235e38], [2]));
    expect(Array.from(raw.data)).toEqual([FLOAT32_MAX, -FLOAT32_MAX]);
    await expect(readNpy(float64Npy('over.npy', [1, -3.4028236e38], [2]))).rejects.toThrow(/over\.npy: float64 value -3\.4028236e\+38 at flat index 1 is beyond float32's range/);
  });

  it('says how to convert an unsupported dtype', async () => {
    const path = float64Npy('int64.npy', [1, 2], [2]); // then relabelled: same sizes, an int64 header
    writeFileSync(path, Buffer.from(readFileSync(path).toString('latin1').replace("'<f8'", "'<i8'"), 'latin1'));
    await expect(readNpy(path)).rejects.toThrow(`${path}: unsupported dtype '<i8' (supported: '<f4', '<f8', '|u1', '|b1'); save it as float32: np.save(path, a.astype('<f4'))`);
  });
});

describe('CSV', () => {
  const csv = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads numbers with or without a header line, ignoring blank lines and spaces', async () => {
    const withHeader = await readCsv(csv('h.csv', 'a, b ,c\n1,2,3\n\n 4.5 ,-6e-1, .25\r\n'));
    expect(withHeader).toMatchObject({ dtype: 'float32', shape: [2, 3], header: { source: 'csv', columns: ['a', 'b', 'c'] } });
    expect(Array.from(withHeader.data)).toEqual([1, 2, 3, 4.5, -0.6, 0.25].map(Math.fround));
    const plain = await readCsv(csv('p.csv', '1,2\n3,4\n5,6\n'));
    expect(plain.shape).toEqual([3, 2]);
    expect(plain.header).toEqual({ source: 'csv' });
    const d = await loadDataset(`file:${join(dir, 'p.csv')}`, { seed: 0 });
    expect(d.description).toMatch(/^file .*p\.csv \(csv text converted to float32 \[3, 2\], real\), seeded row split: 2 train \/ 1 test rows of 2$/);
  });

  it('names the file, line and column of every problem', async () => {
    await expect(readCsv(csv('ragged.csv', 'a,b\n1,2\n3\n'))).rejects.toThrow(/ragged\.csv.*line 3 has 1 columns but the rows before it have 2/);
    await expect(readCsv(csv('ragged-h.csv', 'a,b,c\n1,2\n'))).rejects.toThrow(/ragged-h\.csv.*line 2 has 2 columns but the header has 3/);
    await expect(readCsv(csv('text.csv', '1,2\n3,x4\n'))).rejects.toThrow(/text\.csv.*line 2, column 2: "x4" is not a number/);
    await expect(readCsv(csv('empty-cell.csv', '1,,2\n'))).rejects.toThrow(/empty-cell\.csv.*line 1, column 2: "" is not a number/);
    await expect(readCsv(csv('only-header.csv', 'a,b\n\n'))).rejects.toThrow(/only-header\.csv.*no data rows/);
    await expect(readCsv(csv('huge.csv', '1,2e39\n'))).rejects.toThrow(/huge\.csv.*line 1, column 2: 2e39 is beyond float32's range/);
    await expect(readCsv(csv('over.csv', '1,2\n3,-3.4028236e+38\n'))).rejects.toThrow(/over\.csv: line 2, column 2: -3\.4028236e\+38 is beyond float32's range/);
  });

  it("reads float32's largest value as NumPy prints it", async () => {
    const raw = await readCsv(csv('max.csv', '3.4028235e+38,-3.4028235e+38\n0,1\n'));
    expect(Array.from(raw.data)).toEqual([FLOAT32_MAX, -FLOAT32_MAX, 0, 1]);
  });
});

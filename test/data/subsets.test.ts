/**
 * `--train N` / `--test N` on MNIST take a seeded random subset, not the first
 * N rows (regression: the binarized MNIST test split is not in random order;
 * its first 2,000 rows have 0.1232 of their pixels on against 0.1325 for all
 * 10,000, ten standard errors away, and scored ~20 nats better). Real data;
 * skipped when shared/data is absent.
 */
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load-dataset.js';
import type { Matrix } from '../../src/data/matrix.js';
import { REAL_DATA } from './helpers.js';

const density = (m: Matrix) => m.values.reduce((a, b) => a + b, 0) / m.values.length;
const rowKeys = (m: Matrix) => Array.from({ length: m.rows }, (_, r) => Buffer.from(m.values.buffer, m.values.byteOffset + r * m.cols * 4, m.cols * 4).toString('base64'));

describe.skipIf(REAL_DATA === undefined)('MNIST subsets', () => {
  const dataDir = REAL_DATA ?? '';

  it('mnist:binarized --test 2000 is a seeded random subset: its pixel density is the full set\'s within 4 SE; nested; says so', async () => {
    const full = await loadDataset('mnist:binarized', { seed: 0, dataDir });
    const sub = await loadDataset('mnist:binarized', { seed: 0, dataDir, test: 2000 });
    expect(sub.test.rows).toBe(2000);
    // SE of a 2000-row mean density: row sums have sd 34.5 of 784 pixels, finite-population corrected.
    const se = (34.5 / 784 / Math.sqrt(2000)) * Math.sqrt(8000 / 9999);
    expect(Math.abs(density(sub.test) - density(full.test))).toBeLessThan(4 * se);
    const all = new Set(rowKeys(full.test));
    expect(rowKeys(sub.test).every((k) => all.has(k))).toBe(true);
    const small = await loadDataset('mnist:binarized', { seed: 0, dataDir, test: 500 });
    const subKeys = new Set(rowKeys(sub.test));
    expect(rowKeys(small.test).every((k) => subKeys.has(k))).toBe(true);
    expect(sub.description).toContain('(test: a seeded random 2000 of 10000)');
    expect(full.description).not.toContain('seeded random');
    const other = await loadDataset('mnist:binarized', { seed: 1, dataDir, test: 2000 });
    expect(rowKeys(other.test)).not.toEqual(rowKeys(sub.test));
  });

  it('mnist:dynamic --train/--test subsets keep each row\'s label, and every digit appears in proportion', async () => {
    const full = await loadDataset('mnist:dynamic', { seed: 3, dataDir });
    const sub = await loadDataset('mnist:dynamic', { seed: 3, dataDir, train: 3000, test: 1000 });
    const labelOf = new Map(rowKeys(full.intensities!.test).map((k, i) => [k, full.labels!.test[i]]));
    rowKeys(sub.intensities!.test).forEach((k, i) => expect(labelOf.get(k)).toBe(sub.labels!.test[i]));
    const counts = new Array<number>(10).fill(0);
    for (const l of sub.labels!.train) counts[l]!++;
    for (const c of counts) expect(c).toBeGreaterThan(200); // ~300 each; the first 3000 would be too, but a sorted file not
    expect(sub.description).toContain('(train: a seeded random 3000 of 60000; test: a seeded random 1000 of 10000)');
  });
});

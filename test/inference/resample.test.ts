/**
 * SIR's resampling draws independently per row on every backend (regression:
 * `tf.multinomial` on the cpu and native backends re-seeded per row, so every
 * row of a call took the same index and all draws of a chunk were dependent).
 *
 * (a) the probe that found it: 10,000 rows of uniform weights over 10
 *     outcomes, chi-square on the index counts (9 degrees of freedom; we fail
 *     above 27.9, p = 0.001), and for unequal weights;
 * (b) the across-seed variance of SIR posterior means on the linear-Gaussian
 *     fixture against the independent-draw value s²/n, on every backend. For
 *     S seeds the ratio var_seeds(mean) / (mean_seeds(s²) / n) is ≈ χ²_{S−1}/(S−1)
 *     under independence (sd √(2/(S−1)) = 0.19 for S = 56); the 8 ratios
 *     (2 points × 4 coordinates) are averaged and must lie within 0.35 of 1.
 *     With the shared uniform the ratio was several times 1.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/backend/random.js';
import { resampleIndices } from '../../src/inference/resample.js';
import { compileModel, type StrataModel } from '../../src/index.js';
import { oneLevelGuideParameters, oneLevelMeanFieldGuide, oneLevelModelParameters, TestRandom, type OneLevelParams } from '../helpers/linear-gaussian.js';
import { nativeBuilt } from '../native/helpers.js';

const CHI2_9_P001 = 27.877;

function chiSquare(counts: readonly number[], expected: readonly number[]): number {
  return counts.reduce((s, c, i) => s + (c - expected[i]!) ** 2 / expected[i]!, 0);
}

function counts(indices: Int32Array, k: number): number[] {
  const c = new Array<number>(k).fill(0);
  for (const i of indices) c[i]!++;
  return c;
}

describe('resampleIndices', () => {
  it('uniform weights over 10 outcomes, 10,000 rows: counts pass chi-square (the probe of issue 14)', () => {
    for (const seed of [0, 1, 2]) {
      const index = resampleIndices(new Float32Array(10 * 10_000), 10, new SeededRandom(seed));
      expect(chiSquare(counts(index, 10), new Array(10).fill(1000))).toBeLessThan(CHI2_9_P001);
    }
  });

  it('unequal weights, given as log-weights on any scale, are drawn in proportion', () => {
    const w = [1, 2, 3, 4, 0.5, 0.25, 8, 1, 1, 0.25];
    const total = w.reduce((a, b) => a + b, 0);
    const rows = 20_000;
    const logW = new Float64Array(rows * 10).map((_, j) => Math.log(w[j % 10]!) - 700); // far below exp's range: only differences count
    const index = resampleIndices(logW, 10, new SeededRandom(5));
    expect(chiSquare(counts(index, 10), w.map((v) => (rows * v) / total))).toBeLessThan(CHI2_9_P001);
  });

  it('never picks a particle of zero weight, and one dominant weight always wins', () => {
    const logW = Float64Array.from({ length: 6 * 5000 }, (_, j) => (j % 6 === 2 || j % 6 === 5 ? -Infinity : j % 6 === 4 ? 0 : -800));
    const index = resampleIndices(logW, 6, new SeededRandom(1));
    expect(counts(index, 6)).toEqual([0, 0, 0, 0, 5000, 0]);
  });

  it('is a pure function of the seed, and rows get different uniforms', () => {
    const logW = new Float32Array(4 * 1000);
    const a = resampleIndices(logW, 4, new SeededRandom(9));
    expect(resampleIndices(logW, 4, new SeededRandom(9))).toEqual(a);
    expect(new Set(a).size).toBe(4);
  });

  it('refuses NaN, +∞ and all-zero rows, naming the row', () => {
    expect(() => resampleIndices([0, 0, 0, NaN], 2, new SeededRandom(0))).toThrow('particle 1 of row 1 is NaN');
    expect(() => resampleIndices([Infinity, 0], 2, new SeededRandom(0))).toThrow('particle 0 of row 0 is Infinity');
    expect(() => resampleIndices([0, 0, -Infinity, -Infinity], 2, new SeededRandom(0))).toThrow('every importance weight of row 1 is zero');
    expect(() => resampleIndices([0, 0, 0], 2, new SeededRandom(0))).toThrow(RangeError);
  });
});

const SOURCE = readFileSync(fileURLToPath(new URL('../../models/linear-gaussian.ppl', import.meta.url)), 'utf8');
const rng = new TestRandom(31);
const params: OneLevelParams = { W: rng.matrix(4, 6, 0.8), b: rng.normals(6, 0.3) };
const exact = oneLevelMeanFieldGuide(params, 1);
// A guide shifted and too wide, so the weights matter (ESS well below k).
const guide = { weight: exact.weight, bias: exact.bias.map((v, i) => v + 0.5 * exact.scale[i]!), scale: exact.scale.map((s) => 1.4 * s) };
const XS = [
  [0.8, -1.1, 0.4, 1.6, -0.3, 0.2],
  [-1.5, 0.6, 1.2, -0.4, 0.9, -1.8],
];

const backends = ['cpu', 'wasm', ...(nativeBuilt ? ['native'] : [])];
const models: StrataModel[] = [];
afterAll(() => models.forEach((m) => m.dispose()));

describe.each(backends)('SIR draws on the %s backend', (backend) => {
  it('are independent: the across-seed variance of SIR means is s²/n (ratio within 0.35 of 1)', async () => {
    const model = await compileModel(SOURCE, { backend, seed: 0, fileName: 'models/linear-gaussian.ppl' });
    models.push(model);
    expect(tf.getBackend()).toBe(backend);
    model.setParameters({ ...oneLevelModelParameters(params), ...oneLevelGuideParameters(guide) });
    const [S, n, k, D] = [56, 400, 10, 4]; // n draws fit one chunk (4096 / k), where the shared uniform did its harm
    const means: number[][] = []; // [seed][point·D + coordinate]
    const variances: number[][] = [];
    for (let seed = 0; seed < S; seed++) {
      const { samples } = await model.sample(XS, { k, n, seed: 1000 + seed });
      const z = samples['z']!.values;
      const m: number[] = [];
      const v: number[] = [];
      for (let p = 0; p < XS.length; p++) {
        for (let c = 0; c < D; c++) {
          const xs = Array.from({ length: n }, (_, s) => z[(p * n + s) * D + c]!);
          const mean = xs.reduce((a, b) => a + b, 0) / n;
          m.push(mean);
          v.push(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
        }
      }
      means.push(m);
      variances.push(v);
    }
    const ratios = means[0]!.map((_, j) => {
      const column = means.map((m) => m[j]!);
      const grand = column.reduce((a, b) => a + b, 0) / S;
      const across = column.reduce((a, b) => a + (b - grand) ** 2, 0) / (S - 1);
      const within = variances.reduce((a, v) => a + v[j]!, 0) / S;
      return across / (within / n);
    });
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    expect(mean, `ratios ${ratios.map((r) => r.toFixed(2)).join(' ')}`).toBeGreaterThan(0.65);
    expect(mean, `ratios ${ratios.map((r) => r.toFixed(2)).join(' ')}`).toBeLessThan(1.35);
  });
});

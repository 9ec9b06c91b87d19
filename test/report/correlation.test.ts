/** Correlation matrices of samples and their strongest pairs, against values computed by hand. */
import { describe, expect, it } from 'vitest';
import { correlationMatrix, offDiagonalAbs, strongestPairs } from '../../src/report/stats/correlation.js';
import { highestContrast } from '../../src/report/analyses/posterior-correlations.js';

describe('correlationMatrix', () => {
  it('gives ±1 for linear relations, 0 for a constant coordinate, and the textbook value otherwise', () => {
    // Columns: a, 2a + 1, −a, constant, b with corr(a, b) computed by hand.
    const a = [1, 2, 3, 4];
    const b = [2, 1, 4, 3];
    const samples = Float64Array.from(a.flatMap((v, s) => [v, 2 * v + 1, -v, 5, b[s]!]));
    const c = correlationMatrix(samples, 4, 5);
    const at = (i: number, j: number) => c[i * 5 + j]!;
    expect(at(0, 1)).toBeCloseTo(1, 12);
    expect(at(0, 2)).toBeCloseTo(-1, 12);
    expect(at(0, 3)).toBe(0);
    expect(at(3, 3)).toBe(1);
    // a − ā = (−1.5, −.5, .5, 1.5), b − b̄ = (−.5, −1.5, 1.5, .5): Σ = 0.75 + 0.75 + 0.75 + 0.75 = 3, each norm² = 5.
    expect(at(0, 4)).toBeCloseTo(3 / 5, 12);
    expect(at(4, 0)).toBe(at(0, 4));
  });

  it('lists the strongest pairs by |r| and all off-diagonal |r|', () => {
    const d = 4;
    const c = Float64Array.from([1, 0.2, -0.9, 0.1, 0.2, 1, 0.5, -0.3, -0.9, 0.5, 1, 0, 0.1, -0.3, 0, 1]);
    expect(strongestPairs(c, d, 2)).toEqual([{ i: 0, j: 2, r: -0.9 }, { i: 1, j: 2, r: 0.5 }]);
    expect(strongestPairs(c, d, 1, [1, 3])).toEqual([{ i: 1, j: 3, r: -0.3 }]);
    expect(Array.from(offDiagonalAbs(c, d))).toEqual([0.2, 0.9, 0.1, 0.5, 0.3, 0]);
  });
});

describe('highestContrast', () => {
  it('orders rows by pixel standard deviation, ties by row', () => {
    const m = { values: Float32Array.from([0, 0, 0, 0, 1, -1, 1, -1, 2, 0, 2, 0]), rows: 3, cols: 4 };
    expect(highestContrast(m, 2)).toEqual([{ row: 1, contrast: 1 }, { row: 2, contrast: 1 }]); // a tie goes to the lower row
  });
});

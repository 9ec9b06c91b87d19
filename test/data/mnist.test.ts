import { describe, expect, it } from 'vitest';
import { matrix } from '../../src/data/matrix.js';
import { binarize, intensities } from '../../src/data/mnist.js';

describe('dynamic binarization', () => {
  const p = matrix(Float32Array.from({ length: 4 * 1000 }, (_, i) => [0, 0.1, 0.5, 1][i % 4]!), 1000, 4);

  it('draws Bernoulli(p) per pixel: mean within 4 standard errors', () => {
    const x = binarize(p, 0);
    expect(x).toMatchObject({ rows: 1000, cols: 4 });
    for (const [col, q] of [[0, 0], [1, 0.1], [2, 0.5], [3, 1]] as const) {
      let s = 0;
      for (let r = 0; r < 1000; r++) s += x.values[r * 4 + col]!;
      const se = Math.sqrt((q * (1 - q)) / 1000);
      expect(Math.abs(s / 1000 - q)).toBeLessThanOrEqual(4 * se);
    }
    expect(x.values.every((v) => v === 0 || v === 1)).toBe(true);
  });

  it('is reproducible with a seed (0 included) and differs across seeds and streams', () => {
    expect(binarize(p, 0).values).toEqual(binarize(p, 0).values);
    expect(binarize(p, 0).values).not.toEqual(binarize(p, 1).values);
    expect(binarize(p, 0, 1).values).not.toEqual(binarize(p, 0).values);
  });

  it('rejects probabilities outside [0, 1] and bad seeds', () => {
    expect(() => binarize(matrix(Float32Array.of(0.5, 2), 1, 2), 0)).toThrow('binarize: probability 2 at index 1 is not in [0, 1]');
    expect(() => binarize(p, 1.5)).toThrow('seed must be a safe integer');
  });

  it('scales bytes to intensities in [0, 1]', () => {
    const m = intensities(Uint8Array.of(0, 255, 51, 102), 2);
    expect(m).toMatchObject({ rows: 2, cols: 2 });
    expect(Array.from(m.values)).toEqual([0, 1, 0.2, 0.4].map(Math.fround));
  });
});

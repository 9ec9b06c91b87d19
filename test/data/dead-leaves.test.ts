import { describe, expect, it } from 'vitest';
import { deadLeaves, powerLawRadius } from '../../src/data/dead-leaves.js';
import { Rng } from '../../src/data/rng.js';
import { bandPower, MID_BANDS, spread } from './spectrum.js';

describe('dead leaves', () => {
  const small = { count: 3, size: 64, seed: 0 };

  it('has the requested size and gray levels in [0, 255)', () => {
    const stack = deadLeaves(small);
    expect(stack).toMatchObject({ count: 3, height: 64, width: 64 });
    expect(stack.values).toHaveLength(3 * 64 * 64);
    expect(stack.values.every((v) => v >= 0 && v < 255)).toBe(true);
    const def = deadLeaves({ seed: 1 });
    expect(def).toMatchObject({ count: 8, height: 256, width: 256 });
  });

  it('is piecewise constant: few distinct gray levels relative to pixels', () => {
    const image = deadLeaves({ ...small, count: 1 }).values;
    expect(new Set(image).size).toBeLessThan(image.length / 4);
    expect(new Set(image).size).toBeGreaterThan(10);
  });

  it('is reproducible with a seed (0 included) and changes with it', () => {
    expect(deadLeaves(small).values).toEqual(deadLeaves(small).values);
    expect(deadLeaves({ ...small, seed: 1 }).values).not.toEqual(deadLeaves(small).values);
    // Images differ from each other within a stack.
    const s = deadLeaves(small).values;
    expect(s.subarray(0, 4096)).not.toEqual(s.subarray(4096, 8192));
  });

  it('draws radii from p(r) ∝ r^-3 on [rMin, rMax]', () => {
    // CDF F(r) = (1 - (rMin/r)^2) / (1 - (rMin/rMax)^2); check the median and the 90% quantile by inversion.
    expect(powerLawRadius(0, 1, 100)).toBeCloseTo(1, 12);
    expect(powerLawRadius(1, 1, 100)).toBeCloseTo(100, 9);
    const rng = new Rng(5);
    const n = 20000;
    const radii = Array.from({ length: n }, () => powerLawRadius(rng.float(), 1, 100));
    const cdf = (r: number): number => (1 - 1 / r ** 2) / (1 - 1e-4);
    for (const r of [1.2, 1.5, 3]) {
      const p = cdf(r);
      const observed = radii.filter((x) => x <= r).length / n;
      // Binomial standard error sqrt(p(1-p)/n); 4 of them.
      expect(Math.abs(observed - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
  });

  it('has a falling, roughly 1/f^2 power spectrum', () => {
    const n = 128;
    const image = deadLeaves({ count: 1, size: n, seed: 2 }).values;
    const power = bandPower(image, n, MID_BANDS);
    for (let b = 1; b < power.length; b++) expect(power[b]).toBeLessThan(power[b - 1]!);
    // (0.24 / 0.04)^2 = 36 for an exact 1/f^2 law; a single image is noisy, so ask for > 8.
    expect(spread(power)).toBeGreaterThan(8);
  });

  it('rejects bad options', () => {
    expect(() => deadLeaves({ seed: 0, count: 0 })).toThrow('count must be a positive integer');
    expect(() => deadLeaves({ seed: 0, rMin: 5, rMax: 2 })).toThrow('need 0 < rMin <= rMax');
    expect(() => deadLeaves({ seed: Number.NaN })).toThrow('seed must be a safe integer');
  });
});

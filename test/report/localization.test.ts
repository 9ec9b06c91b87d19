/**
 * The localization measure of projective fields on synthetic filters: Gabor
 * patches of the sizes V1-like fields have (localized) against white noise and
 * full-field gratings (not), at the report's default window and threshold.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/data/rng.js';
import { defaultWindow, energyConcentration, LOCALIZED_THRESHOLD } from '../../src/report/stats/localization.js';

const SIDE = 20;

/** A Gabor: Gaussian envelope (σ) times a cosine grating (wavelength, orientation θ, phase). */
function gabor(o: { row: number; col: number; sigma: number; wavelength: number; theta: number; phase: number }): Float64Array {
  const f = new Float64Array(SIDE * SIDE);
  for (let r = 0; r < SIDE; r++) {
    for (let c = 0; c < SIDE; c++) {
      const y = r - o.row;
      const x = c - o.col;
      const along = x * Math.cos(o.theta) + y * Math.sin(o.theta);
      f[r * SIDE + c] = Math.exp(-(x * x + y * y) / (2 * o.sigma ** 2)) * Math.cos((2 * Math.PI * along) / o.wavelength + o.phase);
    }
  }
  return f;
}

const rng = new Rng(17, 0);
const uniform = (lo: number, hi: number) => lo + (hi - lo) * rng.float();
const normal = () => Math.sqrt(-2 * Math.log(1 - rng.float())) * Math.cos(2 * Math.PI * rng.float());

describe('energyConcentration', () => {
  it('uses a 7 x 7 window on 20 x 20 patches and a threshold of 0.5 by default', () => {
    expect(defaultWindow(20, 20)).toBe(7);
    expect(LOCALIZED_THRESHOLD).toBe(0.5);
  });

  it('is 1 for a single pixel, window²/area for a constant image and 0 for zeros', () => {
    const delta = new Float64Array(SIDE * SIDE);
    delta[7 * SIDE + 13] = -3;
    expect(energyConcentration(delta, SIDE, SIDE)).toBe(1);
    expect(energyConcentration(new Float64Array(SIDE * SIDE).fill(2), SIDE, SIDE)).toBeCloseTo(49 / 400, 12);
    expect(energyConcentration(new Float64Array(SIDE * SIDE), SIDE, SIDE)).toBe(0);
  });

  it('calls Gabor filters with σ up to 3.5 px anywhere in the patch localized', () => {
    const scores: number[] = [];
    for (let i = 0; i < 200; i++) {
      const f = gabor({ row: uniform(2, 17), col: uniform(2, 17), sigma: uniform(1, 3.5), wavelength: uniform(3, 8), theta: uniform(0, Math.PI), phase: uniform(0, 2 * Math.PI) });
      scores.push(energyConcentration(f, SIDE, SIDE));
    }
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(LOCALIZED_THRESHOLD);
  });

  it('calls white noise and full-field gratings non-localized', () => {
    for (let i = 0; i < 200; i++) {
      const noise = Float64Array.from({ length: SIDE * SIDE }, normal);
      expect(energyConcentration(noise, SIDE, SIDE)).toBeLessThan(LOCALIZED_THRESHOLD);
      const grating = gabor({ row: 10, col: 10, sigma: 1e6, wavelength: uniform(2.5, 10), theta: uniform(0, Math.PI), phase: uniform(0, 2 * Math.PI) });
      expect(energyConcentration(grating, SIDE, SIDE)).toBeLessThan(LOCALIZED_THRESHOLD);
    }
  });

  it('checks the filter size', () => {
    expect(() => energyConcentration(new Float64Array(10), 4, 4)).toThrow(/10 values for a 4 x 4 filter/);
  });
});

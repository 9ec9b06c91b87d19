import { describe, expect, it } from 'vitest';
import { imageStack } from '../../src/data/image-stack.js';
import { reflect, whiteningFilter, whitenStack } from '../../src/data/whiten.js';
import { bandPower, MID_BANDS, oneOverFImage, spread } from './spectrum.js';

describe('whitening filter', () => {
  it('is f exp(-(f/f0)^4) with f0 = 0.4 cycles/pixel', () => {
    expect(whiteningFilter(0)).toBe(0);
    expect(whiteningFilter(0.4)).toBeCloseTo(0.4 * Math.exp(-1), 15);
    expect(whiteningFilter(0.1, 0.2)).toBeCloseTo(0.1 * Math.exp(-(0.5 ** 4)), 15);
  });

  it('reflects indices half-sample symmetrically', () => {
    expect([-3, -2, -1, 0, 1, 3, 4, 5, 7, 8].map((i) => reflect(i, 4))).toEqual([2, 1, 0, 0, 1, 3, 3, 2, 0, 0]);
  });

  it('flattens the spectrum of a 1/f image in the mid frequencies', () => {
    const n = 256;
    const image = oneOverFImage(n, 11);
    const before = bandPower(image, n, MID_BANDS);
    const white = whitenStack(imageStack(image, [1, n, n])).values;
    const after = bandPower(white, n, MID_BANDS);
    // 1/f amplitude: power falls ~ (0.24 / 0.04)^2 = 36-fold across the bands before whitening.
    expect(spread(before)).toBeGreaterThan(20);
    // After: W(f)^2 / f^2 = exp(-2 (f / 0.4)^4), within 1.4 over these bands, plus sampling noise.
    expect(spread(after)).toBeLessThan(2);
  });

  it('whitens two images in one FFT exactly as one at a time', () => {
    const n = 64;
    const a = oneOverFImage(n, 1);
    const b = oneOverFImage(n, 2);
    const both = whitenStack(imageStack(Float32Array.from([...a, ...b]), [2, n, n])).values;
    const alone = [...whitenStack(imageStack(a, [1, n, n])).values, ...whitenStack(imageStack(b, [1, n, n])).values];
    both.forEach((v, i) => expect(v).toBeCloseTo(alone[i]!, 4));
  });

  it('uses only the valid rows and leaves the rest 0', () => {
    const n = 64;
    const image = oneOverFImage(n, 3);
    const garbage = Float32Array.from(image);
    for (let i = 50 * n; i < n * n; i++) garbage[i] = 1000;
    const clean = whitenStack(imageStack(image, [1, n, n], [50])).values;
    const dirty = whitenStack(imageStack(garbage, [1, n, n], [50])).values;
    expect(Array.from(dirty)).toEqual(Array.from(clean));
    expect(dirty.subarray(50 * n).every((v) => v === 0)).toBe(true);
    expect(dirty.subarray(0, 50 * n).some((v) => v !== 0)).toBe(true);
  });

  it('whitens non-square, non-power-of-two images', () => {
    const h = 40;
    const w = 100;
    const image = Float32Array.from({ length: h * w }, (_, i) => Math.sin(i / 7) * 50 + 100);
    const white = whitenStack(imageStack(image, [1, h, w])).values;
    expect(white.length).toBe(h * w);
    expect(white.every(Number.isFinite)).toBe(true);
    // The filter removes the DC component: the constant 100 must not survive.
    expect(Math.abs(white.reduce((s, v) => s + v, 0) / white.length)).toBeLessThan(5);
  });
});

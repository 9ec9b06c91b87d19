import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binFrequency, fft, fft2d, isPowerOfTwo, nextPowerOfTwo } from '../../src/data/fft.js';

/** X_k = sum_n x_n exp(-2 pi i k n / N), computed directly in O(N^2). */
function naiveDft(re: readonly number[], im: readonly number[]): [number[], number[]] {
  const n = re.length;
  const outRe: number[] = [];
  const outIm: number[] = [];
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * k * t) / n;
      sr += re[t]! * Math.cos(a) - im[t]! * Math.sin(a);
      si += re[t]! * Math.sin(a) + im[t]! * Math.cos(a);
    }
    outRe.push(sr);
    outIm.push(si);
  }
  return [outRe, outIm];
}

const value = fc.float({ min: Math.fround(-10), max: Math.fround(10), noNaN: true });
const signal = fc.integer({ min: 0, max: 7 }).chain((log) => fc.tuple(fc.array(value, { minLength: 2 ** log, maxLength: 2 ** log }), fc.array(value, { minLength: 2 ** log, maxLength: 2 ** log })));

describe('fft', () => {
  it('matches the naive DFT for every power-of-two length up to 128 (property)', () => {
    fc.assert(
      fc.property(signal, ([re, im]) => {
        const [wantRe, wantIm] = naiveDft(re, im);
        const gotRe = Float64Array.from(re);
        const gotIm = Float64Array.from(im);
        fft(gotRe, gotIm);
        // Rounding error of both sums grows like N * eps * max|x|; 1e-9 * N * 10 is far above it.
        const tol = 1e-9 * re.length * 10 + 1e-12;
        wantRe.forEach((w, k) => expect(Math.abs(gotRe[k]! - w)).toBeLessThan(tol));
        wantIm.forEach((w, k) => expect(Math.abs(gotIm[k]! - w)).toBeLessThan(tol));
      }),
      { numRuns: 60 },
    );
  });

  it('inverts exactly up to rounding, and keeps Parseval', () => {
    fc.assert(
      fc.property(signal, ([re, im]) => {
        const r = Float64Array.from(re);
        const i = Float64Array.from(im);
        fft(r, i);
        const energy = re.reduce((s, x, k) => s + x * x + im[k]! ** 2, 0);
        const spectral = r.reduce((s, x, k) => s + x * x + i[k]! ** 2, 0) / re.length;
        expect(Math.abs(spectral - energy)).toBeLessThanOrEqual(1e-9 * (1 + energy));
        fft(r, i, true);
        re.forEach((x, k) => expect(Math.abs(r[k]! - x)).toBeLessThan(1e-9));
      }),
      { numRuns: 40 },
    );
  });

  it('computes a delta and a pure tone exactly', () => {
    const re = Float64Array.of(1, 0, 0, 0);
    const im = new Float64Array(4);
    fft(re, im);
    expect(Array.from(re)).toEqual([1, 1, 1, 1]);
    const tone = Float64Array.from({ length: 8 }, (_, t) => Math.cos((2 * Math.PI * t) / 8));
    const toneIm = new Float64Array(8);
    fft(tone, toneIm);
    expect(tone[1]).toBeCloseTo(4, 12);
    expect(tone[7]).toBeCloseTo(4, 12);
    expect(tone[3]).toBeCloseTo(0, 12);
  });

  it('rejects lengths that are not powers of two', () => {
    expect(() => fft(new Float64Array(6), new Float64Array(6))).toThrow('power of two');
    expect(() => fft2d(new Float64Array(12), new Float64Array(12), 4, 3)).toThrow('powers of two');
  });
});

describe('fft2d', () => {
  it('matches the naive 2-D DFT on an 8 x 4 array', () => {
    const rows = 8;
    const cols = 4;
    const x = Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 1.7) + (i % 3));
    const re = Float64Array.from(x);
    const im = new Float64Array(rows * cols);
    fft2d(re, im, rows, cols);
    for (let k = 0; k < rows; k++) {
      for (let l = 0; l < cols; l++) {
        let sr = 0;
        let si = 0;
        for (let m = 0; m < rows; m++) {
          for (let n = 0; n < cols; n++) {
            const a = -2 * Math.PI * ((k * m) / rows + (l * n) / cols);
            sr += x[m * cols + n]! * Math.cos(a);
            si += x[m * cols + n]! * Math.sin(a);
          }
        }
        expect(re[k * cols + l]).toBeCloseTo(sr, 9);
        expect(im[k * cols + l]).toBeCloseTo(si, 9);
      }
    }
    fft2d(re, im, rows, cols, true);
    x.forEach((v, i) => expect(re[i]).toBeCloseTo(v, 12));
  });
});

describe('helpers', () => {
  it('powers of two and bin frequencies', () => {
    expect([1, 2, 3, 64, 0, 2.5].map(isPowerOfTwo)).toEqual([true, true, false, true, false, false]);
    expect([1, 3, 64, 65, 510].map(nextPowerOfTwo)).toEqual([1, 4, 64, 128, 512]);
    expect([0, 1, 3, 4, 7].map((k) => binFrequency(k, 8))).toEqual([0, 0.125, 0.375, -0.5, -0.125]);
  });
});

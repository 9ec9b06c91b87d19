/**
 * Test helpers for spectra: Gaussian noise with a chosen amplitude spectrum
 * and the radially averaged power of an image.
 */
import { binFrequency, fft2d } from '../../src/data/fft.js';
import { Rng } from '../../src/data/rng.js';

/** Standard-normal draws (Box–Muller) from a seeded stream. */
export function gaussian(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rng.float()));
    const t = 2 * Math.PI * rng.float();
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

/** An n x n image whose amplitude spectrum is 1/f (power 1/f^2): white noise filtered by 1/f. */
export function oneOverFImage(n: number, seed: number): Float32Array {
  const re = gaussian(n * n, seed);
  const im = new Float64Array(n * n);
  fft2d(re, im, n, n);
  for (let k = 0; k < n; k++) {
    for (let l = 0; l < n; l++) {
      const f = Math.hypot(binFrequency(k, n), binFrequency(l, n));
      const g = f === 0 ? 0 : 1 / f;
      re[k * n + l] = re[k * n + l]! * g;
      im[k * n + l] = im[k * n + l]! * g;
    }
  }
  fft2d(re, im, n, n, true);
  return Float32Array.from(re);
}

/** Mean power |X(f)|^2 of an n x n image over each band [lo, hi) of radial frequency (cycles/pixel). */
export function bandPower(image: ArrayLike<number>, n: number, bands: readonly (readonly [number, number])[]): number[] {
  const re = Float64Array.from(image);
  const im = new Float64Array(n * n);
  fft2d(re, im, n, n);
  const sums = bands.map(() => 0);
  const counts = bands.map(() => 0);
  for (let k = 0; k < n; k++) {
    for (let l = 0; l < n; l++) {
      const f = Math.hypot(binFrequency(k, n), binFrequency(l, n));
      bands.forEach(([lo, hi], b) => {
        if (f >= lo && f < hi) {
          sums[b] += re[k * n + l]! ** 2 + im[k * n + l]! ** 2;
          counts[b]++;
        }
      });
    }
  }
  return sums.map((s, b) => s / counts[b]!);
}

/** max / min of positive numbers. */
export const spread = (xs: readonly number[]): number => Math.max(...xs) / Math.min(...xs);

/** Mid-frequency bands, cycles per pixel. */
export const MID_BANDS: readonly (readonly [number, number])[] = [
  [0.03, 0.05], [0.05, 0.08], [0.08, 0.12], [0.12, 0.17], [0.17, 0.22], [0.22, 0.26],
];

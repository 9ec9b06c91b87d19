/**
 * Procedural natural-like images from the dead-leaves model (Matheron 1968;
 * Lee, Mumford & Huang 2001): opaque discs fall on the plane with uniform
 * centres, radii of density p(r) ∝ r^-3 on [rMin, rMax] and uniform random
 * gray levels; each pixel shows the first disc that covers it. The r^-3 law
 * makes the model nearly scale invariant, so its power spectrum falls off
 * roughly as 1/f^2 (amplitude ~ 1/f), like natural images.
 *
 * Simulation is exact, front to back (Kendall & Thönnes 1999): discs are
 * drawn in order from the top and paint only pixels not yet covered, until
 * every pixel is covered. Centres range over the window dilated by rMax so
 * discs that hang over the border are included.
 */
import { DataError } from './data-error.js';
import type { ImageStack } from './image-stack.js';
import { Rng, STREAM, assertSeed } from './rng.js';

export interface DeadLeavesOptions {
  /** Number of images (default 8). */
  readonly count?: number;
  /** Image side in pixels (default 256). */
  readonly size?: number;
  /** Smallest radius in pixels (default 1). */
  readonly rMin?: number;
  /** Largest radius in pixels (default size / 2). */
  readonly rMax?: number;
  /** Seed of the images (any safe integer, 0 included). */
  readonly seed: number;
}

/** Radius by inversion of the CDF of p(r) ∝ r^-3 on [a, b]: r = (a^-2 - u (a^-2 - b^-2))^(-1/2). */
export function powerLawRadius(u: number, rMin: number, rMax: number): number {
  const a = 1 / (rMin * rMin);
  return 1 / Math.sqrt(a - u * (a - 1 / (rMax * rMax)));
}

/** Paints one image front to back into `out` (size x size, offset `at`). */
function paintImage(out: Float32Array, at: number, size: number, rMin: number, rMax: number, rng: Rng): void {
  const filled = new Uint8Array(size * size);
  let remaining = size * size;
  const span = size + 2 * rMax;
  // Far more discs than the ~ S ln S / E[area] that cover the image; a safety cap only.
  const cap = 200 * size * size;
  for (let drawn = 0; remaining > 0 && drawn < cap; drawn++) {
    const cy = rng.float() * span - rMax;
    const cx = rng.float() * span - rMax;
    const r = powerLawRadius(rng.float(), rMin, rMax);
    const gray = rng.float() * 255;
    const y0 = Math.max(0, Math.ceil(cy - r - 0.5));
    const y1 = Math.min(size - 1, Math.floor(cy + r - 0.5));
    for (let y = y0; y <= y1; y++) {
      const dy = y + 0.5 - cy;
      const half = Math.sqrt(Math.max(0, r * r - dy * dy));
      const x0 = Math.max(0, Math.ceil(cx - half - 0.5));
      const x1 = Math.min(size - 1, Math.floor(cx + half - 0.5));
      for (let x = x0; x <= x1; x++) {
        const p = y * size + x;
        if (filled[p] === 0) {
          filled[p] = 1;
          out[at + p] = gray;
          remaining--;
        }
      }
    }
  }
  if (remaining > 0) for (let p = 0; p < size * size; p++) if (filled[p] === 0) out[at + p] = 127.5;
}

/**
 * Generates `count` dead-leaves images of `size x size` pixels with gray
 * levels in [0, 255) (raw, not whitened: feed them to `whitenStack`).
 *
 * @returns a stack `[count, size, size]`
 * @example const stack = deadLeaves({ seed: 0 }); // 8 images of 256 x 256
 */
export function deadLeaves(options: DeadLeavesOptions): ImageStack {
  assertSeed(options.seed);
  const count = options.count ?? 8;
  const size = options.size ?? 256;
  const rMin = options.rMin ?? 1;
  const rMax = options.rMax ?? size / 2;
  if (!Number.isInteger(count) || count < 1) throw new DataError(`dead leaves: count must be a positive integer, got ${count}`);
  if (!Number.isInteger(size) || size < 1) throw new DataError(`dead leaves: size must be a positive integer, got ${size}`);
  if (!(rMin > 0 && rMax >= rMin && Number.isFinite(rMax))) throw new DataError(`dead leaves: need 0 < rMin <= rMax, got rMin = ${rMin}, rMax = ${rMax}`);
  const values = new Float32Array(count * size * size);
  for (let k = 0; k < count; k++) paintImage(values, k * size * size, size, rMin, rMax, new Rng(options.seed, STREAM.images * 1000 + k));
  return { values, count, height: size, width: size };
}

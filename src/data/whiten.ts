/**
 * The 1/f whitening filter of Olshausen & Field (1996, 1997; Olshausen's
 * "make your own images" note), applied in the Fourier domain:
 *
 *   W(f) = f · exp(-(f / f0)^4),   f = sqrt(fx^2 + fy^2),   f0 = 0.4 · N cycles/image.
 *
 * The ramp f flattens the ~1/f amplitude spectrum of natural images; the
 * exp(-(f/f0)^4) roll-off removes the highest frequencies (noise, aliasing at
 * the corners of the spectrum). Here frequencies are in cycles per pixel, so
 * f0 = 0.4 cycles/pixel for every image size and for non-square images (the
 * same filter as Olshausen's on N x N images, up to a constant factor that
 * standardization removes).
 *
 * The FFT is radix-2, so each image is padded to power-of-two sides by mirror
 * reflection with a margin of at least `MARGIN` pixels: the padded image has
 * no jump at its edges, so the circular convolution of the FFT does not ring
 * along the image border. The result is cropped back to the image.
 */
import { binFrequency, fft2d, nextPowerOfTwo } from './fft.js';
import { type ImageStack, validRowsOf } from './image-stack.js';

/** Mirror margin (pixels) around each image before the FFT. */
export const MARGIN = 32;

/** Default roll-off frequency, cycles per pixel (0.4 · N cycles per image). */
export const DEFAULT_F0 = 0.4;

/** W(f) = f · exp(-(f / f0)^4), f in cycles per pixel. */
export function whiteningFilter(f: number, f0 = DEFAULT_F0): number {
  return f * Math.exp(-((f / f0) ** 4));
}

/** Index i reflected into [0, n) (half-sample symmetric: ... 1 0 | 0 1 ... n-1 | n-1 n-2 ...). */
export function reflect(i: number, n: number): number {
  const period = 2 * n;
  const m = ((i % period) + period) % period;
  return m < n ? m : period - 1 - m;
}

/** Filter grids by FFT size, computed once per `whitenStack` call. */
class FilterCache {
  private readonly grids = new Map<string, Float64Array>();
  constructor(private readonly f0: number) {}
  get(rows: number, cols: number): Float64Array {
    const key = `${rows}x${cols}`;
    let grid = this.grids.get(key);
    if (grid === undefined) {
      grid = filterGrid(rows, cols, this.f0);
      this.grids.set(key, grid);
    }
    return grid;
  }
}

/** The filter sampled on a `[rows, cols]` FFT grid. */
function filterGrid(rows: number, cols: number, f0: number): Float64Array {
  const grid = new Float64Array(rows * cols);
  for (let k = 0; k < rows; k++) {
    const fy = binFrequency(k, rows);
    for (let l = 0; l < cols; l++) {
      const fx = binFrequency(l, cols);
      grid[k * cols + l] = whiteningFilter(Math.sqrt(fx * fx + fy * fy), f0);
    }
  }
  return grid;
}

/**
 * Whitens the `height x width` image(s) at `first` (and `second`, if given)
 * of `src`, writing to `dst` at the same offsets. Two real images ride in the
 * real and imaginary parts of one complex FFT: the filter is real and even,
 * so the two results separate exactly.
 */
function whitenPair(src: Float32Array, dst: Float32Array, width: number, rows: number, first: number, second: number | undefined, filters: FilterCache): void {
  const padRows = nextPowerOfTwo(rows + 2 * MARGIN);
  const padCols = nextPowerOfTwo(width + 2 * MARGIN);
  const re = new Float64Array(padRows * padCols);
  const im = new Float64Array(padRows * padCols);
  const fromCol = Int32Array.from({ length: padCols }, (_, c) => reflect(c - MARGIN, width));
  for (let r = 0; r < padRows; r++) {
    const sr = reflect(r - MARGIN, rows) * width;
    for (let c = 0; c < padCols; c++) {
      const s = sr + fromCol[c]!;
      re[r * padCols + c] = src[first + s]!;
      if (second !== undefined) im[r * padCols + c] = src[second + s]!;
    }
  }
  fft2d(re, im, padRows, padCols);
  const filter = filters.get(padRows, padCols);
  for (let i = 0; i < filter.length; i++) {
    re[i] = re[i]! * filter[i]!;
    im[i] = im[i]! * filter[i]!;
  }
  fft2d(re, im, padRows, padCols, true);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) {
      const p = (r + MARGIN) * padCols + c + MARGIN;
      dst[first + r * width + c] = re[p]!;
      if (second !== undefined) dst[second + r * width + c] = im[p]!;
    }
  }
}

/**
 * Applies the whitening filter to every image of a stack (only its valid
 * rows; rows below stay 0).
 *
 * @param f0 roll-off in cycles per pixel (default 0.4)
 * @returns a new stack of the same shape
 * @example const white = whitenStack(imageStack(raw.data, raw.shape));
 */
export function whitenStack(stack: ImageStack, f0 = DEFAULT_F0): ImageStack {
  const { count, height, width } = stack;
  const out = new Float32Array(stack.values.length);
  const size = height * width;
  const filters = new FilterCache(f0);
  let k = 0;
  while (k < count) {
    const rows = validRowsOf(stack, k);
    const pair = k + 1 < count && validRowsOf(stack, k + 1) === rows;
    whitenPair(stack.values, out, width, rows, k * size, pair ? (k + 1) * size : undefined, filters);
    k += pair ? 2 : 1;
  }
  return { ...stack, values: out };
}

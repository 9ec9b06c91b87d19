/**
 * A small radix-2 complex FFT (iterative Cooley–Tukey, in place, bit-reversal
 * first) for power-of-two lengths, and the 2-D transform built from it (rows,
 * then columns). Convention: X_k = sum_n x_n exp(-2 pi i k n / N); the
 * inverse uses exp(+2 pi i k n / N) and divides by N, so ifft(fft(x)) = x.
 * Reference: Cooley & Tukey (1965); Press et al., Numerical Recipes, sec. 12.2.
 */

/** True when n is a positive power of two. */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/** The smallest power of two >= n (n >= 1). */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

interface Tables {
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  readonly reversed: Uint32Array;
}

const tables = new Map<number, Tables>();

function tablesFor(n: number): Tables {
  let t = tables.get(n);
  if (t === undefined) {
    const cos = new Float64Array(n >> 1);
    const sin = new Float64Array(n >> 1);
    for (let k = 0; k < n >> 1; k++) {
      cos[k] = Math.cos((2 * Math.PI * k) / n);
      sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    const bits = Math.log2(n);
    const reversed = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      reversed[i] = r;
    }
    t = { cos, sin, reversed };
    tables.set(n, t);
  }
  return t;
}

/**
 * In-place FFT of the complex vector (re, im), length a power of two.
 *
 * @param inverse when true, computes the inverse transform (scaled by 1/N)
 * @example const re = Float64Array.of(1, 0, 0, 0), im = new Float64Array(4); fft(re, im); // re = [1, 1, 1, 1]
 */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (!isPowerOfTwo(n) || im.length !== n) throw new RangeError(`fft: length must be a power of two with re and im equal, got ${re.length} and ${im.length}`);
  if (n === 1) return;
  const { cos, sin, reversed } = tablesFor(n);
  for (let i = 0; i < n; i++) {
    const j = reversed[i]!;
    if (j > i) {
      let t = re[i]!;
      re[i] = re[j]!;
      re[j] = t;
      t = im[i]!;
      im[i] = im[j]!;
      im[j] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size *= 2) {
    const half = size >> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step]!;
        const wi = sign * sin[k * step]!;
        const a = start + k;
        const b = a + half;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
  if (inverse) {
    for (let i = 0; i < n; i++) {
      re[i] = re[i]! / n;
      im[i] = im[i]! / n;
    }
  }
}

/**
 * The FFT along axis 0 of a `[rows, cols]` row-major complex array, all
 * columns at once: the butterflies combine whole rows, so the inner loop runs
 * over contiguous memory (much faster than gathering each column).
 */
function fftColumns(re: Float64Array, im: Float64Array, rows: number, cols: number, inverse: boolean): void {
  if (rows === 1) return;
  const { cos, sin, reversed } = tablesFor(rows);
  const tmp = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const j = reversed[i]!;
    if (j > i) {
      for (const a of [re, im]) {
        tmp.set(a.subarray(i * cols, (i + 1) * cols));
        a.copyWithin(i * cols, j * cols, (j + 1) * cols);
        a.set(tmp, j * cols);
      }
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= rows; size *= 2) {
    const half = size >> 1;
    const step = rows / size;
    for (let start = 0; start < rows; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step]!;
        const wi = sign * sin[k * step]!;
        const a = (start + k) * cols;
        const b = a + half * cols;
        for (let c = 0; c < cols; c++) {
          const br = re[b + c]!;
          const bi = im[b + c]!;
          const xr = br * wr - bi * wi;
          const xi = br * wi + bi * wr;
          const ar = re[a + c]!;
          const ai = im[a + c]!;
          re[b + c] = ar - xr;
          im[b + c] = ai - xi;
          re[a + c] = ar + xr;
          im[a + c] = ai + xi;
        }
      }
    }
  }
  if (inverse) {
    for (let i = 0; i < re.length; i++) {
      re[i] = re[i]! / rows;
      im[i] = im[i]! / rows;
    }
  }
}

/**
 * In-place 2-D FFT of a `[rows, cols]` row-major complex array (both powers of two):
 * X_{k,l} = sum_{m,n} x_{m,n} exp(-2 pi i (k m / rows + l n / cols)).
 *
 * @param inverse when true, the inverse transform (scaled by 1 / (rows cols))
 */
export function fft2d(re: Float64Array, im: Float64Array, rows: number, cols: number, inverse = false): void {
  if (!isPowerOfTwo(rows) || !isPowerOfTwo(cols)) throw new RangeError(`fft2d: sides must be powers of two, got ${rows} x ${cols}`);
  if (re.length !== rows * cols || im.length !== rows * cols) throw new RangeError(`fft2d: arrays must hold ${rows} x ${cols} values`);
  for (let r = 0; r < rows; r++) fft(re.subarray(r * cols, (r + 1) * cols), im.subarray(r * cols, (r + 1) * cols), inverse);
  fftColumns(re, im, rows, cols, inverse);
}

/**
 * Signed frequency of FFT bin k of n, in cycles per sample: k / n for
 * k < n / 2, else (k - n) / n (range [-1/2, 1/2)).
 */
export function binFrequency(k: number, n: number): number {
  return (k < n / 2 ? k : k - n) / n;
}

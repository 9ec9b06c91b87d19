/**
 * Loading the optional native addon (native/ in the package, built at install
 * by scripts/build-native.mjs): OpenBLAS sgemm plus vectorized elementwise
 * kernels working zero-copy on Float32Arrays.
 *
 * Where the addon was not built (no compiler, no OpenBLAS, STRATA_SKIP_NATIVE)
 * `loadNativeAddon` reports why instead of throwing, so the backend choice can
 * fall through to wasm and say what happened.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Operation codes shared with native/src/kernels.h. */
export const BinaryOp = { Add: 0, Sub: 1, Mul: 2, Div: 3, SquaredDifference: 4, Maximum: 5, Minimum: 6, SoftplusGrad: 7 } as const;
export const UnaryOp = {
  Neg: 0, Sqrt: 1, Square: 2, Exp: 3, Log: 4, Log1p: 5, Softplus: 6, Sigmoid: 7, Abs: 8, Step: 9, Sign: 10,
  Reciprocal: 11, Relu: 12, Clip: 13, Rsqrt: 14, Expm1: 15, Tanh: 16, LeakyRelu: 17,
} as const;
export const ReduceOp = { Sum: 0, Mean: 1, Max: 2, Min: 3 } as const;
export const DensityOp = { Normal: 0, Laplace: 1 } as const;

/** What `info()` reports about the loaded build. */
export interface NativeInfo {
  /** Kernel variant chosen for this CPU: 'variant_avx512' | 'variant_avx2' | 'variant_base'. */
  readonly variant: string;
  readonly blasConfig: string;
  readonly blasCore: string;
  readonly blasThreads: number;
  /** Threads the addon's own kernels split large calls across (STRATA_NATIVE_THREADS). */
  readonly kernelThreads: number;
}

/** The addon's functions (native/src/addon.cc); all synchronous, all bounds-checked. */
export interface NativeAddon {
  /** c[i] = op(a[i]) · op(b[i]), row-major `[m, k] · [k, n]`, for i < batch; stride 0 shares an operand. */
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, batch: number, m: number, n: number, k: number,
    transA: number, transB: number, strideA: number, strideB: number): void;
  /** out = a op b with dims `[rank, shape, aStrides, bStrides]` (Int32Array). */
  binary(op: number, a: Float32Array, b: Float32Array, out: Float32Array, dims: Int32Array): void;
  /** out[i] = op(x[i]) for i < out.length. */
  unary(op: number, x: Float32Array, out: Float32Array, alpha: number, beta: number): void;
  /** Reduces the flagged axes of contiguous x, dims `[rank, shape, flags]`. */
  reduce(op: number, x: Float32Array, out: Float32Array, dims: Int32Array): void;
  /** Strided copy, dims `[rank, shape, srcStrides, dstStrides]`. */
  copy(src: Float32Array, srcOffset: number, dst: Float32Array, dstOffset: number, dims: Int32Array): void;
  /** One fused Adam step, hyper = [b1, 1-b1, b2, 1-b2, 1-b1^t, 1-b2^t, eps, -lr] (native/src/adam.cc). */
  adam(value: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array,
    valueOut: Float32Array, mOut: Float32Array, vOut: Float32Array, hyper: Float32Array): void;
  /** Fills out with tf.randomUniform's numbers from Alea state [s0, s1, s2, c] (advanced in place). */
  aleaUniform(out: Float32Array, state: Float64Array, min: number, range: number): void;
  /**
   * out[r] = Σ_j log p(x, loc, scale)[r, j] over the last axis, dims `[rank, shape, xStrides, locStrides,
   * scaleStrides]` with the summed axis last (native/src/log-density.cc).
   */
  logDensity(op: number, x: Float32Array, loc: Float32Array, scale: Float32Array, out: Float32Array, dims: Int32Array): void;
  /** The gradients for x, loc and scale of Σ_r dy[r] · out[r], each at the full broadcast shape; dims as logDensity. */
  logDensityGrad(op: number, dy: Float32Array, x: Float32Array, loc: Float32Array, scale: Float32Array,
    gx: Float32Array, gloc: Float32Array, gscale: Float32Array, dims: Int32Array): void;
  /**
   * Convolutions on NHWC images as im2col + sgemm (native/src/conv.cc), dims `[n, h, w, c, kh, kw, f, strideH,
   * strideW, padTop, padLeft, outH, outW]`: y = conv2d(x, w); dx from dy and w; dw from x and dy.
   */
  conv2d(x: Float32Array, w: Float32Array, y: Float32Array, dims: Int32Array): void;
  conv2dBackpropInput(dy: Float32Array, w: Float32Array, dx: Float32Array, dims: Int32Array): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, dims: Int32Array): void;
  info(): NativeInfo;
}

export type AddonLoad =
  | { readonly ok: true; readonly addon: NativeAddon; readonly path: string; readonly info: NativeInfo }
  | { readonly ok: false; readonly reason: string; readonly path: string };

let loaded: AddonLoad | undefined;

/** The package root: the nearest folder above this file with strata-ppl's package.json. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'strata-ppl') return dir;
      } catch {
        // Not a readable manifest: keep climbing.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the strata-ppl package root above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Where scripts/build-native.mjs puts the addon. */
export function nativeAddonPath(): string {
  return path.join(packageRoot(), 'native', 'build', 'Release', 'strata_native.node');
}

/** True when /proc/cpuinfo lists AVX-512 F, BW, DQ and VL (Linux; false elsewhere). */
function cpuHasAvx512(): boolean {
  try {
    const flags = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1]?.split(/\s+/) ?? [];
    return ['avx512f', 'avx512bw', 'avx512dq', 'avx512vl'].every((f) => flags.includes(f));
  } catch {
    return false;
  }
}

/**
 * OpenBLAS reads its settings once, when the library loads, so they are set
 * here, before the addon (which links it) is required; a user's own values win.
 * - OPENBLAS_CORETYPE=SkylakeX where the CPU has AVX-512: OpenBLAS 0.3.21 may
 *   otherwise take an AVX-512 CPU it does not know (e.g. Zen 4) for Haswell,
 *   halving sgemm throughput.
 * - OPENBLAS_THREAD_TIMEOUT: idle BLAS threads sleep after ~2^n cycles instead
 *   of spinning for the default 2^28, so they do not steal the cores that V8's
 *   garbage collector and the elementwise kernels run on between matmuls.
 */
function configureOpenBlas(): void {
  for (const [name, value] of Object.entries(openBlasDefaults())) {
    if (process.env[name] === undefined) process.env[name] = value;
  }
}

/**
 * The OpenBLAS settings Strata applies where the user has not set them (see
 * `configureOpenBlas`); the benchmark gives the same ones to its PyTorch
 * reference, so both run the same sgemm kernel.
 */
export function openBlasDefaults(): Record<string, string> {
  return { ...(cpuHasAvx512() ? { OPENBLAS_CORETYPE: 'SkylakeX' } : {}), OPENBLAS_THREAD_TIMEOUT: '4' };
}

/**
 * Loads the addon once and remembers the outcome.
 *
 * @returns `{ ok: true, addon, info }`, or `{ ok: false, reason }` saying why
 *   native speed is unavailable (not built, or built but failing to load)
 */
export function loadNativeAddon(): AddonLoad {
  if (loaded !== undefined) return loaded;
  let file = '';
  try {
    file = nativeAddonPath();
    if (!fs.existsSync(file)) {
      loaded = { ok: false, path: file, reason: `the native addon is not built (${path.relative(process.cwd(), file) || file} is missing; see docs/performance.md)` };
      return loaded;
    }
    configureOpenBlas();
    const addon = createRequire(import.meta.url)(file) as NativeAddon;
    loaded = { ok: true, addon, path: file, info: addon.info() };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    loaded = { ok: false, path: file, reason: `the native addon failed to load: ${message}` };
  }
  return loaded;
}

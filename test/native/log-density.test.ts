/**
 * The fused Normal and Laplace log-density kernels (native/src/log-density.cc)
 * against the cpu backend's composite path: normalLogDensity and
 * laplaceLogDensity and their gradients for x, loc and scale on random
 * broadcast shapes, with inputs that are views into larger arrays, within
 * 1e-5 of the float64 magnitude of each result's terms; large calls split
 * across threads; NaN propagation; the Laplace gradient's sign at x = loc;
 * numTensors flat across repeated gradients; the kernels counted by the
 * stats; the addon's argument checks; and the baseline and AVX2 builds
 * against the default one.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { DensityOp, loadNativeAddon, nativeAddonPath, type NativeAddon } from '../../src/backend/native/addon.js';
import { nativeKernelStats } from '../../src/backend/native/stats.js';
import { laplaceLogDensity, LAPLACE_LOG_DENSITY_KERNELS } from '../../src/backend/ops/laplace-log-density.js';
import { normalLogDensity, NORMAL_LOG_DENSITY_KERNELS } from '../../src/backend/ops/normal-log-density.js';
import { broadcastShape, logDensityReference, type Family, type Operand } from '../backend/log-density-reference.js';
import { dataArb, lastDim, size, smallDim } from './arbitraries.js';
import { nativeBackend, nativeBuilt, testValues } from './helpers.js';

const OPS = {
  Normal: { op: normalLogDensity, kernels: NORMAL_LOG_DENSITY_KERNELS },
  Laplace: { op: laplaceLogDensity, kernels: LAPLACE_LOG_DENSITY_KERNELS },
} as const;
const FAMILIES: readonly Family[] = ['Normal', 'Laplace'];

/** Native results within this fraction of the float64 sum of |terms| of the cpu ones. */
const RTOL = 1e-5;

/**
 * Shapes of x, loc and scale that broadcast together: each drops some leading
 * axes of a shape of rank >= 1 and sets some others to 1.
 */
const operandShapesArb = fc
  .tuple(fc.array(smallDim, { maxLength: 3 }), lastDim)
  .map(([lead, last]) => [...lead, last])
  .chain((out) => {
    const derived = fc
      .tuple(fc.nat({ max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }))
      .map(([drop, ones]) => out.map((d, i) => (ones[i] ? 1 : d)).slice(drop));
    return fc.tuple(derived, derived, derived);
  });

interface Case {
  readonly x: Operand;
  readonly loc: Operand;
  readonly scale: Operand;
  readonly dy: Float32Array;
}

function makeCase([xs, ls, ss]: number[][], seed: number, spread = 1): Case {
  const out = broadcastShape(xs!, ls!, ss!).slice(0, -1);
  return {
    x: { shape: xs!, values: testValues(size(xs!), seed, { scale: spread }) },
    loc: { shape: ls!, values: testValues(size(ls!), seed + 1, { scale: spread }) },
    scale: { shape: ss!, values: testValues(size(ss!), seed + 2, { positive: true }) },
    dy: testValues(size(out), seed + 3),
  };
}

/** A tensor of the operand's values; with `view` > 0 on native, a contiguous Slice of a larger one (a view). */
function input(o: Operand, view: number): tf.Tensor {
  if (view === 0) return tf.tensor(Array.from(o.values), [...o.shape]);
  const big = new Float32Array(view + o.values.length + 3).fill(NaN);
  big.set(o.values as Float32Array, view);
  return tf.reshape(tf.slice(tf.tensor1d(big), [view], [o.values.length]), [...o.shape]);
}

/** [value, ∂x, ∂loc, ∂scale] of Σ dy · op(x, loc, scale) on `backend`. */
async function run(backend: string, family: Family, c: Case, view = 0): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const { op } = OPS[family];
  return tf.tidy(() => {
    const inputs = [input(c.x, view), input(c.loc, view), input(c.scale, view)] as const;
    const value = op(...inputs);
    const dy = tf.tensor(Array.from(c.dy), value.shape);
    const grads = tf.grads((x: tf.Tensor, l: tf.Tensor, s: tf.Tensor) => tf.sum(tf.mul(op(x, l, s), dy)))([...inputs]);
    return [value, ...grads].map((t) => Float32Array.from(t.dataSync()));
  });
}

/** Native against cpu: within RTOL of the float64 magnitudes, NaN exactly where cpu has NaN. */
function expectAgree(family: Family, c: Case, native: Float32Array[], cpu: Float32Array[], what = ''): void {
  const ref = logDensityReference(family, c.x, c.loc, c.scale, c.dy);
  const magnitudes = [ref.valueMagnitude, ...ref.gradMagnitudes];
  native.forEach((got, k) => {
    const want = cpu[k]!;
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) {
      const [g, w] = [got[i]!, want[i]!];
      const ok = Number.isNaN(w) ? Number.isNaN(g) : g === w || Math.abs(g - w) <= RTOL * magnitudes[k]![i]! + 1e-30;
      if (!ok) throw new Error(`${family} ${what} ${['value', 'dx', 'dloc', 'dscale'][k]}[${i}]: native ${g}, cpu ${w}, magnitude ${magnitudes[k]![i]}`);
    }
  });
}

function counts(family: Family): [number, number, number] {
  const stats = nativeKernelStats();
  const { forward, grad } = OPS[family].kernels;
  return [stats[forward]?.native ?? 0, stats[grad]?.native ?? 0, (stats[forward]?.fallback ?? 0) + (stats[grad]?.fallback ?? 0)];
}

describe.skipIf(!nativeBuilt)('native fused log-densities', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(FAMILIES)('%s: value and gradients match the cpu composite path on random broadcast shapes and views', async (family) => {
    nativeBackend();
    await fc.assert(
      fc.asyncProperty(operandShapesArb, dataArb, fc.constantFrom(1, 4), async (shapes, data, spread) => {
        fc.pre(broadcastShape(...shapes).length > 0);
        const c = makeCase(shapes, data.seed, spread);
        const before = counts(family);
        const native = await run('native', family, c, data.view);
        const after = counts(family);
        expect(after[0] - before[0], 'forward calls (value, then under tf.grads)').toBe(2);
        expect(after[1] - before[1], 'gradient calls').toBe(1);
        expect(after[2], 'fallbacks').toBe(0);
        expectAgree(family, c, native, await run('cpu', family, c), JSON.stringify(shapes));
      }),
      { numRuns: 60 },
    );
  });

  it.each([
    ['Normal', [100, 450], [4, 100, 450], []],
    ['Normal', [4, 100, 20], [100, 20], [100, 20]],
    ['Laplace', [4, 100, 450], [4, 100, 450], [4, 100, 450]],
    ['Laplace', [100, 450], [4, 100, 450], [4, 100, 1]],
    // Rows longer than the kernel's 512-term buffer are summed in several chunks.
    ['Normal', [3, 1100], [3, 1100], [1100]],
    ['Laplace', [2, 5, 1300], [5, 1300], []],
  ] as const)('%s at benchmark sizes, split across threads: x %j, loc %j, scale %j', async (family, xs, ls, ss) => {
    const c = makeCase([[...xs], [...ls], [...ss]], 5);
    expectAgree(family, c, await run('native', family, c), await run('cpu', family, c));
  });

  it.each(FAMILIES)('%s: NaN in x gives NaN where the cpu path does, and nowhere else', async (family) => {
    const c = makeCase([[3, 40], [3, 40], [40]], 9);
    const x = Float32Array.from(c.x.values);
    x[5] = NaN;
    x[87] = NaN;
    const withNaN = { ...c, x: { shape: c.x.shape, values: x } };
    const native = await run('native', family, withNaN);
    const cpu = await run('cpu', family, withNaN);
    expect(Number.isNaN(cpu[0]![0]!) && Number.isNaN(cpu[0]![2]!) && !Number.isNaN(cpu[0]![1]!)).toBe(true);
    native.forEach((got, k) => got.forEach((g, i) => expect(Number.isNaN(g), `output ${k}[${i}]`).toBe(Number.isNaN(cpu[k]![i]!))));
  });

  it('takes the Laplace gradient at x = loc with the sign of tfjs\'s Abs gradient', async () => {
    const c = makeCase([[4, 33], [4, 33], [4, 33]], 13);
    const x = Float32Array.from(c.x.values);
    for (let i = 0; i < x.length; i += 3) x[i] = c.loc.values[i]!;
    const ties = { ...c, x: { shape: c.x.shape, values: x } };
    const native = await run('native', 'Laplace', ties);
    const cpu = await run('cpu', 'Laplace', ties);
    expectAgree('Laplace', ties, native, cpu, 'ties');
    for (let i = 0; i < x.length; i += 3) {
      expect(Math.sign(native[1]![i]!), `dx[${i}]`).toBe(Math.sign(cpu[1]![i]!));
      expect(Math.sign(native[2]![i]!), `dloc[${i}]`).toBe(Math.sign(cpu[2]![i]!));
    }
  });

  it.each(FAMILIES)('%s: keeps numTensors flat across repeated gradient calls', async (family) => {
    await tf.setBackend('native');
    const { op } = OPS[family];
    const [x, loc, scale] = [tf.randomNormal([100, 30], 0, 1, 'float32', 1), tf.randomNormal([8, 100, 30], 0, 1, 'float32', 2), tf.scalar(0.7)];
    const grad = tf.grads((a: tf.Tensor, b: tf.Tensor, s: tf.Tensor) => tf.sum(op(a, b, s)));
    tf.dispose(grad([x, loc, scale]));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const grads = grad([x, loc, scale]);
      expect(grads.map((g) => g.shape)).toEqual([[100, 30], [8, 100, 30], []]);
      tf.dispose(grads);
      expect(tf.memory().numTensors, `after call ${i}`).toBe(before);
    }
    tf.dispose([x, loc, scale]);
  });

  it('refuses inputs it has no fallback for, and counts them', async () => {
    await tf.setBackend('native');
    const { forward } = NORMAL_LOG_DENSITY_KERNELS;
    const fallbacks = nativeKernelStats()[forward]?.fallback ?? 0;
    tf.tidy(() => {
      const inputs = { x: tf.tensor1d([1, 2], 'int32'), loc: tf.tensor1d([0, 0]), scale: tf.scalar(1) };
      expect(() => tf.engine().runKernel(forward, inputs)).toThrow(/StrataNativeNormalLogDensity has no fallback for these inputs: x int32 \[2\]/);
    });
    expect(nativeKernelStats()[forward]?.fallback).toBe(fallbacks + 1);
  });
});

describe.skipIf(!nativeBuilt)('native log-density argument checks', () => {
  const addon = (): NativeAddon => {
    const load = loadNativeAddon();
    if (!load.ok) throw new Error(load.reason);
    return load.addon;
  };
  const f32 = (n: number) => new Float32Array(n);
  const dims = (...d: number[]) => Int32Array.from(d);

  it('rejects operands and outputs too short for the layout, and other strides along the summed axis', () => {
    // [2 rows, 3] with x, loc contiguous and scale a scalar.
    const ok = dims(2, 2, 3, 3, 1, 3, 1, 0, 0);
    expect(() => addon().logDensity(DensityOp.Normal, f32(6), f32(6), f32(1), f32(2), ok)).not.toThrow();
    expect(() => addon().logDensity(DensityOp.Normal, f32(5), f32(6), f32(1), f32(2), ok)).toThrow(/logDensity: x is too short/);
    expect(() => addon().logDensity(DensityOp.Laplace, f32(6), f32(6), f32(0), f32(2), ok)).toThrow(/logDensity: scale is too short/);
    expect(() => addon().logDensity(DensityOp.Normal, f32(6), f32(6), f32(1), f32(1), ok)).toThrow(/logDensity: out is too short/);
    expect(() => addon().logDensity(DensityOp.Normal, f32(12), f32(6), f32(1), f32(2), dims(2, 2, 3, 6, 2, 3, 1, 0, 0))).toThrow(/stride of x must be 0 or 1/);
    expect(() => addon().logDensityGrad(DensityOp.Normal, f32(1), f32(6), f32(6), f32(1), f32(6), f32(6), f32(6), ok)).toThrow(/logDensityGrad: dy is too short/);
    expect(() => addon().logDensityGrad(DensityOp.Laplace, f32(2), f32(6), f32(6), f32(1), f32(6), f32(5), f32(6), ok)).toThrow(/a gradient output is too short/);
  });

  it('rejects unknown densities and wrong array types', () => {
    const ok = dims(2, 2, 3, 3, 1, 3, 1, 0, 0);
    expect(() => addon().logDensity(2, f32(6), f32(6), f32(1), f32(2), ok)).toThrow(/logDensity: unknown operation code 2/);
    expect(() => addon().logDensityGrad(-1, f32(2), f32(6), f32(6), f32(1), f32(6), f32(6), f32(6), ok)).toThrow(/unknown operation code -1/);
    expect(() => addon().logDensity(0, new Float64Array(6) as unknown as Float32Array, f32(6), f32(1), f32(2), ok)).toThrow(/x must be a Float32Array/);
    expect(() => addon().logDensity(0, f32(6), f32(6), f32(1), f32(2), dims(2, 2, 3, 3, 1))).toThrow(/bad rank/);
  });
});

/** Runs in a child process with a given STRATA_NATIVE_VARIANT: the kernels on fixed inputs. */
const PROGRAM = `
const n = 67, rows = 48;
const wave = (len, a, b) => Float32Array.from({ length: len }, (_, i) => Math.sin(a * i + b) * 2);
const x = wave(rows * n, 0.37, 0.1), loc = wave(rows * n, 0.11, 2), scale = Float32Array.from(wave(rows * n, 0.05, 1), (v) => Math.abs(v) + 0.2);
const dy = wave(rows, 0.7, 0.3);
const out = {};
for (const [name, s, dims] of [['full', scale, [2, rows, n, n, 1, n, 1, n, 1]], ['scalar', Float32Array.of(0.4), [2, rows, n, n, 1, n, 1, 0, 0]]]) {
  for (let op = 0; op < 2; op++) {
    const value = new Float32Array(rows);
    addon.logDensity(op, x, loc, s, value, Int32Array.from(dims));
    const g = [0, 1, 2].map(() => new Float32Array(rows * n));
    addon.logDensityGrad(op, dy, x, loc, s, g[0], g[1], g[2], Int32Array.from(dims));
    out[name + op] = [Array.from(value), ...g.map((a) => Array.from(a))];
  }
}
process.stdout.write(JSON.stringify({ variant: addon.info().variant, out }));
`;

function runVariant(variant: string): { variant: string; out: Record<string, number[][]> } {
  const child = spawnSync(process.execPath, ['-e', `const addon = require(${JSON.stringify(nativeAddonPath())});${PROGRAM}`], {
    encoding: 'utf8',
    env: { ...process.env, STRATA_NATIVE_VARIANT: variant },
    timeout: 60_000,
  });
  if (child.error) throw child.error;
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout) as { variant: string; out: Record<string, number[][]> };
}

describe.skipIf(!nativeBuilt)('native log-density kernel variants', () => {
  it.each(['base', 'avx2'])('the %s variant matches the default one', (variant) => {
    const mine = runVariant('best');
    const theirs = runVariant(variant);
    expect(['variant_base', `variant_${variant}`]).toContain(theirs.variant);
    for (const [name, outputs] of Object.entries(mine.out)) {
      outputs.forEach((want, k) => {
        const got = theirs.out[name]![k]!;
        // The builds differ by contracted multiply-adds (FMA) only.
        want.forEach((w, i) => {
          if (!(Math.abs(got[i]! - w) <= 1e-5 * Math.max(1, Math.abs(w)))) throw new Error(`${name} output ${k}[${i}]: ${variant} gives ${got[i]}, default ${w}`);
        });
      });
    }
  });
});

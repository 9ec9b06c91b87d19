/**
 * Shared helpers for the native backend tests (not a test file itself):
 * whether the addon is built, deterministic test data with optional IEEE
 * special values, and running one kernel on the cpu and native backends on
 * the same inputs (native inputs optionally as views into larger arrays).
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { SeededRandom } from '../../src/backend/random.js';
import { loadNativeAddon } from '../../src/backend/native/addon.js';
import type { NativeBackend } from '../../src/backend/native/native-backend.js';
import { NATIVE_BACKEND_NAME, registerNativeBackend } from '../../src/backend/native/register-native.js';
import { nativeKernelStats } from '../../src/backend/native/stats.js';

const load = loadNativeAddon();
/** True when native/build/Release/strata_native.node exists and loads. */
export const nativeBuilt = load.ok;
/** Why the native tests are skipped, for the skip message. */
export const notBuiltReason = load.ok ? '' : load.reason;

/** The native backend instance (registering it on first use). */
export function nativeBackend(): NativeBackend {
  registerNativeBackend();
  const backend = tf.engine().findBackend(NATIVE_BACKEND_NAME);
  if (backend === null) throw new Error('the native backend did not initialize');
  return backend as NativeBackend;
}

/** The cpu backend instance. */
export function cpuBackend(): tf.MathBackendCPU {
  return tf.engine().findBackend('cpu') as tf.MathBackendCPU;
}

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40, 3e38, -3e38, 1, -1];

/**
 * n float32 values ~ N(0, scale²) from `seed`; with `specials`, about one in
 * eight is replaced by NaN, ±Inf, ±0, a denormal or a huge value.
 */
export function testValues(n: number, seed: number, options: { scale?: number; specials?: boolean; positive?: boolean } = {}): Float32Array {
  const rng = new SeededRandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u1 = rng.nextFloat() || 1e-12;
    const u2 = rng.nextFloat();
    let v = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2) * (options.scale ?? 1);
    if (options.positive) v = Math.abs(v) + 1e-3;
    if (options.specials && rng.nextFloat() < 0.125) v = SPECIALS[rng.nextUint32() % SPECIALS.length]!;
    out[i] = v;
  }
  return out;
}

/** An input of a kernel: its shape and values. */
export interface Input {
  readonly shape: number[];
  readonly values: Float32Array;
}

export interface KernelOutput {
  readonly shape: number[];
  readonly values: Float32Array;
}

function makeInfo(backend: tf.MathBackendCPU, input: Input, viewOffset: number): tf.TensorInfo {
  let values = input.values;
  if (viewOffset > 0) {
    // The same numbers inside a larger array, as a view: as a contiguous Slice returns them.
    const big = new Float32Array(viewOffset + values.length + 3).fill(NaN);
    big.set(values, viewOffset);
    values = big.subarray(viewOffset, viewOffset + values.length);
  }
  return backend.makeTensorInfo([...input.shape], 'float32', values);
}

/**
 * Runs the registered kernel `kernelName` on the cpu and the native backend
 * with the same inputs and attrs; native inputs are views into larger arrays
 * when `viewOffset` > 0. Checks that the native call did not fall back.
 */
export function runOnBoth(
  kernelName: string,
  inputs: Record<string, Input> | Input[],
  attrs: tf.NamedAttrMap = {},
  viewOffset = 0,
): { cpu: KernelOutput[]; native: KernelOutput[] } {
  const run = (backendName: string, backend: tf.MathBackendCPU, offset: number): KernelOutput[] => {
    const infos: Record<string, tf.TensorInfo> = {};
    for (const [name, input] of Object.entries(inputs)) infos[name] = makeInfo(backend, input, offset);
    const kernel = tf.getKernel(kernelName, backendName);
    if (kernel === undefined) throw new Error(`no ${kernelName} kernel on ${backendName}`);
    const argsInputs = Array.isArray(inputs) ? Object.values(infos) : infos;
    const result = kernel.kernelFunc({ inputs: argsInputs as tf.NamedTensorInfoMap, backend, attrs });
    const outs = Array.isArray(result) ? result : [result];
    const read = outs.map((o) => ({ shape: [...o.shape], values: Float32Array.from(backend.readSync(o.dataId) as Float32Array) }));
    outs.forEach((o) => backend.disposeData(o.dataId));
    Object.values(infos).forEach((i) => backend.disposeData(i.dataId));
    return read;
  };
  const before = nativeKernelStats()[kernelName]?.native ?? 0;
  const native = run(NATIVE_BACKEND_NAME, nativeBackend(), viewOffset);
  expect(nativeKernelStats()[kernelName]?.native ?? 0, `${kernelName} should run natively`).toBe(before + 1);
  return { cpu: run('cpu', cpuBackend(), 0), native };
}

/**
 * Asserts native ≈ cpu elementwise: |n - c| <= atol + rtol·|c|, NaN only
 * where NaN, infinities equal; rtol = atol = 0 demands identical values.
 */
export function expectSameOutputs(native: KernelOutput[], cpu: KernelOutput[], rtol = 0, atol = 0, what = ''): void {
  expect(native.length).toBe(cpu.length);
  native.forEach((out, j) => {
    expect(out.shape, `${what} output ${j} shape`).toEqual(cpu[j]!.shape);
    expect(out.values.length).toBe(cpu[j]!.values.length);
    const want = cpu[j]!.values;
    for (let i = 0; i < want.length; i++) {
      const w = want[i]!;
      const g = out.values[i]!;
      if (Object.is(w, g) || w === g) continue;
      const ok = Number.isNaN(w) ? Number.isNaN(g) : Number.isFinite(w) && Math.abs(g - w) <= atol + rtol * Math.abs(w);
      if (!ok) throw new Error(`${what} output ${j} element ${i}: native ${g}, cpu ${w} (rtol ${rtol}, atol ${atol})`);
    }
  });
}

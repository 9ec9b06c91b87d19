/**
 * The addon checks its arguments instead of touching memory it was not
 * given: wrong array types, operands too short for the stated shapes and
 * unknown operation codes are TypeErrors or RangeErrors naming the problem.
 */
import { describe, expect, it } from 'vitest';
import { loadNativeAddon, type NativeAddon } from '../../src/backend/native/addon.js';
import { nativeBuilt } from './helpers.js';

describe.skipIf(!nativeBuilt)('native addon argument checks', () => {
  const addon = (): NativeAddon => {
    const load = loadNativeAddon();
    if (!load.ok) throw new Error(load.reason);
    return load.addon;
  };
  const f32 = (n: number) => new Float32Array(n);
  const dims = (...d: number[]) => Int32Array.from(d);

  it('rejects operands too short for the stated sizes', () => {
    expect(() => addon().gemm(f32(3), f32(4), f32(4), 1, 2, 2, 2, 0, 0, 0, 0)).toThrow(RangeError);
    expect(() => addon().gemm(f32(4), f32(4), f32(8), 2, 2, 2, 2, 0, 0, 4, 4)).toThrow(/gemm: an operand is too short/);
    expect(() => addon().binary(0, f32(2), f32(1), f32(2), dims(1, 2, 1, 1))).toThrow(/binary: b is too short/);
    expect(() => addon().binary(0, f32(2), f32(2), f32(1), dims(1, 2, 1, 1))).toThrow(/binary: out is too short/);
    expect(() => addon().unary(0, f32(1), f32(2), 0, 0)).toThrow(/unary: x is shorter than out/);
    expect(() => addon().copy(f32(6), 1, f32(6), 0, dims(2, 2, 3, 3, 1, 3, 1))).toThrow(/copy: src is too short/);
    expect(() => addon().reduce(0, f32(5), f32(1), dims(1, 6, 1))).toThrow(/reduce: x or out is too short/);
  });

  it('rejects wrong array types, bad layouts and unknown operations', () => {
    expect(() => addon().copy(new Int32Array(3) as unknown as Float32Array, 0, f32(3), 0, dims(1, 3, 1, 1))).toThrow(/src must be a Float32Array/);
    expect(() => addon().binary(0, f32(2), f32(2), f32(2), Float32Array.of(1, 2, 1, 1) as unknown as Int32Array)).toThrow(TypeError);
    expect(() => addon().binary(0, f32(2), f32(2), f32(2), dims(0))).toThrow(/bad rank/);
    expect(() => addon().binary(0, f32(2), f32(2), f32(2), dims(1, 2, -1, 1))).toThrow(RangeError);
    expect(() => addon().unary(99, f32(2), f32(2), 0, 0)).toThrow(/unary: unknown operation code 99/);
    expect(() => addon().binary(-1, f32(2), f32(2), f32(2), dims(1, 2, 1, 1))).toThrow(/unknown operation code -1/);
    expect(() => addon().reduce(4, f32(2), f32(1), dims(1, 2, 1))).toThrow(/unknown operation code 4/);
  });
});

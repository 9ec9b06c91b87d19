/**
 * Native BatchMatMul (OpenBLAS sgemm with transpose flags) against the cpu
 * kernel: random sizes (including ones past sgemm's blocking), transposes,
 * batch axes that are equal or shared by one side, and view inputs. Both are
 * float32 sums in different orders, so each element is compared with a bound
 * from the float64 sum of |a_ik·b_kj| (Higham 2002, §3.5: |error| <= γ_k Σ|a||b|).
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataArb } from './arbitraries.js';
import { nativeBuilt, runOnBoth, testValues } from './helpers.js';

const dim = fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 30, max: 80 }));
const EPS32 = 2 ** -24;

const matMulArb = fc.record({
  m: dim,
  n: dim,
  k: dim,
  transposeA: fc.boolean(),
  transposeB: fc.boolean(),
  // Batch axes: none, equal on both sides, or present on one side only (shared matrix).
  batch: fc.constantFrom<number[][]>([[], []], [[3], [3]], [[2, 2], [2, 2]], [[3], []], [[], [2]], [[1], [4]], [[2, 3], [1]]),
});

/** |a|·|b| in float64 per output element, for the error bound. */
function absProduct(a: Float32Array, b: Float32Array, batch: number, m: number, n: number, k: number, tA: boolean, tB: boolean, sharedA: boolean, sharedB: boolean): Float64Array {
  const out = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const ao = sharedA ? 0 : t * m * k;
    const bo = sharedB ? 0 : t * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let l = 0; l < k; l++) s += Math.abs(a[ao + (tA ? l * m + i : i * k + l)]! * b[bo + (tB ? j * k + l : l * n + j)]!);
        out[t * m * n + i * n + j] = s;
      }
    }
  }
  return out;
}

describe.skipIf(!nativeBuilt)('native BatchMatMul', () => {
  it('matches the cpu kernel within the float32 summation bound', () => {
    fc.assert(
      fc.property(matMulArb, dataArb, ({ m, n, k, transposeA, transposeB, batch: [outerA, outerB] }, data) => {
        const aShape = [...outerA!, ...(transposeA ? [k, m] : [m, k])];
        const bShape = [...outerB!, ...(transposeB ? [n, k] : [k, n])];
        const a = testValues(aShape.reduce((p, d) => p * d, 1), data.seed);
        const b = testValues(bShape.reduce((p, d) => p * d, 1), data.seed + 1);
        const { cpu, native } = runOnBoth(tf.BatchMatMul, { a: { shape: aShape, values: a }, b: { shape: bShape, values: b } }, { transposeA, transposeB }, data.view);
        expect(native[0]!.shape).toEqual(cpu[0]!.shape);
        const sizeA = outerA!.reduce((p, d) => p * d, 1);
        const sizeB = outerB!.reduce((p, d) => p * d, 1);
        const batch = Math.max(sizeA, sizeB);
        const bound = absProduct(a, b, batch, m, n, k, transposeA, transposeB, sizeA === 1, sizeB === 1);
        const got = native[0]!.values;
        const want = cpu[0]!.values;
        for (let i = 0; i < want.length; i++) {
          // Each side is within γ_k Σ|a||b| of the exact product; allow twice that plus the final roundings.
          const tol = 2 * ((k * EPS32) / (1 - k * EPS32)) * bound[i]! + 4 * EPS32 * Math.abs(want[i]!) + 1e-30;
          if (!(Math.abs(got[i]! - want[i]!) <= tol)) throw new Error(`element ${i}: native ${got[i]}, cpu ${want[i]}, bound ${tol}`);
        }
      }),
      { numRuns: 60 },
    );
  });
});

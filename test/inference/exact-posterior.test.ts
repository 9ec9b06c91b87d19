/**
 * With the exact posterior as guide every importance weight is the evidence:
 *   w = p(x, z) / q(z | x) = p(x) p(z | x) / p(z | x) = p(x)   for every z,
 * so every log-weight equals the closed-form log p(x), for any k, any seed,
 * any data point (and IWAE-k is exact at every k).
 *
 * The guide is mean-field, so the posterior covariance must be diagonal:
 * Σ = (I + WWᵀ/σ²)⁻¹ is diagonal when W's rows are orthogonal. Take
 * W = diag(s)·(first 4 rows of an orthogonal 6×6 Q), so WWᵀ = diag(s²) and
 * Σ_ii = 1 / (1 + s_i²/σ²); the mean x·WᵀΣ/σ² − b·WᵀΣ/σ² is affine in x, so
 * the linear encoder represents it exactly (helpers/linear-gaussian.ts).
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrataModel } from '../../src/index.js';
import { logWeights } from '../../src/inference/objectives/log-weights.js';
import {
  froundMatrix,
  identity,
  matMul,
  meanAndStandardError,
  oneLevelGuideParameters,
  oneLevelLogPx,
  oneLevelMeanFieldGuide,
  oneLevelModelParameters,
  fround,
  type Matrix,
  type OneLevelParams,
} from '../helpers/linear-gaussian.js';
import { loadOneLevel, rowsOf, rowsTensor } from '../helpers/models.js';

let model: StrataModel;
beforeAll(async () => {
  model = await loadOneLevel();
});
afterAll(() => model.dispose());

/** The Householder reflection I − 2vvᵀ/‖v‖² (orthogonal). */
function householder(v: readonly number[]): Matrix {
  const n2 = v.reduce((s, x) => s + x * x, 0);
  return identity(v.length).map((row, i) => row.map((e, j) => e - (2 * v[i]! * v[j]!) / n2));
}

/** W = diag(s)·(rows 0..3 of H(u)·H(v)): rows orthogonal, with norms s. */
function orthogonalRowsDecoder(s: readonly number[], u: readonly number[], v: readonly number[]): Matrix {
  const q = matMul(householder(u), householder(v));
  return froundMatrix(s.map((si, i) => q[i]!.map((x) => si * x)));
}

const unit = fc.float({ min: Math.fround(-1), max: Math.fround(1), noNaN: true });
const direction = fc.array(unit, { minLength: 6, maxLength: 6 });
/** A Householder vector must not be (near) zero. */
const usable = (v: readonly number[]) => v.reduce((s, x) => s + x * x, 0) > 0.01;
const rowNorm = fc.float({ min: Math.fround(0.2), max: Math.fround(2.5), noNaN: true });
const coordinate = (r: number) => fc.float({ min: Math.fround(-r), max: Math.fround(r), noNaN: true });
const problem = fc.record({
  s: fc.array(rowNorm, { minLength: 4, maxLength: 4 }),
  u: direction,
  v: direction,
  b: fc.array(coordinate(2), { minLength: 6, maxLength: 6 }),
  x: fc.array(fc.array(coordinate(4), { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 3 }),
  k: fc.integer({ min: 1, max: 50 }),
  seed: fc.nat(),
});

/** Sets decoder and exact-posterior guide; returns the closed-form model. */
function setExactPosterior(W: Matrix, b: readonly number[], inflate = 1): OneLevelParams {
  const p = { W, b: fround(b) };
  model.setParameters({ ...oneLevelModelParameters(p), ...oneLevelGuideParameters(oneLevelMeanFieldGuide(p, inflate)) });
  return p;
}

/**
 * Log-weights and the sum of the absolute values of the terms they add up,
 * per [k, batch] entry. The weight is a float32 sum of terms that cancel; its
 * rounding error is a few ε32 (6e-8) times the size of those terms, times the
 * ~20 float ops per term (sums over d = 4 and D = 6): ~2e-6·Σ|terms|.
 */
function weightsAndScale(x: tf.Tensor2D, k: number, seed: number): { logW: number[][]; scale: number[][] } {
  return tf.tidy(() => {
    const trace = model.compiled.trace({ x }, { k, seed });
    const abs = tf.addN([...trace.observed.values(), ...trace.latents.flatMap((l) => [l.logP, l.logQ])].map((t) => tf.abs(t)));
    return { logW: rowsOf(logWeights(trace)), scale: rowsOf(abs) };
  });
}

describe('exact posterior as guide', () => {
  it('every log-weight equals log p(x), for every k, seed and data point', () => {
    fc.assert(
      fc.property(problem, ({ s, u, v, b, x, k, seed }) => {
        fc.pre(usable(u) && usable(v));
        const p = setExactPosterior(orthogonalRowsDecoder(s, u, v), b);
        const xt = rowsTensor(x);
        const { logW, scale } = weightsAndScale(xt, k, seed);
        xt.dispose();
        expect(logW.length).toBe(k);
        x.forEach((row, j) => {
          const exact = oneLevelLogPx(p, row);
          for (let i = 0; i < k; i++) {
            const err = Math.abs(logW[i]![j]! - exact);
            expect(err).toBeLessThanOrEqual(1e-5 + 2e-6 * scale[i]![j]!);
          }
        });
      }),
      { numRuns: 60 },
    );
  });

  it('the public logWeights gives the same [k, batch] matrix, and bound() at small k is already exact', async () => {
    const p = setExactPosterior(orthogonalRowsDecoder([1.5, 0.7, 2, 0.4], [1, 0.2, -0.3, 0.5, 0, 0.1], [0, 1, 0.4, -0.2, 0.3, 0.9]), [0.5, -1, 0, 0.2, 1, -0.3]);
    const x = [
      [0.3, -1.2, 2.0, 0.1, -0.4, 1.1],
      [-2.5, 0.0, 0.7, 1.9, 0.2, -0.8],
    ];
    const before = tf.memory().numTensors;
    const publicW = await model.logWeights(x, { k: 7, seed: 3 });
    expect(publicW.shape).toEqual([7, 2]);
    const xt = rowsTensor(x);
    const direct = weightsAndScale(xt, 7, 3).logW;
    xt.dispose();
    expect(rowsOf(publicW)).toEqual(direct);
    publicW.dispose();
    const bound = await model.bound(x, { k: 3, seed: 1 });
    x.forEach((row, j) => expect(Math.abs(bound[j]! - oneLevelLogPx(p, row))).toBeLessThan(1e-3));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the property is not vacuous: an inflated guide scale spreads the log-weights', () => {
    const W = orthogonalRowsDecoder([1.5, 0.7, 2, 0.4], [1, 0.2, -0.3, 0.5, 0, 0.1], [0, 1, 0.4, -0.2, 0.3, 0.9]);
    setExactPosterior(W, [0, 0, 0, 0, 0, 0], 1.5);
    const xt = rowsTensor([[0.3, -1.2, 2.0, 0.1, -0.4, 1.1]]);
    const { logW } = weightsAndScale(xt, 200, 5);
    xt.dispose();
    // With q = N(μ, c²Σ), log w − log p(x) = log N(z; μ, Σ) − log N(z; μ, c²Σ)
    // = −½(c² − 1)·χ²_d + d log c, whose sd is ½(c² − 1)·sqrt(2d) ≈ 1.77 (c = 1.5, d = 4).
    // The sample sd of n = 200 draws has relative SE ≈ sqrt((κ − 1)/4n) with
    // κ = 3 + 12/d = 6 the kurtosis of χ²_4: ≈ 0.08; allow 4 SE.
    const expected = 0.5 * (1.5 ** 2 - 1) * Math.sqrt(8);
    expect(Math.abs(meanAndStandardError(logW.map((r) => r[0]!)).sd - expected)).toBeLessThan(4 * 0.08 * expected);
  });
});

describe('setParameters (how these tests install closed-form parameters)', () => {
  // Regression: number[] has a `values` method (Array.prototype.values), so
  // setParameters used to read it as a ParameterValue and fail with
  // "has shape [4, 6] (24 values) but got 0".
  it('takes number[], Float32Array, Float64Array and { values, shape }, row-major', () => {
    const values = Array.from({ length: 24 }, (_, i) => i / 8 - 1);
    for (const given of [values, Float32Array.from(values), Float64Array.from(values), { values: Float32Array.from(values), shape: [4, 6] }]) {
      model.setParameters({ 'decoder.weight': given });
      expect(Array.from(model.getParameters()['decoder.weight']!.values)).toEqual(values);
    }
    expect(() => model.setParameters({ 'decoder.weight': [1, 2, 3] })).toThrow(/shape \[4, 6\] \(24 values\) but got 3/);
  });
});

/**
 * Native data-movement kernels (Slice, SplitV, Concat, Tile, Transpose,
 * PadV2) and constant/sum kernels (ZerosLike, OnesLike, Fill, AddN) against
 * the cpu kernels: all exact.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataArb, shapeArb, size } from './arbitraries.js';
import { expectSameOutputs, nativeBuilt, runOnBoth, testValues, type Input } from './helpers.js';

const nonScalar = shapeArb(4).filter((s) => s.length > 0);
const input = (shape: number[], seed: number, specials = false): Input => ({ shape, values: testValues(size(shape), seed, { specials }) });

/** A shape with a begin and size inside it on every axis. */
const sliceArb = nonScalar.chain((shape) =>
  fc.tuple(...shape.map((n) => fc.integer({ min: 0, max: n - 1 }).chain((b) => fc.tuple(fc.constant(b), fc.integer({ min: 1, max: n - b }))))).map((bs) => ({
    shape,
    begin: bs.map(([b]) => b),
    size: bs.map(([, s]) => s),
  })),
);

describe.skipIf(!nativeBuilt)('native copy kernels', () => {
  it('Slice: contiguous slices (views) and strided ones', () => {
    fc.assert(
      fc.property(sliceArb, dataArb, ({ shape, begin, size: sz }, data) => {
        const { cpu, native } = runOnBoth(tf.Slice, { x: input(shape, data.seed, data.specials) }, { begin, size: sz }, data.view);
        expectSameOutputs(native, cpu, 0, 0, tf.Slice);
      }),
      { numRuns: 100 },
    );
  });

  it('SplitV: random sizes along a random axis', () => {
    const arb = nonScalar.chain((shape) =>
      fc.integer({ min: 0, max: shape.length - 1 }).chain((axis) =>
        fc
          .array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 })
          .map((parts) => ({ axis, parts, shape: shape.map((d, i) => (i === axis ? parts.reduce((a, b) => a + b, 0) : d)) })),
      ),
    );
    fc.assert(
      fc.property(arb, dataArb, ({ shape, axis, parts }, data) => {
        const { cpu, native } = runOnBoth(tf.SplitV, { x: input(shape, data.seed) }, { numOrSizeSplits: parts, axis }, data.view);
        expectSameOutputs(native, cpu, 0, 0, tf.SplitV);
      }),
      { numRuns: 60 },
    );
  });

  it('Concat: two to four inputs along a random axis', () => {
    const arb = nonScalar.chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        axis: fc.integer({ min: 0, max: shape.length - 1 }),
        widths: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 2, maxLength: 4 }),
      }),
    );
    fc.assert(
      fc.property(arb, dataArb, ({ shape, axis, widths }, data) => {
        const inputs = widths.map((w, i) => input(shape.map((d, j) => (j === axis ? w : d)), data.seed + i));
        const { cpu, native } = runOnBoth(tf.Concat, inputs, { axis }, data.view);
        expectSameOutputs(native, cpu, 0, 0, tf.Concat);
      }),
      { numRuns: 60 },
    );
  });

  it('Tile: random repetitions per axis', () => {
    const arb = nonScalar.chain((shape) => fc.record({ shape: fc.constant(shape), reps: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: shape.length, maxLength: shape.length }) }));
    fc.assert(
      fc.property(arb, dataArb, ({ shape, reps }, data) => {
        const { cpu, native } = runOnBoth(tf.Tile, { x: input(shape, data.seed, data.specials) }, { reps }, data.view);
        expectSameOutputs(native, cpu, 0, 0, tf.Tile);
      }),
      { numRuns: 60 },
    );
  });

  it('Transpose: random permutations', () => {
    const arb = nonScalar.chain((shape) => fc.record({ shape: fc.constant(shape), perm: fc.shuffledSubarray([...shape.keys()], { minLength: shape.length, maxLength: shape.length }) }));
    fc.assert(
      fc.property(arb, dataArb, ({ shape, perm }, data) => {
        const { cpu, native } = runOnBoth(tf.Transpose, { x: input(shape, data.seed) }, { perm }, data.view);
        expectSameOutputs(native, cpu, 0, 0, tf.Transpose);
      }),
      { numRuns: 60 },
    );
  });

  it('PadV2: random paddings and constant', () => {
    const arb = nonScalar.chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        paddings: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), { minLength: shape.length, maxLength: shape.length }),
        constantValue: fc.constantFrom(0, -1.5, NaN),
      }),
    );
    fc.assert(
      fc.property(arb, dataArb, ({ shape, paddings, constantValue }, data) => {
        const { cpu, native } = runOnBoth(tf.PadV2, { x: input(shape, data.seed) }, { paddings, constantValue }, data.view);
        expectSameOutputs(native, cpu, 0, 0, tf.PadV2);
      }),
      { numRuns: 60 },
    );
  });

  it('AddN, ZerosLike, OnesLike and Fill', () => {
    fc.assert(
      fc.property(nonScalar, fc.integer({ min: 2, max: 5 }), dataArb, (shape, count, data) => {
        const inputs = Array.from({ length: count }, (_, i) => input(shape, data.seed + i, data.specials));
        const sum = runOnBoth(tf.AddN, inputs, {}, data.view);
        expectSameOutputs(sum.native, sum.cpu, 0, 0, tf.AddN);
        for (const kernel of [tf.ZerosLike, tf.OnesLike]) {
          const like = runOnBoth(kernel, { x: inputs[0]! }, {}, data.view);
          expectSameOutputs(like.native, like.cpu, 0, 0, kernel);
        }
        const fill = runOnBoth(tf.Fill, {}, { shape, value: -2.5, dtype: 'float32' });
        expectSameOutputs(fill.native, fill.cpu, 0, 0, tf.Fill);
      }),
      { numRuns: 40 },
    );
  });

  it('generates both short last axes (loop tails) and long ones (vector bodies)', () => {
    const counts = { short: 0, long: 0 };
    fc.statistics(nonScalar, (s) => (s[s.length - 1]! >= 15 ? 'long' : 'short'), {
      numRuns: 400,
      seed: 1,
      logger: (line) => {
        const match = /^(short|long)\.*(\d+(?:\.\d+)?)%/.exec(line.trim());
        if (match) counts[match[1] as 'short' | 'long'] = Number(match[2]);
      },
    });
    expect(counts.short).toBeGreaterThan(20);
    expect(counts.long).toBeGreaterThan(20);
  });
});

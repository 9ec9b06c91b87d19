/**
 * fast-check arbitraries for the native kernel tests (not a test file): shapes
 * whose last axis is sometimes long enough (15..70) to run the kernels'
 * vector loops and their tails, and broadcast-compatible operand shapes.
 */
import fc from 'fast-check';

/** A small axis (1..4) or, for the last axis, sometimes a long one. */
export const smallDim = fc.integer({ min: 1, max: 4 });
export const lastDim = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 5 }), weight: 1 }, { arbitrary: fc.integer({ min: 15, max: 70 }), weight: 2 });

/** A shape of rank 0..maxRank: small leading axes, a possibly long last axis. */
export function shapeArb(maxRank = 4): fc.Arbitrary<number[]> {
  return fc
    .tuple(fc.array(smallDim, { maxLength: maxRank - 1 }), fc.option(lastDim, { nil: undefined }))
    .map(([lead, last]) => (last === undefined ? lead : [...lead, last]));
}

/**
 * Two operand shapes that broadcast to `out`: each drops some leading axes
 * and sets some others to 1 (tfjs's right-aligned broadcasting).
 */
export const broadcastPairArb = shapeArb(4).chain((out) =>
  fc
    .tuple(
      fc.nat({ max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      fc.nat({ max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    )
    .map(([dropA, onesA, dropB, onesB]) => {
      const derive = (drop: number, ones: boolean[]) => out.map((d, i) => (ones[i] ? 1 : d)).slice(drop);
      return { out, a: derive(dropA, onesA), b: derive(dropB, onesB) };
    }),
);

/** A data seed and whether to mix in NaN, ±Inf, ±0, denormals and huge values. */
export const dataArb = fc.record({ seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), specials: fc.boolean(), view: fc.integer({ min: 0, max: 7 }) });

export function size(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

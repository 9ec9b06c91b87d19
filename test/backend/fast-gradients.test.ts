import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fastBatchMatMulGradConfig,
  fastGradientsRegistered,
  fastTileGradConfig,
  registerFastGradients,
} from '../../src/backend/fast-gradients.js';
import { seededNormal } from '../../src/backend/random.js';
import { expectClose, useCpu } from './helpers.js';

// The stock gradients, captured before anything replaces them (each test file
// runs in a fresh module graph, so nothing has been registered yet).
const stockBatchMatMul = tf.getGradient(tf.BatchMatMul);
const stockTile = tf.getGradient(tf.Tile);

beforeAll(useCpu);

const t2 = (x: tf.Tensor): tf.Tensor => {
  const perm = x.shape.map((_, i) => i);
  [perm[x.rank - 2], perm[x.rank - 1]] = [x.rank - 1, x.rank - 2];
  return tf.transpose(x, perm);
};

/**
 * Reference gradients that avoid the BatchMatMul kernel entirely:
 * Y = Σ_n A'[..., m, n, 1] · B'[..., 1, n, p], differentiated by tfjs through
 * broadcasting Mul and Sum (whose gradients reduce broadcast axes themselves).
 */
function referenceGrads(a: tf.Tensor, b: tf.Tensor, dy: tf.Tensor, tA: boolean, tB: boolean): tf.Tensor[] {
  const f = (x: tf.Tensor, y: tf.Tensor): tf.Tensor => {
    const ax = tA ? t2(x) : x;
    const by = tB ? t2(y) : y;
    const prod = tf.sum(tf.mul(tf.expandDims(ax, -1), tf.expandDims(by, -3)), -2);
    return tf.sum(tf.mul(dy, prod));
  };
  return tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([a, b]);
}

/**
 * Batch-shape pairs that broadcast, including those the stock gradient
 * rejects. Only pairs tfjs's forward kernel gets right: it flattens batch
 * axes and indexes each operand modulo its batch size, so an operand's batch
 * shape must be all ones or a suffix of the output's; [2, 1] against [1, 3]
 * gives wrong products on cpu and wasm alike, so it is not listed.
 */
const BATCH_PAIRS: ReadonlyArray<readonly [number[], number[]]> = [
  [[], []],
  [[3], [3]],
  [[2, 3], [2, 3]],
  [[3], []],
  [[], [3]],
  [[1], [3]],
  [[3], [1]],
  [[2, 3], [3]],
  [[1, 3], [2, 3]],
  [[2, 3], [1, 1]],
];

const matMulCase = fc.record({
  m: fc.integer({ min: 1, max: 4 }),
  n: fc.integer({ min: 1, max: 4 }),
  p: fc.integer({ min: 1, max: 4 }),
  batches: fc.constantFrom(...BATCH_PAIRS),
  transposeA: fc.boolean(),
  transposeB: fc.boolean(),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

type MatMulCase = typeof matMulCase extends fc.Arbitrary<infer T> ? T : never;

function makeInputs(c: MatMulCase): { a: tf.Tensor; b: tf.Tensor; dy: tf.Tensor } {
  const [batchA, batchB] = c.batches;
  const a = seededNormal([...batchA, ...(c.transposeA ? [c.n, c.m] : [c.m, c.n])], c.seed);
  const b = seededNormal([...batchB, ...(c.transposeB ? [c.p, c.n] : [c.n, c.p])], c.seed + 1);
  const y = tf.matMul(a, b, c.transposeA, c.transposeB);
  return { a, b, dy: seededNormal(y.shape, c.seed + 2) };
}

describe('fast BatchMatMul gradient', () => {
  it('equals the stock gradFunc on the same dy and inputs (no batch broadcasting)', () => {
    const before = tf.memory().numTensors;
    fc.assert(
      fc.property(matMulCase, (c) => {
        fc.pre(c.batches[0].join() === c.batches[1].join());
        tf.tidy(() => {
          const { a, b, dy } = makeInputs(c);
          const attrs = { transposeA: c.transposeA, transposeB: c.transposeB };
          const ours = fastBatchMatMulGradConfig.gradFunc(dy, [a, b], attrs);
          const stock = stockBatchMatMul.gradFunc(dy, [a, b], attrs);
          expectClose(ours['a']!(), stock['a']!(), 1e-4, 1e-4);
          expectClose(ours['b']!(), stock['b']!(), 1e-4, 1e-4);
        });
      }),
      { numRuns: 30 },
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('equals a matmul-free reference, broadcast batch axes summed away', () => {
    fc.assert(
      fc.property(matMulCase, (c) => {
        tf.tidy(() => {
          const { a, b, dy } = makeInputs(c);
          const attrs = { transposeA: c.transposeA, transposeB: c.transposeB };
          const ours = fastBatchMatMulGradConfig.gradFunc(dy, [a, b], attrs);
          const [refA, refB] = referenceGrads(a, b, dy, c.transposeA, c.transposeB);
          expectClose(ours['a']!(), refA!, 1e-4, 1e-4);
          expectClose(ours['b']!(), refB!, 1e-4, 1e-4);
        });
      }),
      { numRuns: 30 },
    );
  });

  it('matches central finite differences on a small case', () => {
    tf.tidy(() => {
      const a = tf.tensor2d([0.3, -1.2, 0.8, 2.0, -0.5, 0.1], [2, 3]);
      const b = tf.tensor2d([1.5, -0.4, 0.7, 0.2, -1.1, 0.9], [2, 3]); // used transposed
      const dy = tf.tensor2d([0.6, -0.2, 1.3, 0.4], [2, 2]);
      const loss = (x: tf.Tensor): number => tf.sum(tf.mul(dy, tf.matMul(x, b, false, true))).dataSync()[0]!;
      const grad = fastBatchMatMulGradConfig.gradFunc(dy, [a, b], { transposeA: false, transposeB: true })['a']!();
      // The loss is linear in a, so a large step has no truncation error.
      const h = 0.5;
      const base = Array.from(a.dataSync());
      const fd = base.map((_, i) => {
        const up = base.map((v, j) => (j === i ? v + h : v));
        const down = base.map((v, j) => (j === i ? v - h : v));
        return (loss(tf.tensor2d(up, [2, 3])) - loss(tf.tensor2d(down, [2, 3]))) / (2 * h);
      });
      expectClose(grad, fd, 1e-4, 1e-4);
    });
  });
});

describe('fast Tile gradient', () => {
  const tileCase = fc
    .integer({ min: 1, max: 5 })
    .chain((rank) =>
      fc.record({
        shape: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: rank, maxLength: rank }),
        reps: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: rank, maxLength: rank }),
        seed: fc.integer({ min: 0, max: 1_000_000 }),
      }),
    );

  it('equals the stock gradFunc (ranks 1-4) and a broadcastTo reference (ranks 1-5)', () => {
    const before = tf.memory().numTensors;
    fc.assert(
      fc.property(tileCase, ({ shape, reps, seed }) => {
        tf.tidy(() => {
          const x = seededNormal(shape, seed);
          const tiled = tf.tile(x, reps);
          const dy = seededNormal(tiled.shape, seed + 1);
          const ours = fastTileGradConfig.gradFunc(dy, [x], { reps })['x']!();
          if (shape.length <= 4) expectClose(ours, stockTile.gradFunc(dy, [x], { reps })['x']!(), 1e-4, 1e-4);
          // tile(x, reps) = reshape(reshape(x, [1, d0, 1, d1, …]) · ones([r0, d0, r1, d1, …])); tf.broadcastTo
          // would not do as a reference: it runs the Tile kernel itself.
          const interleaved = shape.flatMap((d, i) => [reps[i]!, d]);
          const lifted = shape.flatMap((d) => [1, d]);
          const viaBroadcast = (v: tf.Tensor): tf.Tensor =>
            tf.sum(tf.mul(dy, tf.reshape(tf.mul(tf.reshape(v, lifted), tf.ones(interleaved)), tiled.shape)));
          expectClose(ours, tf.grad(viaBroadcast)(x), 1e-4, 1e-4);
        });
      }),
      { numRuns: 30 },
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('registerFastGradients', () => {
  it('is idempotent and makes tf.grads use the fast gradients', () => {
    expect(fastGradientsRegistered()).toBe(false);
    expect(registerFastGradients()).toBe(true);
    expect(registerFastGradients()).toBe(false);
    expect(fastGradientsRegistered()).toBe(true);
    expect(tf.getGradient(tf.BatchMatMul)).toBe(fastBatchMatMulGradConfig);
    expect(tf.getGradient(tf.Tile)).toBe(fastTileGradConfig);
  });

  it('lets tf.grads differentiate a broadcasting matmul, which the stock gradient rejects', () => {
    registerFastGradients();
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const a = seededNormal([2, 3, 4], 7);
      const b = seededNormal([4, 5], 8);
      const dy = seededNormal([2, 3, 5], 9);
      const f = (x: tf.Tensor, y: tf.Tensor): tf.Tensor => tf.sum(tf.mul(dy, tf.matMul(x, y)));
      const [da, db] = tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([a, b]);
      const [refA, refB] = referenceGrads(a, b, dy, false, false);
      expect(db!.shape).toEqual([4, 5]);
      expectClose(da!, refA!, 1e-4, 1e-4);
      expectClose(db!, refB!, 1e-4, 1e-4);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});

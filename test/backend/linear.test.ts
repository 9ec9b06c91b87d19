import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastGradients } from '../../src/backend/fast-gradients.js';
import { linearForward } from '../../src/backend/ops/linear.js';
import { seededNormal } from '../../src/backend/random.js';
import { expectClose, expectNoLeak, useCpu } from './helpers.js';

beforeAll(async () => {
  await useCpu();
  registerFastGradients();
});

/** x·W + b without matMul: Σ_i x[..., i, None] · W[i, :]. */
const reference = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor =>
  tf.add(tf.sum(tf.mul(tf.expandDims(x, -1), w), -2), b);

describe('linearForward', () => {
  it('computes x·W + b for [batch, in] and [k, batch, in] inputs', () => {
    tf.tidy(() => {
      const w = seededNormal([4, 3], 1);
      const b = seededNormal([3], 2);
      const x2 = seededNormal([5, 4], 3);
      const x3 = seededNormal([2, 5, 4], 4);
      expectClose(linearForward(x2, w, b), reference(x2, w, b), 1e-5);
      const y3 = linearForward(x3, w, b);
      expect(y3.shape).toEqual([2, 5, 3]);
      expectClose(y3, reference(x3, w, b), 1e-5);
    });
  });

  it('differentiates like the reference in x, W and b', () => {
    tf.tidy(() => {
      const x = seededNormal([3, 5, 4], 5);
      const w = seededNormal([4, 2], 6);
      const b = seededNormal([2], 7);
      const dy = seededNormal([3, 5, 2], 8);
      const loss = (f: typeof linearForward) => (...args: tf.Tensor[]) => tf.sum(tf.mul(dy, f(args[0]!, args[1]!, args[2]!)));
      const ours = tf.grads(loss(linearForward))([x, w, b]);
      const ref = tf.grads(loss(reference))([x, w, b]);
      ours.forEach((g, i) => expectClose(g, ref[i]!, 1e-4, 1e-4));
    });
  });

  it('leaves no tensors behind', () => {
    const x = seededNormal([3, 5, 4], 5);
    const w = seededNormal([4, 2], 6);
    const b = seededNormal([2], 7);
    expectNoLeak(() => linearForward(x, w, b));
    expectNoLeak(() => tf.grads((...a: tf.Tensor[]) => tf.sum(linearForward(a[0]!, a[1]!, a[2]!)))([x, w, b]));
    tf.dispose([x, w, b]);
  });

  it('names the mismatch when shapes disagree', () => {
    tf.tidy(() => {
      expect(() => linearForward(tf.zeros([2, 3]), tf.zeros([4, 2]), tf.zeros([2]))).toThrow(
        'linearForward: the last axis of x [2, 3] must equal the first axis of w [4, 2]',
      );
      expect(() => linearForward(tf.zeros([2, 3]), tf.zeros([3]), tf.zeros([2]))).toThrow(
        "Argument 'w' passed to 'linearForward' must have rank 2",
      );
    });
  });
});

/**
 * Cast on the native backend: int32 and bool become Float32Arrays that the
 * native kernels can read (tfjs's cpu Cast keeps the Int32Array under a
 * float32 label), with the cpu backend's values; other casts behave as on cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeBuilt } from './helpers.js';
import { selectBackend } from '../../src/backend/backend.js';

describe.skipIf(!nativeBuilt)('native Cast', () => {
  beforeAll(async () => {
    await selectBackend('native');
  });

  it('casts int32 and bool to float32 storage that native arithmetic accepts', () => {
    const ints = tf.tensor1d([-3, 0, 7, 2 ** 24 + 1], 'int32');
    const bools = tf.tensor1d([true, false, true, true], 'bool');
    const [fromInts, fromBools] = [tf.cast(ints, 'float32'), tf.cast(bools, 'float32')];
    expect(tf.backend().readSync(fromInts.dataId)).toBeInstanceOf(Float32Array);
    expect([...tf.add(fromInts, 0.5).dataSync()]).toEqual([-2.5, 0.5, 7.5, Math.fround(Math.fround(2 ** 24 + 1) + 0.5)]);
    expect([...tf.mul(fromBools, tf.ones([4])).dataSync()]).toEqual([1, 0, 1, 1]);
    tf.dispose([ints, bools, fromInts, fromBools]);
  });

  it('leaves other casts to the cpu kernel (float32 to int32 truncates, bool compares with 0)', () => {
    const x = tf.tensor1d([-1.5, 0, 2.7]);
    expect([...tf.cast(x, 'int32').dataSync()]).toEqual([-1, 0, 2]);
    expect([...tf.cast(x, 'bool').dataSync()]).toEqual([1, 0, 1]);
    expect(tf.cast(x, 'float32').dataSync()).toEqual(x.dataSync());
  });
});

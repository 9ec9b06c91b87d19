/**
 * tf.randomUniform on the native backend, bit-identical and several times
 * faster: tfjs-core fills the array in a JavaScript loop over seedrandom's
 * Alea generator (about 8 ns per number, 19 ms for the Laplace noise of the
 * benchmark at k = 50); here the same generator runs in the addon
 * (native/src/random.cc) after being seeded in JavaScript exactly as
 * seedrandom's `alea(String(seed))` is.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeKernel } from './kernels/kernel.js';

export const NATIVE_UNIFORM_KERNEL = 'StrataNativeUniform';

/** seedrandom's Mash hash (lib/alea.js), which seeds Alea from a string. */
function createMash(): (data: string) => number {
  let n = 0xefc8249d;
  return (data: string) => {
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000; // 2^32
    }
    return (n >>> 0) * 2.3283064365386963e-10; // 2^-32
  };
}

/**
 * The Alea state [s0, s1, s2, c] that `seedrandom.alea(seed)` starts from.
 * @param seed the seed string (tfjs passes `String(seed)` for a number)
 */
export function aleaState(seed: string): Float64Array {
  const mash = createMash();
  const s = [mash(' '), mash(' '), mash(' ')];
  for (let i = 0; i < 3; i++) {
    s[i]! -= mash(seed);
    if (s[i]! < 0) s[i]! += 1;
  }
  return Float64Array.of(s[0]!, s[1]!, s[2]!, 1);
}

interface UniformAttrs {
  shape: number[];
  minval: number;
  maxval: number;
  seed: number;
}

export const nativeUniformKernel: NativeKernel = {
  kernelName: NATIVE_UNIFORM_KERNEL,
  run: ({ backend, attrs }) => {
    const { shape, minval, maxval, seed } = attrs as unknown as UniformAttrs;
    const out = backend.pool.alloc(shape.reduce((p, d) => p * d, 1));
    backend.addon.aleaUniform(out, aleaState(String(seed)), minval, maxval - minval);
    return backend.output(shape, out);
  },
};

/**
 * `tf.randomUniform(shape, minval, maxval, 'float32', seed)`, computed by the
 * addon when the native backend is active; undefined otherwise (the caller
 * then uses tf.randomUniform).
 *
 * @param seed a number, as passed to tf.randomUniform (tfjs seeds with its string form)
 */
export function nativeRandomUniform(shape: readonly number[], minval: number, maxval: number, seed: number): tf.Tensor | undefined {
  if (tf.getBackend() !== 'native' || shape.some((d) => !Number.isInteger(d) || d <= 0)) return undefined;
  const attrs: UniformAttrs = { shape: [...shape], minval, maxval, seed };
  return tf.engine().runKernel(NATIVE_UNIFORM_KERNEL, {}, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

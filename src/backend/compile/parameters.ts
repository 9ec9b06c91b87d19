/**
 * Learned tensors of a compiled model: one `tf.variable` per IR parameter,
 * initialized from its initializer with a seeded generator (Glorot-uniform
 * weights, zero biases unless the model says otherwise).
 */
import * as tf from '@tensorflow/tfjs';
import type { Initializer, IrParameter } from '../../ir/ir.js';
import { SeededRandom, seededNormal, seededUniform } from '../random.js';

/**
 * The initial value of a parameter.
 * Glorot uniform (Glorot & Bengio 2010): U(-a, a), a = sqrt(6 / (fan_in + fan_out)),
 * where a dense weight [in, out] has fans in and out, and a convolution kernel
 * [kh, kw, in, out] has fans kh·kw·in and kh·kw·out (as Keras counts them).
 */
export function initialValue(shape: readonly number[], init: Initializer, seed: number): tf.Tensor {
  switch (init.kind) {
    case 'constant':
      return tf.fill([...shape], init.value);
    case 'normal':
      return tf.tidy(() => tf.add(tf.mul(seededNormal(shape, seed), init.std), init.mean));
    case 'uniform':
      return seededUniform(shape, init.low, init.high, seed);
    case 'glorotUniform': {
      const receptive = shape.length === 4 ? shape[0]! * shape[1]! : 1;
      const fanIn = shape.length === 4 ? receptive * shape[2]! : shape.length >= 2 ? shape[0]! : 1;
      const fanOut = shape.length === 4 ? receptive * shape[3]! : shape.length >= 2 ? shape[1]! : shape[0] ?? 1;
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      return seededUniform(shape, -limit, limit, seed);
    }
  }
}

/**
 * Creates a trainable variable per parameter, in IR order. The initial tensor
 * is disposed once copied (`tf.variable(init)` does not free `init`).
 */
export function createVariables(parameters: readonly IrParameter[], seed: number): Map<string, tf.Variable> {
  const rng = new SeededRandom(seed);
  const variables = new Map<string, tf.Variable>();
  for (const p of parameters) {
    const init = initialValue(p.shape, p.init, rng.nextSeed());
    variables.set(p.name, tf.variable(init, true, p.name.replace(/\./g, '/') + '_' + uniqueSuffix()));
    init.dispose();
  }
  return variables;
}

let counter = 0;
/** tfjs variable names are global; make ours unique so several models can coexist. */
function uniqueSuffix(): number {
  return counter++;
}

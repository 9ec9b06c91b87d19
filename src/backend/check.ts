/**
 * Argument checks for the backend layer, worded like tfjs's own
 * ("Argument 'x' passed to 'logSumExp' must be a Tensor") so that a mistake
 * reads the same whether tfjs or Strata caught it.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Throws unless `value` is a tf.Tensor.
 *
 * @param value the argument to check
 * @param argName the parameter's name, e.g. `'logW'`
 * @param fnName the function it was passed to, e.g. `'logMeanExp'`
 * @example assertTensor(logW, 'logW', 'logMeanExp');
 */
export function assertTensor(value: unknown, argName: string, fnName: string): asserts value is tf.Tensor {
  if (!(value instanceof tf.Tensor)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new TypeError(`Argument '${argName}' passed to '${fnName}' must be a Tensor, but got ${got}`);
  }
}

/** Throws unless `t` has rank at least `minRank`. */
export function assertRankAtLeast(t: tf.Tensor, minRank: number, argName: string, fnName: string): void {
  if (t.rank < minRank) {
    throw new Error(
      `Argument '${argName}' passed to '${fnName}' must have rank at least ${minRank}, ` +
        `but has shape [${t.shape.join(', ')}]`,
    );
  }
}

/** Throws unless `t` has exactly rank `rank`. */
export function assertRank(t: tf.Tensor, rank: number, argName: string, fnName: string): void {
  if (t.rank !== rank) {
    throw new Error(
      `Argument '${argName}' passed to '${fnName}' must have rank ${rank}, but has shape [${t.shape.join(', ')}]`,
    );
  }
}

/** Throws unless `n` is an integer no smaller than `min`. */
export function assertInteger(n: unknown, min: number, argName: string, fnName: string): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
    throw new RangeError(
      `Argument '${argName}' passed to '${fnName}' must be an integer >= ${min}, but got ${String(n)}`,
    );
  }
}

/**
 * Throws unless `seed` is undefined or a safe integer. Zero is a valid seed.
 */
export function assertSeed(seed: unknown, fnName: string): asserts seed is number | undefined {
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isSafeInteger(seed))) {
    throw new RangeError(`Argument 'seed' passed to '${fnName}' must be a safe integer or undefined, but got ${String(seed)}`);
  }
}

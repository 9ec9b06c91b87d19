/**
 * The checkpoint tests' shared setup: models/linear-gaussian.ppl compiled on
 * the cpu backend, a small seeded data set and the run options. Not a test file.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunInfo, RunOptions } from '../../src/driver/checkpoint/checkpoint.js';
import { compileModel, type StrataModel } from '../../src/index.js';
import { TestRandom } from '../helpers/linear-gaussian.js';

export const MODEL_PATH = 'models/linear-gaussian.ppl';
export const SOURCE = readFileSync(fileURLToPath(new URL(`../../${MODEL_PATH}`, import.meta.url)), 'utf8');
export const TWO_LEVEL_SOURCE = readFileSync(fileURLToPath(new URL('../../models/linear-gaussian-2level.ppl', import.meta.url)), 'utf8');

/** The model, its parameters initialized from `seed`. */
export function compile(seed: number, source = SOURCE): Promise<StrataModel> {
  return compileModel(source, { backend: 'cpu', seed, fileName: MODEL_PATH });
}

const rng = new TestRandom(11);
/** 40 rows of 6: five minibatches of 8 per epoch (5 Adam steps: where β2^(t+1) by pow and by running product first differ in float32). */
export const DATA = { x: rng.matrix(40, 6) };

export const OPTIONS: RunOptions = { objective: 'iwae', k: 3, batchSize: 8, learningRate: 0.01, seed: 5, epochs: 3, data: { source: 'inline', rows: 40 } };

/** `infer`'s options for `epochs` more epochs of the run. */
export function trainOptions(epochs: number) {
  const { objective, k, batchSize, learningRate, seed } = OPTIONS;
  return { data: DATA, objective, k, batchSize, learningRate, seed, epochs };
}

export const INFO: RunInfo = { modelPath: MODEL_PATH, source: SOURCE, options: OPTIONS };

/** Every parameter's bytes, for bitwise comparison. */
export function parameterBytes(model: StrataModel): Record<string, string> {
  return Object.fromEntries(Object.entries(model.getParameters()).map(([name, p]) => [name, Buffer.from(p.values.buffer).toString('hex')]));
}

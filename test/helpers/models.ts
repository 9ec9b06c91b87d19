/**
 * Loading the linear-Gaussian fixture models on the deterministic pure-JS
 * backend, and small tensor helpers the inference tests share. Not a test file.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { compileModel, type StrataModel } from '../../src/index.js';

const modelsDir = fileURLToPath(new URL('../../models/', import.meta.url));

/** models/linear-gaussian.ppl compiled on the cpu backend. */
export function loadOneLevel(seed = 0): Promise<StrataModel> {
  return compileModel(readFileSync(modelsDir + 'linear-gaussian.ppl', 'utf8'), { backend: 'cpu', seed, fileName: 'models/linear-gaussian.ppl' });
}

/** models/linear-gaussian-2level.ppl compiled on the cpu backend. */
export function loadTwoLevel(seed = 0): Promise<StrataModel> {
  return compileModel(readFileSync(modelsDir + 'linear-gaussian-2level.ppl', 'utf8'), { backend: 'cpu', seed, fileName: 'models/linear-gaussian-2level.ppl' });
}

/** Rows as a `[n, d]` float32 tensor (the caller disposes it). */
export function rowsTensor(rows: readonly (readonly number[])[]): tf.Tensor2D {
  return tf.tensor2d(rows.map((r) => [...r]), [rows.length, rows[0]!.length]);
}

/** A `[k, batch]` tensor's values as k rows of batch numbers (float64 copies). */
export function rowsOf(t: tf.Tensor): number[][] {
  return t.arraySync() as number[][];
}

/** Column j of a `[k, batch]` tensor's rows. */
export function column(rows: readonly (readonly number[])[], j: number): number[] {
  return rows.map((r) => r[j]!);
}

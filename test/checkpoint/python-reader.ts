/**
 * Runs read-files.py, the independent spec-based Python reader, on files
 * Strata wrote. Not a test file. Where python3 or numpy is missing,
 * `HAS_NUMPY` is false and the tests that need it are skipped.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const READER = fileURLToPath(new URL('./read-files.py', import.meta.url));

export const HAS_NUMPY = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

export interface PythonSafetensors {
  readonly header_length: number;
  readonly metadata: Record<string, string>;
  readonly tensors: Record<string, { dtype: string; shape: number[]; values: number[] }>;
}

export interface PythonNpy {
  readonly shape: number[];
  readonly dtype: string;
  readonly data_offset: number;
  readonly values: number[];
}

/** Parses the files in one Python process (numpy's import dominates the time). */
export function readWithPython<T>(kind: 'safetensors' | 'npy', paths: readonly string[]): T[] {
  const run = spawnSync('python3', [READER, kind, ...paths], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`read-files.py ${kind} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as T[];
}

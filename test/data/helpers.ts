/**
 * Helpers for the data tests: temp folders, raw arrays with JSON headers,
 * and the real data directory (resolved with the same lookup as the CLI).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { findDataDir } from '../../src/data/data-dir.js';

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A fresh temp folder, removed after the file's tests. */
export function tempDir(prefix = 'strata-data-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Little-endian bytes of float32 values. */
export function f32Bytes(values: ArrayLike<number>): Buffer {
  const buf = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) buf.writeFloatLE(values[i]!, 4 * i);
  return buf;
}

/** Writes `path` and `path.json` (shape, dtype, bytes, sha256 and `extra` fields); returns the bytes. */
export function writeRaw(path: string, values: ArrayLike<number>, shape: readonly number[], extra: Record<string, unknown> = {}): Buffer {
  mkdirSync(dirname(path), { recursive: true });
  const dtype = path.endsWith('.f32') ? 'float32' : 'uint8';
  const bytes = dtype === 'float32' ? f32Bytes(values) : Buffer.from(Uint8Array.from(values));
  writeFileSync(path, bytes);
  const header = { dtype, byte_order: dtype === 'float32' ? 'little-endian' : 'n/a', shape, bytes: bytes.length, sha256: sha256(bytes), ...extra };
  writeFileSync(`${path}.json`, JSON.stringify(header));
  return bytes;
}

/** Deterministic pseudo-random bytes (a simple LCG; fine for fixtures). */
export function fixtureBytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** The real data directory if the lookup finds one holding the shared data, else undefined. */
export const REAL_DATA: string | undefined = (() => {
  try {
    const { dir } = findDataDir();
    return dir !== undefined && existsSync(join(dir, 'mnist')) ? dir : undefined;
  } catch {
    return undefined;
  }
})();

/** Sample mean and (population) variance. */
export function meanVar(x: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  const mean = s / x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i]! - mean) ** 2;
  return { mean, variance: v / x.length };
}

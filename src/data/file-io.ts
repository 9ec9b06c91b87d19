/**
 * Reading whole files with one-line, file-naming errors, and sha256 checks.
 * Nothing is cached: every call reads and hashes the bytes afresh.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { fileError } from './data-error.js';

/** Node's error code (`'ENOENT'`, ...) of a thrown value, if any. */
function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

/**
 * The bytes of `path`. Throws a `DataError` naming the file when it is
 * missing, a directory, or unreadable.
 *
 * @param what how to call the file in messages when it is missing (`'file'`, `'header'`)
 */
export async function readWholeFile(path: string, what = 'file'): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') throw fileError(path, `missing ${what}`, error);
    if (code === 'EISDIR') throw fileError(path, `expected a ${what} but found a directory`, error);
    throw fileError(path, `cannot read ${what} (${code ?? String(error)})`, error);
  }
}

/** Size of `path` in bytes, or undefined when it does not exist. */
export async function fileSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

/** Lower-case hex sha256 of a buffer. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Lower-case hex sha256 of a file, streamed (constant memory). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    throw fileError(path, errorCode(error) === 'ENOENT' ? 'missing file' : `cannot read file (${errorCode(error) ?? String(error)})`, error);
  }
  return hash.digest('hex');
}

/**
 * Throws `"<path>: checksum mismatch (sha256 expected E, found F)"` unless the
 * bytes hash to `expected` (hex, case-insensitive).
 */
export function verifySha256(path: string, bytes: Uint8Array, expected: string): void {
  const found = sha256Hex(bytes);
  if (found !== expected.toLowerCase()) {
    throw fileError(path, `checksum mismatch (sha256 expected ${expected.toLowerCase()}, found ${found})`);
  }
}

/** `"expected N bytes, found M"`, worded as truncated or too long. */
export function sizeProblem(expected: number, found: number, unit = 'bytes'): string {
  return found < expected
    ? `truncated file (expected ${expected} ${unit}, found ${found})`
    : `file too long (expected ${expected} ${unit}, found ${found})`;
}

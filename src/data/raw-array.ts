/**
 * Raw array files with a JSON header beside them (the `shared/data`
 * convention): `X.f32` (little-endian float32) or `X.u8` (uint8), C order,
 * headerless, and `X.f32.json` / `X.u8.json` with at least
 *
 *   `{ "dtype": "float32" | "uint8", "shape": [d0, d1, ...] }`
 *
 * and optionally `"bytes"` (the file size), `"sha256"` (hex) and
 * `"byte_order"` (`"little-endian"` for float32). Other fields (`classes`,
 * `valid_rows`, ...) are passed through in `header`.
 */
import { basename } from 'node:path';
import { fileError } from './data-error.js';
import { readWholeFile, sizeProblem, verifySha256 } from './file-io.js';
import { float32FromLE, shapeSize, uint8View } from './typed-view.js';

/** Element types of raw arrays. */
export type RawDtype = 'float32' | 'uint8';

const ITEM_BYTES: Readonly<Record<RawDtype, number>> = { float32: 4, uint8: 1 };

/** A raw array read from disk: its values, shape and header. */
export interface RawArray {
  readonly path: string;
  readonly dtype: RawDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array | Uint8Array;
  /** The parsed JSON header, all fields (empty for formats without one). */
  readonly header: Readonly<Record<string, unknown>>;
}

export interface ReadRawOptions {
  /** Required element type; a different header dtype is an error. */
  readonly dtype?: RawDtype;
  /** Required shape; `null` entries match any size. */
  readonly shape?: readonly (number | null)[];
  /** Check the header's sha256 when it has one (default true). */
  readonly verify?: boolean;
}

/** Parses and checks the JSON header of a raw array (`headerPath` for messages). */
export function parseRawHeader(headerPath: string, text: string): { dtype: RawDtype; shape: number[]; bytes?: number; sha256?: string; header: Record<string, unknown> } {
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    throw fileError(headerPath, `header is not valid JSON (${(error as Error).message})`, error);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw fileError(headerPath, 'header must be a JSON object');
  const h = header as Record<string, unknown>;
  const { dtype, shape, bytes, sha256 } = h;
  if (dtype !== 'float32' && dtype !== 'uint8') {
    throw fileError(headerPath, `unsupported dtype ${JSON.stringify(dtype)} (supported: "float32", "uint8")`);
  }
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isSafeInteger(d) && (d as number) > 0)) {
    throw fileError(headerPath, `header field "shape" must be a non-empty array of positive integers, got ${JSON.stringify(shape)}`);
  }
  if (dtype === 'float32' && h.byte_order !== undefined && h.byte_order !== 'little-endian') {
    throw fileError(headerPath, `unsupported byte_order ${JSON.stringify(h.byte_order)} for float32 (expected "little-endian")`);
  }
  if (bytes !== undefined && !Number.isSafeInteger(bytes)) throw fileError(headerPath, `header field "bytes" must be an integer, got ${JSON.stringify(bytes)}`);
  if (sha256 !== undefined && (typeof sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256))) {
    throw fileError(headerPath, `header field "sha256" must be 64 hex digits, got ${JSON.stringify(sha256)}`);
  }
  const need = shapeSize(shape as number[]) * ITEM_BYTES[dtype];
  if (bytes !== undefined && bytes !== need) {
    throw fileError(headerPath, `header says ${bytes as number} bytes but shape [${(shape as number[]).join(', ')}] of ${dtype} needs ${need}`);
  }
  return { dtype, shape: shape as number[], bytes: need, ...(sha256 === undefined ? {} : { sha256: sha256 as string }), header: h };
}

/** Throws unless `shape` matches `expected` (`null` = any) and `dtype` matches. */
export function checkShape(path: string, shape: readonly number[], dtype: RawDtype, options: ReadRawOptions): void {
  if (options.dtype !== undefined && dtype !== options.dtype) throw fileError(path, `wrong dtype (expected ${options.dtype}, found ${dtype})`);
  const want = options.shape;
  if (want !== undefined && (want.length !== shape.length || want.some((d, i) => d !== null && d !== shape[i]))) {
    const show = `[${want.map((d) => (d === null ? '*' : String(d))).join(', ')}]`;
    throw fileError(path, `wrong shape (expected ${show}, found [${shape.join(', ')}])`);
  }
}

/**
 * Reads a raw `.f32` / `.u8` array and its `.json` header, checking the
 * header, the file size and (unless `verify: false`) the sha256.
 *
 * @param path the data file; its header is `path + '.json'`
 * @returns values in C order with `shape` `[d0, d1, ...]`
 * @throws DataError "missing file", "missing header", "truncated file (expected N bytes, found M)",
 *   "wrong shape", "wrong dtype", "checksum mismatch", each naming the file
 * @example const a = await readRawArray('data/natural_images/hyvarinen_13x256x512.u8', { shape: [null, null, null] });
 */
export async function readRawArray(path: string, options: ReadRawOptions = {}): Promise<RawArray> {
  const headerPath = `${path}.json`;
  const headerBytes = await readWholeFile(headerPath, `header (the JSON header of ${basename(path)})`);
  const parsed = parseRawHeader(headerPath, headerBytes.toString('utf8'));
  const fromName = dtypeFromExtension(path);
  if (fromName !== undefined && fromName !== parsed.dtype) {
    throw fileError(headerPath, `header dtype ${parsed.dtype} does not match the file extension (${fromName})`);
  }
  checkShape(path, parsed.shape, parsed.dtype, options);
  const bytes = await readWholeFile(path);
  if (bytes.length !== parsed.bytes) throw fileError(path, sizeProblem(parsed.bytes!, bytes.length));
  if (parsed.sha256 !== undefined && options.verify !== false) verifySha256(path, bytes, parsed.sha256);
  const data = parsed.dtype === 'float32' ? float32FromLE(bytes) : uint8View(bytes);
  if (data instanceof Float32Array) assertFinite(path, data);
  return { path, dtype: parsed.dtype, shape: parsed.shape, data, header: parsed.header };
}

/** Throws naming the first non-finite value's flat index, if any. */
export function assertFinite(path: string, data: Float32Array): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) throw fileError(path, `non-finite value ${data[i]} at flat index ${i}`);
  }
}

/** A raw array's dtype from a file name: `.f32` float32, `.u8` uint8, else undefined. */
export function dtypeFromExtension(path: string): RawDtype | undefined {
  if (path.endsWith('.f32')) return 'float32';
  if (path.endsWith('.u8')) return 'uint8';
  return undefined;
}

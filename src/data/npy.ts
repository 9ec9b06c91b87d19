/**
 * A small reader for NumPy `.npy` files (format versions 1.0, 2.0 and 3.0):
 * the magic `\x93NUMPY`, a version, a little-endian header length (2 bytes in
 * v1, 4 in v2/v3), an ASCII dict literal such as
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (100, 784), }`,
 * then the data. Supported: `'<f4'` (float32), `'<f8'` (float64, NumPy's
 * default, converted to float32: every value must be finite and within
 * float32's range) and `'|u1'` / `'|b1'` (uint8, bool) in C order; anything
 * else is an error that says so.
 * Reference: numpy/lib/format.py (NEP 1).
 */
import { fileError } from './data-error.js';
import { readWholeFile, sizeProblem } from './file-io.js';
import { assertFinite, type RawArray } from './raw-array.js';
import { float32FromLE, shapeSize, uint8View } from './typed-view.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DTYPES: Readonly<Record<string, { dtype: 'float32' | 'uint8'; bytes: number }>> = {
  '<f4': { dtype: 'float32', bytes: 4 },
  '<f8': { dtype: 'float32', bytes: 8 },
  '|u1': { dtype: 'uint8', bytes: 1 },
  '<u1': { dtype: 'uint8', bytes: 1 },
  '|b1': { dtype: 'uint8', bytes: 1 },
};

/** The fields of a `.npy` header dict. */
export interface NpyHeader {
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
}

/** Parses the header dict literal of a `.npy` file (`path` for messages). */
export function parseNpyHeader(path: string, text: string): NpyHeader {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw fileError(path, `bad .npy header (expected 'descr', 'fortran_order' and 'shape', found ${JSON.stringify(text.trim())})`);
  }
  const parts = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const shape = parts.map((s) => Number(s.replace(/L$/, '')));
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw fileError(path, `bad .npy shape (${shapeText.trim()})`);
  return { descr, fortranOrder: fortran === 'True', shape };
}

/**
 * Reads a `.npy` file into a raw array.
 *
 * @returns values in C order with the file's shape; `header` holds `descr`
 * @throws DataError naming the file: bad magic, unsupported dtype, Fortran order, truncated data
 * @example const a = await readNpy('x.npy'); // a.shape = [n, 784], a.dtype = 'float32'
 */
export async function readNpy(path: string): Promise<RawArray> {
  const bytes = await readWholeFile(path);
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw fileError(path, `bad magic number (expected "\\x93NUMPY" for a .npy file, found ${JSON.stringify(bytes.subarray(0, 6).toString('latin1'))})`);
  }
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw fileError(path, `unsupported .npy format version ${major}.${bytes[7]} (supported: 1.0, 2.0, 3.0)`);
  const lengthBytes = major === 1 ? 2 : 4;
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = 8 + lengthBytes + headerLength;
  if (start > bytes.length) throw fileError(path, sizeProblem(start, bytes.length));
  const header = parseNpyHeader(path, bytes.subarray(8 + lengthBytes, start).toString(major === 3 ? 'utf8' : 'latin1'));
  const type = DTYPES[header.descr];
  if (type === undefined) {
    throw fileError(path, `unsupported dtype '${header.descr}' (supported: '<f4', '<f8', '|u1', '|b1'); save it as float32: np.save(path, a.astype('<f4'))`);
  }
  if (header.fortranOrder) throw fileError(path, 'Fortran-order arrays are not supported (save with C order: np.ascontiguousarray)');
  const need = start + shapeSize(header.shape) * type.bytes;
  if (bytes.length !== need) throw fileError(path, sizeProblem(need, bytes.length));
  const body = bytes.subarray(start, need);
  const data = header.descr === '<f8' ? float32FromFloat64LE(path, body) : type.dtype === 'float32' ? float32FromLE(body) : uint8View(body);
  if (data instanceof Float32Array) assertFinite(path, data);
  return { path, dtype: type.dtype, shape: header.shape, data, header: { descr: header.descr } };
}

/**
 * float64 little-endian values as float32 (rounded to nearest).
 * @throws DataError naming the flat index of a non-finite value or one that rounds to infinity in float32
 */
function float32FromFloat64LE(path: string, body: Buffer): Float32Array {
  const out = new Float32Array(body.length / 8);
  for (let i = 0; i < out.length; i++) {
    const v = body.readDoubleLE(8 * i);
    if (!Number.isFinite(v)) throw fileError(path, `non-finite value ${v} at flat index ${i}`);
    const rounded = Math.fround(v);
    if (!Number.isFinite(rounded)) throw fileError(path, `float64 value ${v} at flat index ${i} is beyond float32's range (±3.4e38); Strata computes in float32`);
    out[i] = rounded;
  }
  return out;
}

/**
 * Encodes a C-order array as a version-1.0 `.npy` file (for tests and for
 * exporting data): header padded with spaces to a multiple of 64 bytes.
 */
export function encodeNpy(data: Float32Array | Uint8Array, shape: readonly number[]): Buffer {
  const descr = data instanceof Float32Array ? '<f4' : '|u1';
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - 10 - 1, ' ') + '\n';
  const head = Buffer.alloc(10);
  MAGIC.forEach((m, i) => (head[i] = m));
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(dict.length, 8);
  const body = Buffer.alloc(data.byteLength);
  if (data instanceof Float32Array) data.forEach((v, i) => body.writeFloatLE(v, 4 * i));
  else body.set(data);
  return Buffer.concat([head, Buffer.from(dict, 'latin1'), body]);
}

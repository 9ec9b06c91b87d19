/**
 * NumPy's .npy format, version 1.0, for float32 arrays (SIR samples):
 *
 *   "\x93NUMPY" 0x01 0x00 [u16 LE header length] "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" spaces "\n" [data]
 *
 * The header is padded so the data starts at a multiple of 64 bytes, as
 * numpy.lib.format writes it. Reference: numpy.lib.format (NEP 1).
 */
import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { UserError } from '../../util/user-error.js';
import { writeBytesAtomic } from './write-bytes.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ALIGN = 64;

if (endianness() !== 'LE') throw new Error('strata: .npy files are written little-endian (<f4); this platform is big-endian');

/** A float32 array in row-major (C) order. */
export interface NpyArray {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** A Python tuple literal: `()`, `(3,)`, `(2, 3)`. */
function shapeTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * Serializes a float32 array as .npy version 1.0 ('<f4', C order).
 * @param shape e.g. `[batch, n, d]`; its product must equal `data.length`
 * @throws RangeError when the shape does not match the data
 */
export function encodeNpy(data: Float32Array, shape: readonly number[]): Uint8Array {
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0) || shape.reduce((a, b) => a * b, 1) !== data.length) {
    throw new RangeError(`encodeNpy: shape [${shape.join(', ')}] does not hold ${data.length} values`);
  }
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeTuple(shape)}, }`;
  // magic (6) + version (2) + header length (2) + dict + padding + '\n' = a multiple of 64.
  const total = Math.ceil((10 + dict.length + 1) / ALIGN) * ALIGN;
  const headerLength = total - 10;
  if (headerLength > 0xffff) throw new RangeError(`encodeNpy: a shape of ${shape.length} dimensions does not fit a version 1.0 header`);
  const out = new Uint8Array(total + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, headerLength, true);
  out.set(Buffer.from(dict.padEnd(headerLength - 1, ' ') + '\n', 'latin1'), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return out;
}

/** Writes a float32 .npy file atomically. */
export async function writeNpy(path: string, data: Float32Array, shape: readonly number[]): Promise<void> {
  await writeBytesAtomic(path, encodeNpy(data, shape));
}

/**
 * Parses a '<f4' C-order .npy file (versions 1.0, 2.0 and 3.0).
 * @param path the file name used in error messages
 * @throws UserError naming the file and the problem
 */
export function decodeNpy(bytes: Uint8Array, path: string): NpyArray {
  const fail = (problem: string) => new UserError(`cannot read '${path}': ${problem}`);
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) throw fail('not a .npy file (no \\x93NUMPY magic)');
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw fail(`unsupported .npy version ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw fail('the header is truncated');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (dataStart > bytes.length) throw fail(`the header length ${headerLength} runs past the end of the file`);
  const header = Buffer.from(bytes.subarray(8 + lengthBytes, dataStart)).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw fail(`malformed header ${JSON.stringify(header.trim())}`);
  if (descr !== '<f4') throw fail(`dtype '${descr}' is not supported (only '<f4')`);
  if (fortran === 'True') throw fail('Fortran-order arrays are not supported');
  const dims = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (!dims.every((d) => /^\d+$/.test(d))) throw fail(`malformed shape (${shapeText})`);
  const shape = dims.map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - dataStart !== count * 4) throw fail(`shape (${shape.join(', ')}) needs ${count * 4} data bytes but the file has ${bytes.length - dataStart}`);
  // A copy: the data may sit at any offset of a pooled Buffer.
  return { data: new Float32Array(new Uint8Array(bytes.subarray(dataStart)).buffer), shape };
}

/** Reads a float32 .npy file. */
export async function readNpy(path: string): Promise<NpyArray> {
  const bytes = await readFile(path).catch((cause: unknown) => {
    throw new UserError(`cannot read '${path}': ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  });
  return decodeNpy(bytes, path);
}

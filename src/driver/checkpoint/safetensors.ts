/**
 * The safetensors format (https://github.com/huggingface/safetensors), written
 * and read without dependencies:
 *
 *   [u64 little-endian N][N bytes of UTF-8 JSON header, space-padded][data]
 *
 * The header maps each tensor name to `{ dtype, shape, data_offsets: [begin, end] }`
 * (offsets into the data section) plus an optional `"__metadata__"` object of
 * strings. Tensors are stored contiguously from offset 0, little-endian, in
 * the order given, and the header is padded with spaces to a multiple of 8
 * bytes, as the reference writer does, so files load in Python's `safetensors`.
 */
import { endianness } from 'node:os';
import { readFile } from 'node:fs/promises';
import { UserError } from '../../util/user-error.js';
import { writeFileAtomic } from '../../util/atomic-write.js';

/** Element types with a JavaScript typed array (F16, BF16, I64 and BOOL are not supported). */
export type SafetensorsDtype = 'F64' | 'F32' | 'I32' | 'I16' | 'I8' | 'U32' | 'U16' | 'U8';

type TypedArrayFor = {
  F64: Float64Array;
  F32: Float32Array;
  I32: Int32Array;
  I16: Int16Array;
  I8: Int8Array;
  U32: Uint32Array;
  U16: Uint16Array;
  U8: Uint8Array;
};

/** One tensor: its element type, shape and row-major values (`product(shape)` of them). */
export type SafeTensor = { [D in SafetensorsDtype]: { readonly dtype: D; readonly shape: readonly number[]; readonly data: TypedArrayFor[D] } }[SafetensorsDtype];

/** A whole file: tensors in data order, and the string-to-string `__metadata__`. */
export interface SafetensorsContents {
  readonly tensors: ReadonlyMap<string, SafeTensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

const ARRAY: { readonly [D in SafetensorsDtype]: { new (buffer: ArrayBuffer): TypedArrayFor[D]; readonly BYTES_PER_ELEMENT: number } } = {
  F64: Float64Array,
  F32: Float32Array,
  I32: Int32Array,
  I16: Int16Array,
  I8: Int8Array,
  U32: Uint32Array,
  U16: Uint16Array,
  U8: Uint8Array,
};

/** The dtypes this module reads and writes. */
export const SAFETENSORS_DTYPES = Object.keys(ARRAY) as SafetensorsDtype[];

/** The reference implementation refuses headers over 100 MB; so do we. */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';

if (endianness() !== 'LE') throw new Error('strata: safetensors files are little-endian; this platform is big-endian');

/** A safetensors file that cannot be read; the message names the file and the problem. */
export class SafetensorsError extends UserError {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`cannot read '${path}': ${problem}`);
    this.name = 'SafetensorsError';
  }
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Serializes tensors (in the map's order) and string metadata.
 * @throws RangeError when a tensor's value count does not match its shape or a name is `__metadata__`
 * @example encodeSafetensors(new Map([['w', { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) }]]))
 */
export function encodeSafetensors(tensors: ReadonlyMap<string, SafeTensor>, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  // A null-prototype object, so a tensor named `__proto__` is an ordinary key.
  const header: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (Object.keys(metadata).length > 0) header[METADATA_KEY] = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === METADATA_KEY) throw new RangeError(`encodeSafetensors: '${METADATA_KEY}' is reserved and cannot name a tensor`);
    const shape = [...t.shape];
    if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new RangeError(`encodeSafetensors: tensor '${name}' has an invalid shape [${shape.join(', ')}]`);
    if (t.data.length !== elementCount(shape)) {
      throw new RangeError(`encodeSafetensors: tensor '${name}' has shape [${shape.join(', ')}] (${elementCount(shape)} values) but ${t.data.length} values`);
    }
    header[name] = { dtype: t.dtype, shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const t of tensors.values()) {
    out.set(bytesOf(t.data), at);
    at += t.data.byteLength;
  }
  return out;
}

interface Entry {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Checks one header entry against the data section's length. */
function parseEntry(path: string, name: string, value: unknown, dataLength: number): Entry {
  const fail = (problem: string) => new SafetensorsError(path, `tensor '${name}' ${problem}`);
  if (!isObject(value)) throw fail('is not a JSON object in the header');
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string' || !(dtype in ARRAY)) throw fail(`has dtype ${JSON.stringify(dtype)}; supported: ${SAFETENSORS_DTYPES.join(', ')}`);
  if (!Array.isArray(shape) || !shape.every(isCount)) throw fail(`has shape ${JSON.stringify(shape)}, not a list of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) throw fail(`has data_offsets ${JSON.stringify(offsets)}, not [begin, end]`);
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > dataLength) throw fail(`has data_offsets [${begin}, ${end}] outside the ${dataLength}-byte data section (truncated file?)`);
  const needed = elementCount(shape) * ARRAY[dtype as SafetensorsDtype].BYTES_PER_ELEMENT;
  if (end - begin !== needed) throw fail(`has ${end - begin} bytes but shape [${shape.join(', ')}] of ${dtype} needs ${needed}`);
  return { name, dtype: dtype as SafetensorsDtype, shape, begin, end };
}

function parseMetadata(path: string, value: unknown): Record<string, string> {
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new SafetensorsError(path, `'${METADATA_KEY}' must be an object of strings`);
  }
  return Object.fromEntries(Object.entries(value)) as Record<string, string>;
}

/** Reads and validates the header: entries sorted by offset, contiguous from 0 to the end of the file. */
function parseHeader(path: string, bytes: Uint8Array): { entries: Entry[]; metadata: Record<string, string>; dataStart: number } {
  if (bytes.length < 8) throw new SafetensorsError(path, `the file has ${bytes.length} bytes, too few for the 8-byte header length`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) throw new SafetensorsError(path, `the header length ${headerLength} is over the ${MAX_HEADER_BYTES}-byte limit`);
  if (headerLength > BigInt(bytes.length - 8)) {
    throw new SafetensorsError(path, `the header length ${headerLength} runs past the end of the ${bytes.length}-byte file (truncated file?)`);
  }
  const dataStart = 8 + Number(headerLength);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart));
  } catch {
    throw new SafetensorsError(path, 'the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) throw new SafetensorsError(path, "the header does not start with '{'");
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (cause) {
    throw new SafetensorsError(path, `the header is not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`);
  }
  if (!isObject(header)) throw new SafetensorsError(path, 'the header is not a JSON object');
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === METADATA_KEY) metadata = parseMetadata(path, value);
    else entries.push(parseEntry(path, name, value, dataLength));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of entries) {
    if (e.begin !== expected) {
      const what = e.begin < expected ? 'overlaps the tensor before it' : `leaves a gap of ${e.begin - expected} bytes before it`;
      throw new SafetensorsError(path, `tensor '${e.name}' at data_offsets [${e.begin}, ${e.end}] ${what}`);
    }
    expected = e.end;
  }
  if (expected !== dataLength) throw new SafetensorsError(path, `the data section has ${dataLength} bytes but the tensors cover ${expected}`);
  return { entries, metadata, dataStart };
}

/**
 * Parses and validates a safetensors file's bytes.
 * @param path the file name used in error messages
 * @throws SafetensorsError naming the file and the problem
 */
export function decodeSafetensors(bytes: Uint8Array, path: string): SafetensorsContents {
  const { entries, metadata, dataStart } = parseHeader(path, bytes);
  const tensors = new Map<string, SafeTensor>();
  for (const e of entries) {
    // A copy into a fresh, aligned ArrayBuffer that the typed array owns (Buffer#slice would share the pool).
    const buffer = new Uint8Array(bytes.subarray(dataStart + e.begin, dataStart + e.end)).buffer;
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: new ARRAY[e.dtype](buffer) } as SafeTensor);
  }
  return { tensors, metadata };
}

/**
 * Writes a safetensors file atomically (temporary file, fsync, rename).
 * @throws UserError naming the file when it cannot be written
 */
export async function writeSafetensors(path: string, tensors: ReadonlyMap<string, SafeTensor>, metadata: Readonly<Record<string, string>> = {}): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/**
 * Reads and validates a safetensors file.
 * @throws SafetensorsError when it is missing, unreadable or malformed
 */
export async function readSafetensors(path: string): Promise<SafetensorsContents> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new SafetensorsError(path, code === 'ENOENT' ? 'no such file' : cause instanceof Error ? cause.message : String(cause));
  }
  return decodeSafetensors(bytes, path);
}

/**
 * The idx format of the MNIST files (LeCun et al. 1998), optionally gzipped:
 * a 4-byte big-endian magic `0x0000 TT NN` (TT = element type, 0x08 for
 * unsigned bytes; NN = number of dimensions), NN big-endian uint32 sizes,
 * then the values in C order. MNIST images are idx3 (magic 0x00000803,
 * dims [n, 28, 28]), labels idx1 (magic 0x00000801, dims [n]).
 * Only unsigned-byte data (TT = 0x08) is supported: that is all MNIST uses.
 */
import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzipSync } from 'node:zlib';
import { fileError } from './data-error.js';
import { readWholeFile, sizeProblem, verifySha256 } from './file-io.js';
import { shapeSize } from './typed-view.js';

const gunzip = promisify(gunzipCallback);

/** An idx array: its dims and uint8 values in C order. */
export interface IdxArray {
  readonly path: string;
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

export interface ReadIdxOptions {
  /** Number of dimensions required (1 for labels, 3 for images). */
  readonly rank?: number;
  /** Required dims; `null` entries match any size. */
  readonly dims?: readonly (number | null)[];
  /** Expected sha256 (hex) of the file as stored (the .gz bytes for a .gz file). */
  readonly sha256?: string;
}

/** The magic number of a uint8 idx array of the given rank, e.g. 0x00000803 for rank 3. */
export function idxMagic(rank: number): number {
  return 0x00000800 + rank;
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

/**
 * Decodes idx bytes (already decompressed); `path` names the file in errors.
 *
 * @throws DataError "bad magic number 0x... (expected 0x00000803 ...)", "truncated file ..."
 */
export function decodeIdx(path: string, bytes: Uint8Array, options: ReadIdxOptions = {}): IdxArray {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buf.length < 4) throw fileError(path, sizeProblem(4, buf.length, 'bytes of idx header'));
  const magic = buf.readUInt32BE(0);
  const rank = buf[3]!;
  const wanted = options.rank ?? options.dims?.length;
  const expected = wanted === undefined ? 'expected 0x000008NN: unsigned bytes, NN dimensions' : `expected ${hex(idxMagic(wanted))} for idx${wanted} unsigned bytes`;
  if (buf[0] !== 0 || buf[1] !== 0 || buf[2] !== 0x08 || rank === 0 || (wanted !== undefined && rank !== wanted)) {
    throw fileError(path, `bad magic number ${hex(magic)} (${expected})`);
  }
  const headerBytes = 4 + 4 * rank;
  if (buf.length < headerBytes) throw fileError(path, sizeProblem(headerBytes, buf.length, 'bytes of idx header'));
  const dims = Array.from({ length: rank }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  const want = options.dims;
  if (want !== undefined && want.some((d, i) => d !== null && d !== dims[i])) {
    throw fileError(path, `wrong shape (expected [${want.map((d) => (d === null ? '*' : String(d))).join(', ')}], found [${dims.join(', ')}])`);
  }
  const need = headerBytes + shapeSize(dims);
  if (buf.length !== need) throw fileError(path, `${sizeProblem(need, buf.length)} for idx dims [${dims.join(', ')}]`);
  return { path, dims, data: new Uint8Array(buf.buffer, buf.byteOffset + headerBytes, need - headerBytes) };
}

/**
 * Reads an idx file, gunzipping it when it starts with the gzip magic 1f 8b.
 *
 * @example const images = await readIdx('mnist/train-images-idx3-ubyte.gz', { dims: [60000, 28, 28] });
 */
export async function readIdx(path: string, options: ReadIdxOptions = {}): Promise<IdxArray> {
  const stored = await readWholeFile(path);
  if (options.sha256 !== undefined) verifySha256(path, stored, options.sha256);
  let bytes: Uint8Array = stored;
  if (stored.length >= 2 && stored[0] === 0x1f && stored[1] === 0x8b) {
    try {
      bytes = await gunzip(stored);
    } catch (error) {
      throw fileError(path, `corrupt or truncated gzip data (${(error as Error).message})`, error);
    }
  }
  return decodeIdx(path, bytes, options);
}

/** Encodes uint8 values as idx bytes with the given dims; gzipped when `gzip` is true. */
export function encodeIdx(data: Uint8Array, dims: readonly number[], gzip = false): Buffer {
  if (shapeSize(dims) !== data.length) throw new RangeError(`encodeIdx: ${data.length} values do not fill dims [${dims.join(', ')}]`);
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(idxMagic(dims.length), 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  const raw = Buffer.concat([head, data]);
  return gzip ? gzipSync(raw) : raw;
}

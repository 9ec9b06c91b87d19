/**
 * Typed views of raw little-endian bytes. A view when the buffer is aligned
 * and the host is little-endian (every platform Node ships on), else a copy.
 */
import { endianness } from 'node:os';

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** `bytes` (length a multiple of 4) as little-endian float32 values. */
export function float32FromLE(bytes: Uint8Array): Float32Array {
  const n = bytes.length >>> 2;
  if (LITTLE_ENDIAN_HOST && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, n);
  const out = new Float32Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

/** `bytes` as uint8 values (a view). */
export function uint8View(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Product of a shape's dimensions (1 for `[]`). */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

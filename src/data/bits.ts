/**
 * Packed bit arrays, most significant bit first (numpy
 * `packbits(bitorder='big')`): item n of `bitsPerItem` bits occupies
 * `ceil(bitsPerItem / 8)` bytes, and its bit p is
 * `(bytes[n * stride + (p >> 3)] >> (7 - (p & 7))) & 1`.
 * Binarized MNIST stores 784 bits in 98 bytes per image.
 */

/** Bytes per packed item: ceil(bitsPerItem / 8). */
export function packedStride(bitsPerItem: number): number {
  return Math.ceil(bitsPerItem / 8);
}

/**
 * Unpacks `count` items of `bitsPerItem` bits into 0/1 values.
 *
 * @param packed `count * ceil(bitsPerItem / 8)` bytes
 * @param out receives `count * bitsPerItem` values (default a new Uint8Array)
 * @returns `out`, row-major `[count, bitsPerItem]`
 * @example unpackBits(new Uint8Array([0b10100000]), 1, 3) // -> [1, 0, 1]
 */
export function unpackBits<T extends Uint8Array | Float32Array = Uint8Array>(packed: Uint8Array, count: number, bitsPerItem: number, out?: T): T {
  const stride = packedStride(bitsPerItem);
  if (packed.length < count * stride) throw new RangeError(`unpackBits: ${packed.length} bytes cannot hold ${count} items of ${stride} bytes`);
  const result = (out ?? new Uint8Array(count * bitsPerItem)) as T;
  if (result.length !== count * bitsPerItem) throw new RangeError(`unpackBits: output has ${result.length} slots, need ${count * bitsPerItem}`);
  for (let n = 0; n < count; n++) {
    const base = n * stride;
    const to = n * bitsPerItem;
    for (let p = 0; p < bitsPerItem; p++) result[to + p] = (packed[base + (p >> 3)]! >> (7 - (p & 7))) & 1;
  }
  return result;
}

/** Packs 0/1 values `[count, bitsPerItem]` MSB first (the inverse of `unpackBits`). */
export function packBits(bits: ArrayLike<number>, bitsPerItem: number): Uint8Array {
  const count = Math.floor(bits.length / bitsPerItem);
  const stride = packedStride(bitsPerItem);
  const out = new Uint8Array(count * stride);
  for (let n = 0; n < count; n++) {
    for (let p = 0; p < bitsPerItem; p++) {
      if (bits[n * bitsPerItem + p]) out[n * stride + (p >> 3)] |= 0x80 >> (p & 7);
    }
  }
  return out;
}

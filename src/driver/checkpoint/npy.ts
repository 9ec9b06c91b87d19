/**
 * Writing SIR samples as NumPy .npy files: version 1.0, '<f4', C order, the
 * data starting at a multiple of 64 bytes (numpy.lib.format, NEP 1). The
 * encoding and the reader are src/data/npy.ts's; this adds the shape check
 * and the atomic write.
 */
import { encodeNpy } from '../../data/npy.js';
import { writeFileAtomic } from '../../util/atomic-write.js';

/**
 * Writes a float32 array as a .npy file atomically (temporary file, fsync, rename).
 * @param data row-major values
 * @param shape e.g. `[batch, n, d]` for one latent's SIR samples; its product must equal `data.length`
 * @throws RangeError when the shape does not hold the data; UserError naming the file when it cannot be written
 * @example await writeNpy('out/z.npy', samples.get('z'), [batch, n, 4]);
 */
export async function writeNpy(path: string, data: Float32Array, shape: readonly number[]): Promise<void> {
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0) || shape.reduce((a, b) => a * b, 1) !== data.length) {
    throw new RangeError(`writeNpy: shape [${shape.join(', ')}] does not hold ${data.length} values`);
  }
  await writeFileAtomic(path, encodeNpy(data, shape));
}

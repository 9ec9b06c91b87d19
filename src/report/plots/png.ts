import { PNG } from 'pngjs';

/**
 * Encodes an RGBA pixel buffer as a PNG file.
 *
 * @param rgba `[height * width * 4]` bytes, row-major, 255 = opaque
 * @returns the PNG file's bytes
 */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`Argument 'rgba' passed to 'encodePng' has length ${rgba.length}, expected width * height * 4 = ${width * height * 4}`);
  }
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return PNG.sync.write(png);
}

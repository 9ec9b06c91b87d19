/**
 * A stack of equally sized grayscale images: the input of the patch pipeline.
 */
import { DataError } from './data-error.js';

/** `count` images of `height x width` pixels, row-major: pixel (k, r, c) is `values[(k * height + r) * width + c]`. */
export interface ImageStack {
  readonly values: Float32Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /**
   * Per image, the number of usable rows from the top (rows at or below it are
   * e.g. a scanner border and are never whitened or cropped); default `height`.
   */
  readonly validRows?: readonly number[];
}

/**
 * Builds a stack from `[count, height, width]` values (uint8 values are converted to float).
 *
 * @example const stack = imageStack(raw.data, raw.shape as [number, number, number]);
 */
export function imageStack(values: Float32Array | Uint8Array, shape: readonly number[], validRows?: readonly number[]): ImageStack {
  if (shape.length !== 3) throw new DataError(`an image stack needs shape [count, height, width], got [${shape.join(', ')}]`);
  const [count, height, width] = shape as [number, number, number];
  if (values.length !== count * height * width) throw new DataError(`${values.length} values do not fill ${count} images of ${height} x ${width}`);
  if (validRows !== undefined) {
    if (validRows.length !== count) throw new DataError(`valid_rows has ${validRows.length} entries for ${count} images`);
    const bad = validRows.findIndex((v) => !Number.isInteger(v) || v < 1 || v > height);
    if (bad >= 0) throw new DataError(`valid_rows[${bad}] = ${validRows[bad]} is not between 1 and the image height ${height}`);
  }
  const floats = values instanceof Float32Array ? values : Float32Array.from(values);
  return { values: floats, count, height, width, ...(validRows === undefined ? {} : { validRows: [...validRows] }) };
}

/** Usable rows of image k. */
export function validRowsOf(stack: ImageStack, k: number): number {
  return stack.validRows?.[k] ?? stack.height;
}

/** The images `indices` of a stack, copied (with their valid rows). */
export function selectImages(stack: ImageStack, indices: readonly number[]): ImageStack {
  const size = stack.height * stack.width;
  const values = new Float32Array(indices.length * size);
  indices.forEach((k, i) => values.set(stack.values.subarray(k * size, (k + 1) * size), i * size));
  const validRows = stack.validRows === undefined ? undefined : indices.map((k) => stack.validRows![k]!);
  return { values, count: indices.length, height: stack.height, width: stack.width, ...(validRows === undefined ? {} : { validRows }) };
}

/**
 * Output shapes of the layers of a `cnn(...)` network, as the checker works
 * them out before anything runs. Images are channels last, [height, width,
 * channels], the layout of tfjs's conv2d (NHWC). The rules are TensorFlow's:
 *
 * | layer | `same` padding | `valid` padding |
 * | --- | --- | --- |
 * | conv2d, pooling | ceil(in / stride) | floor((in - kernel) / stride) + 1 |
 * | deconv2d | in · stride | (in - 1) · stride + kernel |
 */
import type { Padding, Shape } from '../../ir/ir.js';

/**
 * The output size of one spatial axis of a convolution or a pooling window.
 * @returns a size below 1 when the window does not fit (`valid` padding, kernel > in)
 * @example convOutputSize(28, 3, 2, 'same') // 14
 */
export function convOutputSize(input: number, kernel: number, stride: number, padding: Padding): number {
  return padding === 'same' ? Math.ceil(input / stride) : Math.floor((input - kernel) / stride) + 1;
}

/**
 * The output size of one spatial axis of a transposed convolution, the
 * inverse of `convOutputSize` (a conv2d with the same settings maps it back).
 * @example deconvOutputSize(14, 3, 2, 'same') // 28
 */
export function deconvOutputSize(input: number, kernel: number, stride: number, padding: Padding): number {
  return padding === 'same' ? input * stride : (input - 1) * stride + kernel;
}

/** [h, w, c] after a conv2d with `filters` filters, or undefined when the kernel does not fit. */
export function conv2dShape(input: Shape, filters: number, kernel: number, stride: number, padding: Padding): Shape | undefined {
  const [h, w] = input as [number, number, number];
  const out = [convOutputSize(h, kernel, stride, padding), convOutputSize(w, kernel, stride, padding)];
  return out.every((d) => d >= 1) ? [...out, filters] : undefined;
}

/** [h, w, c] after a deconv2d with `filters` filters. */
export function deconv2dShape(input: Shape, filters: number, kernel: number, stride: number, padding: Padding): Shape {
  const [h, w] = input as [number, number, number];
  return [deconvOutputSize(h, kernel, stride, padding), deconvOutputSize(w, kernel, stride, padding), filters];
}

/** [h, w, c] after pooling (channels unchanged), or undefined when the window does not fit. */
export function pool2dShape(input: Shape, size: number, stride: number, padding: Padding): Shape | undefined {
  const [h, w, c] = input as [number, number, number];
  const out = [convOutputSize(h, size, stride, padding), convOutputSize(w, size, stride, padding)];
  return out.every((d) => d >= 1) ? [...out, c] : undefined;
}

/**
 * Conv2D and its gradients (Conv2DBackpropInput, which is also the
 * transposed convolution, and Conv2DBackpropFilter) as im2col + OpenBLAS
 * sgemm in the addon (native/src/conv.cc), for channels-last (NHWC) float32
 * images without dilation. Anything else falls back to the cpu kernels,
 * whose direct loops run at a fraction of sgemm's speed.
 */
import * as tf from '@tensorflow/tfjs';
import { sizeOf } from '../layout.js';
import { attrsOf, nativeFloat32, type NativeKernelArgs, type NativeKernel } from './kernel.js';

type ConvAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/**
 * The addon's dims `[n, h, w, c, kh, kw, f, strideH, strideW, padTop, padLeft, outH, outW]`,
 * or undefined for a convolution it does not compute.
 */
function convDims(xShape: readonly number[], filterShape: readonly number[], attrs: ConvAttrs): Int32Array | undefined {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') return undefined;
  const dilations = attrs.dilations ?? 1;
  if (Array.isArray(dilations) ? dilations.some((d) => d !== 1) : dilations !== 1) return undefined;
  if (xShape.length !== 4 || filterShape.length !== 4 || xShape[3] !== filterShape[2]) return undefined;
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number],
    attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast',
  );
  const { top, left } = info.padInfo;
  if (top < 0 || left < 0 || top >= info.filterHeight || left >= info.filterWidth || info.outHeight < 1 || info.outWidth < 1) return undefined;
  return Int32Array.of(info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.filterHeight, info.filterWidth, info.outChannels,
    info.strideHeight, info.strideWidth, top, left, info.outHeight, info.outWidth);
}

function outputShape(dims: Int32Array, of: 'x' | 'y' | 'w'): number[] {
  const [n, h, w, c, kh, kw, f, , , , , oh, ow] = dims as unknown as number[];
  return of === 'x' ? [n!, h!, w!, c!] : of === 'y' ? [n!, oh!, ow!, f!] : [kh!, kw!, c!, f!];
}

function run(args: NativeKernelArgs, kernelName: string, a: tf.TensorInfo, b: tf.TensorInfo, dims: Int32Array | undefined, of: 'x' | 'y' | 'w',
  call: (a: Float32Array, b: Float32Array, out: Float32Array, dims: Int32Array) => void): tf.TensorInfo | undefined {
  if (dims === undefined || typeof args.backend.addon.conv2d !== 'function') return undefined; // an addon built before conv.cc
  const shape = outputShape(dims, of);
  const backend = args.backend;
  const out = backend.pool.alloc(sizeOf(shape));
  call(backend.float32Values(a, kernelName), backend.float32Values(b, kernelName), out, dims);
  return backend.output(shape, out);
}

export const conv2dKernel: NativeKernel = {
  kernelName: tf.Conv2D,
  run: (args) => {
    const { x, filter } = args.inputs;
    if (!nativeFloat32(x, filter)) return undefined;
    const dims = convDims(x!.shape, filter!.shape, attrsOf<ConvAttrs>(args));
    return run(args, tf.Conv2D, x!, filter!, dims, 'y', (a, b, out, d) => args.backend.addon.conv2d(a, b, out, d));
  },
};

export const conv2dBackpropInputKernel: NativeKernel = {
  kernelName: tf.Conv2DBackpropInput,
  run: (args) => {
    const { dy, filter } = args.inputs;
    if (!nativeFloat32(dy, filter)) return undefined;
    const attrs = attrsOf<ConvAttrs & { inputShape: [number, number, number, number] }>(args);
    const dims = convDims(attrs.inputShape, filter!.shape, attrs);
    if (dims === undefined || outputShape(dims, 'y').some((d, i) => d !== dy!.shape[i])) return undefined;
    return run(args, tf.Conv2DBackpropInput, dy!, filter!, dims, 'x', (a, b, out, d) => args.backend.addon.conv2dBackpropInput(a, b, out, d));
  },
};

export const conv2dBackpropFilterKernel: NativeKernel = {
  kernelName: tf.Conv2DBackpropFilter,
  run: (args) => {
    const { x, dy } = args.inputs;
    if (!nativeFloat32(x, dy)) return undefined;
    const attrs = attrsOf<ConvAttrs & { filterShape: [number, number, number, number] }>(args);
    const dims = convDims(x!.shape, attrs.filterShape, attrs);
    if (dims === undefined || outputShape(dims, 'y').some((d, i) => d !== dy!.shape[i])) return undefined;
    return run(args, tf.Conv2DBackpropFilter, x!, dy!, dims, 'w', (a, b, out, d) => args.backend.addon.conv2dBackpropFilter(a, b, out, d));
  },
};

export const convKernels: readonly NativeKernel[] = [conv2dKernel, conv2dBackpropInputKernel, conv2dBackpropFilterKernel];

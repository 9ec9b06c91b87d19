/**
 * A Conv2DBackpropFilter kernel for the wasm backend, which has none (tfjs
 * 4.22: "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"),
 * so that convolutional networks train there. It is built from wasm's own
 * Transpose, Conv2D and Slice kernels: the filter gradient
 *
 *   dw[ky, kx, c, f] = Σ_{n, oy, ox} x[n, oy·s + ky - pt, ox·s + kx - pl, c] · dy[n, oy, ox, f]
 *
 * is a convolution of x with dy as the filter once the batch axis plays the
 * channels: x as [c, h, w, n], dy as [oh, ow, n, f], stride 1, dilation s
 * (the forward stride), the forward padding, giving [c, kh, kw, f] (sliced
 * to kh x kw where the padding leaves a margin), transposed to [kh, kw, c, f].
 */
import * as tf from '@tensorflow/tfjs';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap };

function run(kernelName: string, backend: tf.KernelBackend, inputs: tf.NamedTensorInfoMap, attrs: object): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (kernel === undefined) throw new Error(`wasm has no ${kernelName} kernel, which Conv2DBackpropFilter needs`);
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
}

function conv2dBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const { inputs, backend } = args;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (tf.backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast') throw new Error("wasm Conv2DBackpropFilter supports dataFormat 'NHWC' only");
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { top, left } = info.padInfo;
  const [kh, kw, sh, sw] = [info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth];
  // Padding after the image so that the dilated "filter" dy fits exactly kh x kw times (or more: sliced below).
  const bottom = Math.max(0, (info.outHeight - 1) * sh + kh - info.inHeight - top);
  const right = Math.max(0, (info.outWidth - 1) * sw + kw - info.inWidth - left);
  const temporaries: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo) => (temporaries.push(t), t);
  try {
    const images = keep(run(tf.Transpose, backend, { x }, { perm: [3, 1, 2, 0] }));
    const filter = keep(run(tf.Transpose, backend, { x: dy }, { perm: [1, 2, 0, 3] }));
    let grad = keep(run(tf.Conv2D, backend, { x: images, filter }, {
      strides: [1, 1], pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dataFormat: 'NHWC', dilations: [sh, sw],
    }));
    if (grad.shape[1] !== kh || grad.shape[2] !== kw) grad = keep(run(tf.Slice, backend, { x: grad }, { begin: [0, 0, 0, 0], size: [info.inChannels, kh, kw, info.outChannels] }));
    return run(tf.Transpose, backend, { x: grad }, { perm: [1, 2, 0, 3] });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

let registered = false;

/** Registers the kernel for 'wasm' (idempotent; a no-op where tfjs already has one). */
export function registerWasmConvFilterKernel(): void {
  if (registered || tf.getKernel(tf.Conv2DBackpropFilter, 'wasm') !== undefined) return;
  tf.registerKernel({ kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2dBackpropFilter as unknown as tf.KernelConfig['kernelFunc'] });
  registered = true;
}

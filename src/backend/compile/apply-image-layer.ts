/**
 * One image layer of a cnn on a batch of channels-last images `[n, h, w, c]`
 * (tfjs's NHWC layout): convolution, transposed convolution, pooling, or a
 * reshape (`reshape(...)`, `flatten`).
 */
import * as tf from '@tensorflow/tfjs';
import type { IrConvLayer, IrPoolLayer, IrReshapeLayer } from '../../ir/ir.js';

/**
 * @param x `[n, ...layer.inputShape]`
 * @returns `[n, ...layer.outputShape]`
 * @example applyImageLayer(conv, images, variables) // [n, 28, 28, 1] -> [n, 14, 14, 32]
 */
export function applyImageLayer(layer: IrConvLayer | IrPoolLayer | IrReshapeLayer, x: tf.Tensor, variables: ReadonlyMap<string, tf.Tensor>): tf.Tensor {
  const n = x.shape[0]!;
  switch (layer.kind) {
    case 'reshape':
      return tf.reshape(x, [n, ...layer.outputShape]);
    case 'maxpool2d':
      return tf.maxPool(x as tf.Tensor4D, layer.size, layer.stride, layer.padding);
    case 'avgpool2d':
      return tf.avgPool(x as tf.Tensor4D, layer.size, layer.stride, layer.padding);
    case 'conv2d': {
      const y = tf.conv2d(x as tf.Tensor4D, variables.get(layer.weight) as tf.Tensor4D, layer.stride, layer.padding);
      return tf.add(y, variables.get(layer.bias)!);
    }
    case 'deconv2d': {
      const [h, w, c] = layer.outputShape as [number, number, number];
      const y = tf.conv2dTranspose(x as tf.Tensor4D, variables.get(layer.weight) as tf.Tensor4D, [n, h, w, c], layer.stride, layer.padding);
      return tf.add(y, variables.get(layer.bias)!);
    }
  }
}

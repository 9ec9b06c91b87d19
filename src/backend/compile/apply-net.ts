/**
 * Runs a compiled network: affine layers with the activation between them
 * (not after the last), on inputs `[batch, in]` or `[k, batch, in]`.
 */
import * as tf from '@tensorflow/tfjs';
import type { IrNet } from '../../ir/ir.js';
import { applyElementwise } from '../ops/elementwise.js';
import { linearForward } from '../ops/linear.js';

/**
 * y = L_n(σ(... σ(L_1(x)))) with L_i(h) = h·W_i + b_i.
 * @param input `[..., in]`
 * @returns `[..., out]`
 */
export function applyNet(net: IrNet, input: tf.Tensor, variables: ReadonlyMap<string, tf.Tensor>): tf.Tensor {
  const first = net.layers[0]!;
  return applyLayersAfterFirst(net, linearForward(input, variables.get(first.weight)!, variables.get(first.bias)!), variables);
}

/**
 * The same network applied to the concatenation of `parts` along the last
 * axis, without building it: the first layer is split by rows,
 *   [a, b]·W + c = a·W[0:|a|] + b·W[|a|:] + c,
 * so a part that lacks the sample axis (`[batch, d]`) is multiplied once and
 * broadcast, instead of being tiled k times and multiplied k times.
 */
export function applyNetToParts(net: IrNet, parts: readonly tf.Tensor[], variables: ReadonlyMap<string, tf.Tensor>): tf.Tensor {
  const first = net.layers[0]!;
  const weight = variables.get(first.weight)!;
  let row = 0;
  let sum: tf.Tensor | undefined;
  for (const part of parts) {
    const width = part.shape[part.rank - 1]!;
    const slice = tf.slice(weight, [row, 0], [width, first.outputs]);
    const product = tf.reshape(tf.matMul(tf.reshape(part, [-1, width]), slice), [...part.shape.slice(0, -1), first.outputs]);
    sum = sum ? tf.add(sum, product) : product;
    row += width;
  }
  return applyLayersAfterFirst(net, tf.add(sum!, variables.get(first.bias)!), variables);
}

function applyLayersAfterFirst(net: IrNet, firstOutput: tf.Tensor, variables: ReadonlyMap<string, tf.Tensor>): tf.Tensor {
  let h = firstOutput;
  net.layers.slice(1).forEach((layer) => {
    h = linearForward(applyElementwise(net.activation, h), variables.get(layer.weight)!, variables.get(layer.bias)!);
  });
  return h;
}

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
export function applyNet(net: IrNet, input: tf.Tensor, variables: ReadonlyMap<string, tf.Variable>): tf.Tensor {
  let h = input;
  net.layers.forEach((layer, i) => {
    h = linearForward(h, variables.get(layer.weight)!, variables.get(layer.bias)!);
    if (i < net.layers.length - 1) h = applyElementwise(net.activation, h);
  });
  return h;
}

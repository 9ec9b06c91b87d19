/**
 * Runs a compiled network: its layers in order, with the activation after
 * every layer with weights but the last (for an mlp: between the affine
 * layers), on inputs `[batch, ...in]` or `[k, batch, ...in]`.
 */
import * as tf from '@tensorflow/tfjs';
import { isWeightedLayer, type IrNet, type Shape } from '../../ir/ir.js';
import { applyElementwise } from '../ops/elementwise.js';
import { linearForward } from '../ops/linear.js';
import { applyImageLayer } from './apply-image-layer.js';

/**
 * y = L_n(σ(... σ(L_1(x)))) over the network's layers.
 * @param input `[..., ...net.inputShape]`, e.g. `[batch, 28, 28, 1]` or `[k, batch, 50]`
 * @returns `[..., ...net.outputShape]`, the same leading axes
 */
export function applyNet(net: IrNet, input: tf.Tensor, variables: ReadonlyMap<string, tf.Tensor>): tf.Tensor {
  return applyLayersFrom(net, 0, input, variables);
}

/** True when `applyNetToParts` can run `net`: its first layer is dense (linear, mlp, or a cnn on a vector). */
export function appliesToParts(net: IrNet): boolean {
  return net.layers[0]?.kind === 'dense';
}

/**
 * The same network applied to the concatenation of `parts` along the last
 * axis, without building it: the first (dense) layer is split by rows,
 *   [a, b]·W + c = a·W[0:|a|] + b·W[|a|:] + c,
 * so a part that lacks the sample axis (`[batch, d]`) is multiplied once and
 * broadcast, instead of being tiled k times and multiplied k times.
 */
export function applyNetToParts(net: IrNet, parts: readonly tf.Tensor[], variables: ReadonlyMap<string, tf.Tensor>): tf.Tensor {
  const first = net.layers[0]!;
  if (first.kind !== 'dense') throw new Error(`internal: applyNetToParts needs a dense first layer, but '${net.name}' starts with ${first.kind}`);
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
  const h = tf.add(sum!, variables.get(first.bias)!);
  return applyLayersFrom(net, 1, lastWeighted(net) === 0 ? h : applyElementwise(net.activation, h), variables);
}

/** Index of the last layer with weights (no activation after it), -1 when there is none. */
function lastWeighted(net: IrNet): number {
  for (let i = net.layers.length - 1; i >= 0; i--) if (isWeightedLayer(net.layers[i]!)) return i;
  return -1;
}

/** The event shape that flows into layer `index`. */
function shapeBefore(net: IrNet, index: number): Shape {
  if (index === 0) return net.inputShape;
  const previous = net.layers[index - 1]!;
  return previous.kind === 'dense' ? [previous.outputs] : previous.outputShape;
}

/**
 * Runs layers `from, ...` on x `[...lead, ...shapeBefore(from)]`. Dense layers
 * take any leading axes; image layers need one batch axis, so when there are
 * any, the leading axes (k and batch) are flattened into it and restored at
 * the end.
 */
function applyLayersFrom(net: IrNet, from: number, x: tf.Tensor, variables: ReadonlyMap<string, tf.Tensor>): tf.Tensor {
  const layers = net.layers.slice(from);
  const last = lastWeighted(net);
  const inShape = shapeBefore(net, from);
  const lead = x.shape.slice(0, x.rank - inShape.length);
  const images = layers.some((l) => l.kind !== 'dense');
  let h = images && lead.length !== 1 ? tf.reshape(x, [-1, ...inShape]) : x;
  layers.forEach((layer, i) => {
    h = layer.kind === 'dense'
      ? linearForward(h, variables.get(layer.weight)!, variables.get(layer.bias)!)
      : applyImageLayer(layer, h, variables);
    if (isWeightedLayer(layer) && from + i !== last) h = applyElementwise(net.activation, h);
  });
  return images && lead.length !== 1 ? tf.reshape(h, [...lead, ...net.outputShape]) : h;
}

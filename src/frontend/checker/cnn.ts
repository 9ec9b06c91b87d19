/**
 * `net N = cnn(input -> layer -> ... -> layer, activation)`: a network of
 * convolutional, pooling, reshaping and dense layers on channels-last images.
 * The checker follows the shape through every layer and reports the first
 * layer that does not fit its input (PPL2041), where it is written.
 *
 * | stage | input | output |
 * | --- | --- | --- |
 * | `[h, w, c]` or `n` (first only) | | the network's input shape |
 * | `conv2d(filters, kernel, stride: 1, padding: same)` | [h, w, c] | [h', w', filters] |
 * | `deconv2d(filters, kernel, stride: 1, padding: same)` | [h, w, c] | [h', w', filters] |
 * | `maxpool2d(size, stride: size, padding: valid)`, `avgpool2d(...)` | [h, w, c] | [h', w', c] |
 * | `reshape(d1, ..., dn)` | any, d1·...·dn values | [d1, ..., dn] |
 * | `flatten` | any | [h·w·c] |
 * | `n` (a size) | [m] | [n], dense |
 *
 * The activation follows every layer with weights (conv2d, deconv2d, dense)
 * except the last one, as in `mlp`. Weights of the i-th layer with weights are
 * `N.i.weight` and `N.i.bias`.
 */
import type { Argument, CallExpr, Expr, NetDecl } from '../ast.js';
import { ACTIVATIONS, shapeSize, type IrNet, type IrNetLayer, type IrParameter, type Owner, type Padding, type Shape } from '../../ir/ir.js';
import { suggestName } from '../../util/suggest.js';
import { formatExpr } from '../format-expr.js';
import { readActivation } from './activation.js';
import { evaluateSize, type ConstantScope } from './constants.js';
import { conv2dShape, deconv2dShape, pool2dShape } from './layer-shapes.js';
import { markConstantsUsed } from './mark-used.js';
import type { Reporter } from './reporter.js';
import { formatShape } from './shapes.js';

/** Layers with their parameters in positional order and how many are required. */
const LAYER_SIGNATURES = {
  conv2d: { params: ['filters', 'kernel', 'stride', 'padding'], required: 2 },
  deconv2d: { params: ['filters', 'kernel', 'stride', 'padding'], required: 2 },
  maxpool2d: { params: ['size', 'stride', 'padding'], required: 1 },
  avgpool2d: { params: ['size', 'stride', 'padding'], required: 1 },
} as const;

type WindowLayer = keyof typeof LAYER_SIGNATURES;

/** Every layer name, for messages and suggestions. */
export const CNN_LAYERS: readonly string[] = [...Object.keys(LAYER_SIGNATURES), 'reshape', 'flatten'];

const PADDINGS: readonly Padding[] = ['same', 'valid'];

/** Where the layers of one network are checked. */
interface NetContext {
  readonly name: string;
  readonly scope: ConstantScope;
  readonly reporter: Reporter;
  readonly owner: Owner;
  readonly parameters: IrParameter[];
  /** Index of the next layer with weights. */
  weighted: number;
}

/** Checks a `cnn(...)` declaration and lays out its layers and parameters. */
export function checkCnn(decl: NetDecl, owner: Owner, scope: ConstantScope, reporter: Reporter): { net: IrNet; parameters: IrParameter[] } | undefined {
  const activation = readActivation(decl.options, 'cnn', reporter);
  const input = decl.input
    ? readShape(decl.input.dims, scope, reporter)
    : decl.sizes[0] && evaluateSize(decl.sizes[0], scope, reporter, 'a layer size');
  const stages = decl.input ? decl.sizes : decl.sizes.slice(1);
  if (input === undefined || activation === undefined) {
    markConstantsUsed(stages, scope);
    return undefined;
  }
  if (stages.length === 0) {
    reporter.error('PPL2018', "'cnn' needs at least one layer after its input", decl.span,
      'write cnn([height, width, channels] -> conv2d(filters, kernel) -> ... , activation)');
    return undefined;
  }
  const ctx: NetContext = { name: decl.name.name, scope, reporter, owner, parameters: [], weighted: 0 };
  const layers: IrNetLayer[] = [];
  let shape: Shape = typeof input === 'number' ? [input] : input;
  for (const [i, stage] of stages.entries()) {
    const layer = checkLayer(stage, shape, ctx);
    if (layer === undefined) {
      markConstantsUsed(stages.slice(i + 1), scope);
      return undefined;
    }
    layers.push(layer);
    shape = layer.kind === 'dense' ? [layer.outputs] : layer.outputShape;
  }
  const inputShape: Shape = typeof input === 'number' ? [input] : input;
  return { net: { name: decl.name.name, layers, activation, owner, inputShape, outputShape: shape }, parameters: ctx.parameters };
}

function readShape(dims: readonly Expr[], scope: ConstantScope, reporter: Reporter): Shape | undefined {
  const sizes = dims.map((d) => evaluateSize(d, scope, reporter, 'a dimension'));
  return sizes.some((s) => s === undefined) ? undefined : (sizes as number[]);
}

/** One stage of the chain, given the shape that flows into it; undefined after reporting an error. */
function checkLayer(stage: Expr, input: Shape, ctx: NetContext): IrNetLayer | undefined {
  if (stage.kind === 'Name' && ctx.scope.lookup(stage.name.name) === undefined) {
    const word = stage.name.name;
    if (word === 'flatten') return { kind: 'reshape', inputShape: input, outputShape: [shapeSize(input)] };
    if ((ACTIVATIONS as readonly string[]).includes(word)) {
      ctx.reporter.error('PPL2018', `'${word}' is an activation, not a layer`, stage.span,
        `give it once, after the layers: cnn(... -> 10, ${word}); it follows every layer with weights but the last`);
      return undefined;
    }
    const suggestion = suggestName(word, CNN_LAYERS);
    if (suggestion !== undefined) {
      ctx.reporter.error('PPL2018', `unknown layer '${word}'`, stage.span, `did you mean '${suggestion}'?`);
      return undefined;
    }
  }
  if (stage.kind === 'Call') return checkCallLayer(stage, input, ctx);
  const units = evaluateSize(stage, ctx.scope, ctx.reporter, 'a layer size');
  if (units === undefined) return undefined;
  if (input.length !== 1) {
    ctx.reporter.error('PPL2041', `a dense layer of ${units} units needs a vector input, but gets ${formatShape(input)}`, stage.span,
      `add flatten before it: ... -> flatten -> ${formatExpr(stage)}`);
    return undefined;
  }
  const prefix = nextPrefix(ctx);
  const layer = { kind: 'dense' as const, inputs: input[0]!, outputs: units, weight: `${prefix}.weight`, bias: `${prefix}.bias` };
  addWeights(ctx, layer.weight, [layer.inputs, units], layer.bias, units);
  return layer;
}

function checkCallLayer(call: CallExpr, input: Shape, ctx: NetContext): IrNetLayer | undefined {
  const name = call.callee.name;
  if (name === 'reshape') return checkReshape(call, input, ctx);
  if (!Object.hasOwn(LAYER_SIGNATURES, name)) {
    const suggestion = suggestName(name, CNN_LAYERS) ?? (name === 'conv2d_transpose' || name === 'conv_transpose2d' ? 'deconv2d' : undefined);
    ctx.reporter.error('PPL2018', `unknown layer '${name}'`, call.callee.span,
      suggestion ? `did you mean '${suggestion}'?` : `layers are ${CNN_LAYERS.join(', ')}, and a size for a dense layer`);
    return undefined;
  }
  const layer = name as WindowLayer;
  const args = bindLayerArguments(call, layer, ctx);
  if (args === undefined) return undefined;
  const isPool = layer === 'maxpool2d' || layer === 'avgpool2d';
  const size = (key: string) => evaluateSize(args.get(key)!, ctx.scope, ctx.reporter, `the ${key} of ${layer}`);
  const first = size(isPool ? 'size' : 'filters');
  const kernel = isPool ? first : size('kernel');
  const stride = args.has('stride') ? size('stride') : isPool ? first : 1;
  const padding = args.has('padding') ? readPadding(args.get('padding')!, ctx) : isPool ? 'valid' : 'same';
  if (first === undefined || kernel === undefined || stride === undefined || padding === undefined) return undefined;
  if (input.length !== 3) {
    ctx.reporter.error('PPL2041', `${layer} needs an image input [height, width, channels], but gets ${formatShape(input)}`, call.span,
      input.length === 1
        ? 'start the network with the image shape, cnn([height, width, channels] -> ...), or add reshape(height, width, channels) before it'
        : 'images are channels last: reshape(height, width, channels) before it');
    return undefined;
  }
  const outputShape = isPool ? pool2dShape(input, kernel, stride, padding)
    : layer === 'conv2d' ? conv2dShape(input, first, kernel, stride, padding)
      : deconv2dShape(input, first, kernel, stride, padding);
  if (outputShape === undefined) {
    ctx.reporter.error('PPL2041', `${layer} with a ${kernel} x ${kernel} window and padding 'valid' does not fit an input of shape ${formatShape(input)}`, call.span,
      "use padding: same, a smaller window, or fewer layers that shrink the image before it");
    return undefined;
  }
  if (isPool) return { kind: layer, size: kernel, stride, padding, inputShape: input, outputShape };
  const prefix = nextPrefix(ctx);
  const channels = input[2]!;
  const weightShape = layer === 'conv2d' ? [kernel, kernel, channels, first] : [kernel, kernel, first, channels];
  addWeights(ctx, `${prefix}.weight`, weightShape, `${prefix}.bias`, first);
  return { kind: layer, filters: first, kernel, stride, padding, weight: `${prefix}.weight`, bias: `${prefix}.bias`, inputShape: input, outputShape };
}

function checkReshape(call: CallExpr, input: Shape, ctx: NetContext): IrNetLayer | undefined {
  const named = call.args.find((a) => a.name !== undefined);
  if (named || call.args.length === 0) {
    ctx.reporter.error('PPL2018', named ? "'reshape' takes its sizes by position" : "'reshape' needs the new shape", named?.span ?? call.span,
      'write reshape(height, width, channels)');
    return undefined;
  }
  const shape = readShape(call.args.map((a) => a.value), ctx.scope, ctx.reporter);
  if (shape === undefined) return undefined;
  if (shapeSize(shape) !== shapeSize(input)) {
    ctx.reporter.error('PPL2041', `reshape to ${formatShape(shape)} needs ${shapeSize(shape)} values, but its input ${formatShape(input)} has ${shapeSize(input)}`, call.span,
      'the sizes must multiply to the number of values that come in');
    return undefined;
  }
  return { kind: 'reshape', inputShape: input, outputShape: shape };
}

/** Matches a layer's arguments to its parameters, positional first, then by name. */
function bindLayerArguments(call: CallExpr, layer: WindowLayer, ctx: NetContext): Map<string, Expr> | undefined {
  const { params, required } = LAYER_SIGNATURES[layer];
  const signature = `${layer}(${params.map((p, i) => (i < required ? p : `${p}: ...`)).join(', ')})`;
  const bound = new Map<string, Expr>();
  let sawNamed = false;
  const fail = (message: string, arg: Argument, hint = `write ${signature}`) => {
    ctx.reporter.error('PPL2018', message, arg.span, hint);
    return undefined;
  };
  for (const [i, arg] of call.args.entries()) {
    if (arg.name === undefined && sawNamed) return fail('a positional argument cannot follow a named one', arg);
    sawNamed ||= arg.name !== undefined;
    const key = arg.name?.name ?? params[i];
    if (key === undefined) return fail(`${layer} takes at most ${params.length} arguments (${params.join(', ')}) but was given ${call.args.length}`, arg);
    if (!(params as readonly string[]).includes(key)) {
      const suggestion = suggestName(key, params);
      return fail(`${layer} has no parameter '${key}'`, arg, suggestion ? `did you mean '${suggestion}'?` : `its parameters are ${params.join(', ')}`);
    }
    if (bound.has(key)) return fail(`parameter '${key}' of ${layer} is given twice`, arg);
    bound.set(key, arg.value);
  }
  const missing = params.slice(0, required).filter((p) => !bound.has(p));
  if (missing.length > 0) {
    ctx.reporter.error('PPL2018', `${layer} is missing its ${missing.map((m) => `'${m}'`).join(' and ')}`, call.span, `write ${signature}`);
    return undefined;
  }
  return bound;
}

function readPadding(expr: Expr, ctx: NetContext): Padding | undefined {
  const word = expr.kind === 'Name' ? expr.name.name : undefined;
  if (word !== undefined && (PADDINGS as readonly string[]).includes(word)) return word as Padding;
  const suggestion = word === undefined ? undefined : suggestName(word, PADDINGS);
  ctx.reporter.error('PPL2018', `padding must be 'same' or 'valid', not '${formatExpr(expr)}'`, expr.span,
    suggestion ? `did you mean '${suggestion}'?` : "'same' keeps the size (divided by the stride); 'valid' uses only windows inside the image");
  return undefined;
}

function nextPrefix(ctx: NetContext): string {
  return `${ctx.name}.${ctx.weighted++}`;
}

function addWeights(ctx: NetContext, weight: string, weightShape: Shape, bias: string, units: number): void {
  ctx.parameters.push(
    { name: weight, shape: weightShape, init: { kind: 'glorotUniform' }, owner: ctx.owner },
    { name: bias, shape: [units], init: { kind: 'constant', value: 0 }, owner: ctx.owner },
  );
}

/**
 * The intermediate representation: a checked model with every name resolved,
 * every shape known and the model's statements in dependency order. The
 * backend compiles this; it knows nothing of syntax. Shapes are event shapes
 * of one data point (`[]` a scalar, `[d]` a vector, `[height, width,
 * channels]` an image, channels last); the backend adds the sample and batch
 * axes ([k, batch, d]).
 */

import type { IrFlowLayer, IrVampPrior } from './flows.js';

export type Shape = readonly number[];
/** `int` values are category indices 0, ..., K − 1 (a Categorical's). */
export type ElementType = 'real' | 'binary' | 'int';
export type Activation = 'softplus' | 'relu' | 'tanh' | 'sigmoid' | 'exp' | 'identity';
export type UnaryFunction = 'softplus' | 'exp' | 'sigmoid' | 'tanh' | 'log' | 'abs' | 'relu' | 'sqrt' | 'square';
export type DistributionFamily =
  | 'Normal' | 'Laplace' | 'StudentT' | 'LogNormal' | 'Gamma' | 'Beta' | 'Exponential' | 'Bernoulli'
  | 'Categorical' | 'OneHotCategorical'
  | 'MixtureNormal';

export const ACTIVATIONS: readonly Activation[] = ['softplus', 'relu', 'tanh', 'sigmoid', 'exp', 'identity'];
export const UNARY_FUNCTIONS: readonly UnaryFunction[] = ['softplus', 'exp', 'sigmoid', 'tanh', 'log', 'abs', 'relu', 'sqrt', 'square'];

/** The parameters each family takes, in positional order. */
export const DISTRIBUTION_PARAMETERS: Readonly<Record<DistributionFamily, readonly string[]>> = {
  Normal: ['loc', 'scale'],
  Laplace: ['loc', 'scale'],
  StudentT: ['df', 'loc', 'scale'],
  LogNormal: ['loc', 'scale'],
  Gamma: ['concentration', 'rate'],
  Beta: ['a', 'b'],
  Exponential: ['rate'],
  Bernoulli: ['logits'],
  Categorical: ['logits'],
  OneHotCategorical: ['logits'],
  MixtureNormal: ['logits', 'locs', 'scales'],
};

/** The parameters of each family that must be > 0 (the checker proves it; PPL2008). */
export const POSITIVE_PARAMETERS: Readonly<Record<DistributionFamily, readonly string[]>> = {
  Normal: ['scale'],
  Laplace: ['scale'],
  StudentT: ['df', 'scale'],
  LogNormal: ['scale'],
  Gamma: ['concentration', 'rate'],
  Beta: ['a', 'b'],
  Exponential: ['rate'],
  Bernoulli: [],
  Categorical: [],
  OneHotCategorical: [],
  MixtureNormal: ['scales'],
};

/**
 * Where a family's values lie: the real line, (0, ∞) (Exponential's [0, ∞)
 * counts as (0, ∞): 0 has probability zero), (0, 1), {0, 1} per coordinate,
 * the one-hot vectors (a OneHotCategorical's), or the indices 0, ..., K − 1
 * (a Categorical's). The three discrete supports contain only themselves.
 */
export type Support = 'real' | 'positive' | 'unit-interval' | 'binary' | 'one-hot' | 'index';

export const DISTRIBUTION_SUPPORT: Readonly<Record<DistributionFamily, Support>> = {
  Normal: 'real',
  Laplace: 'real',
  StudentT: 'real',
  LogNormal: 'positive',
  Gamma: 'positive',
  Beta: 'unit-interval',
  Exponential: 'positive',
  Bernoulli: 'binary',
  Categorical: 'index',
  OneHotCategorical: 'one-hot',
  MixtureNormal: 'real',
};

/** The families of discrete latents: their guides sample without a pathwise gradient (see docs/inference.md, discrete latents). */
export const DISCRETE_FAMILIES: readonly DistributionFamily[] = ['Bernoulli', 'Categorical', 'OneHotCategorical'];

/** True for Bernoulli, Categorical and OneHotCategorical. */
export function isDiscreteFamily(family: DistributionFamily): boolean {
  return DISCRETE_FAMILIES.includes(family);
}

/** True when every value of `inner` lies in `outer`: (0, 1) ⊂ (0, ∞) ⊂ ℝ; a discrete support only in itself. */
export function supportWithin(inner: Support, outer: Support): boolean {
  if (inner === outer) return true;
  const discrete: Support[] = ['binary', 'one-hot', 'index'];
  if (discrete.includes(inner) || discrete.includes(outer)) return false;
  const order: Support[] = ['unit-interval', 'positive', 'real'];
  return order.indexOf(inner) <= order.indexOf(outer);
}

/** Who owns a parameter: the generative model, or a guide (by name). */
export type Owner = { readonly kind: 'model' } | { readonly kind: 'guide'; readonly guide: string };

export type Initializer =
  | { readonly kind: 'glorotUniform' }
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly std: number }
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number };

/** A learned tensor: a `param`, or a weight or bias of a network. */
export interface IrParameter {
  /** `decoder.weight`, `prior.0.bias`, `guide_log_scale`. */
  readonly name: string;
  readonly shape: Shape;
  readonly init: Initializer;
  readonly owner: Owner;
}

/** One affine layer y = x·weight + bias of a network (`weight` [inputs, outputs]). */
export interface IrLayer {
  readonly kind: 'dense';
  readonly inputs: number;
  readonly outputs: number;
  readonly weight: string;
  readonly bias: string;
}

/** `same`: output size ceil(in / stride) (conv, pooling) or in·stride (deconv); `valid`: no padding. */
export type Padding = 'same' | 'valid';

/**
 * A 2-D convolution (`conv2d`, `weight` [kernel, kernel, in channels, filters])
 * or transposed convolution (`deconv2d`, `weight` [kernel, kernel, filters, in
 * channels]) on channels-last images [height, width, channels].
 */
export interface IrConvLayer {
  readonly kind: 'conv2d' | 'deconv2d';
  readonly filters: number;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: Padding;
  readonly weight: string;
  readonly bias: string;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
}

/** Max or average pooling over `size` x `size` windows of a [height, width, channels] image. */
export interface IrPoolLayer {
  readonly kind: 'maxpool2d' | 'avgpool2d';
  readonly size: number;
  readonly stride: number;
  readonly padding: Padding;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
}

/** `reshape(...)` and `flatten`: the same values in row-major order, another shape. */
export interface IrReshapeLayer {
  readonly kind: 'reshape';
  readonly inputShape: Shape;
  readonly outputShape: Shape;
}

export type IrNetLayer = IrLayer | IrConvLayer | IrPoolLayer | IrReshapeLayer;

/** The layers with learned weights (`weight`, `bias`). */
export type IrWeightedLayer = IrLayer | IrConvLayer;

/** True for a dense, conv2d or deconv2d layer. */
export function isWeightedLayer(layer: IrNetLayer): layer is IrWeightedLayer {
  return layer.kind === 'dense' || layer.kind === 'conv2d' || layer.kind === 'deconv2d';
}

/**
 * A network: layers in order, with `activation` after every weighted layer
 * but the last one (for an mlp: between the affine layers). Shapes are of one
 * data point; the backend adds the sample and batch axes in front.
 */
export interface IrNet {
  readonly name: string;
  readonly layers: readonly IrNetLayer[];
  readonly activation: Activation;
  readonly owner: Owner;
  /** `[in]` for linear and mlp; `[height, width, channels]` for an image input. */
  readonly inputShape: Shape;
  readonly outputShape: Shape;
}

export type IrExpr =
  | { readonly kind: 'constant'; readonly value: number; readonly shape: Shape }
  | { readonly kind: 'variable'; readonly name: string; readonly shape: Shape }
  | { readonly kind: 'parameter'; readonly name: string; readonly shape: Shape }
  | { readonly kind: 'apply'; readonly net: string; readonly input: IrExpr; readonly shape: Shape }
  | { readonly kind: 'unary'; readonly fn: UnaryFunction; readonly operand: IrExpr; readonly shape: Shape }
  | { readonly kind: 'binary'; readonly op: '+' | '-' | '*' | '/'; readonly left: IrExpr; readonly right: IrExpr; readonly shape: Shape }
  | { readonly kind: 'negate'; readonly operand: IrExpr; readonly shape: Shape }
  | { readonly kind: 'concat'; readonly parts: readonly IrExpr[]; readonly shape: Shape }
  | { readonly kind: 'slice'; readonly target: IrExpr; readonly start: number; readonly end: number; readonly shape: Shape };

/** A local definition `name = value`. */
export interface IrLet {
  readonly kind: 'let';
  readonly name: string;
  readonly value: IrExpr;
}

/** `name ~ family(params)`; observed when `name` is data. */
export interface IrSample {
  readonly kind: 'sample';
  readonly name: string;
  readonly family: DistributionFamily;
  readonly params: Readonly<Record<string, IrExpr>>;
  readonly shape: Shape;
  readonly observed: boolean;
  /** Latent variables this statement's distribution depends on, directly or through definitions. */
  readonly parents: readonly string[];
  /** Guides only: the family's sample pushed through these normalizing-flow layers, in order (flows.ts). */
  readonly flow?: readonly IrFlowLayer[];
  /** The model only: a VampPrior, `family(params)` evaluated at learned pseudo-inputs and mixed equally (flows.ts). */
  readonly vampPrior?: IrVampPrior;
}

export type IrStatement = IrLet | IrSample;

export interface IrVariable {
  readonly name: string;
  readonly shape: Shape;
  readonly element: ElementType;
}

export interface IrGuide {
  readonly name: string;
  /** Statements in execution order (guides are sequential). */
  readonly statements: readonly IrStatement[];
}

export interface IrModel {
  readonly data: readonly IrVariable[];
  /** Latents in the model's dependency order (parents first). */
  readonly latents: readonly IrVariable[];
  readonly parameters: readonly IrParameter[];
  readonly nets: readonly IrNet[];
  /** Model statements in dependency order (a topological order of the model graph). */
  readonly model: readonly IrStatement[];
  readonly guides: readonly IrGuide[];
  readonly defaultGuide: string;
}

/** Number of scalars in a tensor of this shape. */
export function shapeSize(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

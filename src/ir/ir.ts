/**
 * The intermediate representation: a checked model with every name resolved,
 * every shape known and the model's statements in dependency order. The
 * backend compiles this; it knows nothing of syntax. Shapes are event shapes
 * of one data point (`[]` a scalar, `[d]` a vector); the backend adds the
 * sample and batch axes ([k, batch, d]).
 */

export type Shape = readonly number[];
export type ElementType = 'real' | 'binary';
export type Activation = 'softplus' | 'relu' | 'tanh' | 'sigmoid' | 'exp' | 'identity';
export type UnaryFunction = 'softplus' | 'exp' | 'sigmoid' | 'tanh' | 'log' | 'abs' | 'relu' | 'sqrt' | 'square';
export type DistributionFamily = 'Normal' | 'Laplace' | 'StudentT' | 'LogNormal' | 'Gamma' | 'Beta' | 'Exponential' | 'Bernoulli';

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
};

/**
 * Where a family's values lie: the real line, (0, ∞) (Exponential's [0, ∞)
 * counts as (0, ∞): 0 has probability zero), (0, 1), or {0, 1}.
 */
export type Support = 'real' | 'positive' | 'unit-interval' | 'binary';

export const DISTRIBUTION_SUPPORT: Readonly<Record<DistributionFamily, Support>> = {
  Normal: 'real',
  Laplace: 'real',
  StudentT: 'real',
  LogNormal: 'positive',
  Gamma: 'positive',
  Beta: 'unit-interval',
  Exponential: 'positive',
  Bernoulli: 'binary',
};

/** True when every value of `inner` lies in `outer`: (0, 1) ⊂ (0, ∞) ⊂ ℝ; {0, 1} only in itself. */
export function supportWithin(inner: Support, outer: Support): boolean {
  if (inner === outer) return true;
  if (inner === 'binary' || outer === 'binary') return false;
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

/** One affine layer y = x·weight + bias of a network. */
export interface IrLayer {
  readonly inputs: number;
  readonly outputs: number;
  readonly weight: string;
  readonly bias: string;
}

/** A network: affine layers with `activation` between them (not after the last). */
export interface IrNet {
  readonly name: string;
  readonly layers: readonly IrLayer[];
  readonly activation: Activation;
  readonly owner: Owner;
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

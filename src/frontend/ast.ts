/**
 * The typed abstract syntax tree of a .ppl file, built from the CST by
 * `cst-to-ast.ts`. Every node carries its source span so the checker can point
 * at it. `docs/language.md` describes the surface syntax of each node.
 */
import type { Span } from '../diagnostics/span.js';

export interface Identifier {
  readonly kind: 'Identifier';
  readonly name: string;
  readonly span: Span;
}

export type BinaryOperator = '+' | '-' | '*' | '/';

export interface NumberLiteral {
  readonly kind: 'Number';
  readonly value: number;
  readonly span: Span;
}

export interface NameExpr {
  readonly kind: 'Name';
  readonly name: Identifier;
  readonly span: Span;
}

/** A call: a network application `encoder(x)`, a transform `softplus(e)`, `concat(a, b)`, ... */
export interface CallExpr {
  readonly kind: 'Call';
  readonly callee: Identifier;
  readonly args: readonly Argument[];
  readonly span: Span;
}

export interface BinaryExpr {
  readonly kind: 'Binary';
  readonly operator: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

export interface NegateExpr {
  readonly kind: 'Negate';
  readonly operand: Expr;
  readonly span: Span;
}

/** `e[start:end]` over the last axis; either bound may be omitted. */
export interface SliceExpr {
  readonly kind: 'Slice';
  readonly target: Expr;
  readonly start?: Expr;
  readonly end?: Expr;
  readonly span: Span;
}

export type Expr = NumberLiteral | NameExpr | CallExpr | BinaryExpr | NegateExpr | SliceExpr;

/** A positional (`e`) or named (`scale: e`) argument. */
export interface Argument {
  readonly name?: Identifier;
  readonly value: Expr;
  readonly span: Span;
}

export type ElementType = 'real' | 'binary' | 'int';

/** `real[400]`, `binary[28, 28]`; dimensions are constant expressions. */
export interface TypeSpec {
  readonly element: ElementType;
  readonly dims: readonly Expr[];
  readonly span: Span;
}

/** Top level `X = 400`. */
export interface ConstDecl {
  readonly kind: 'Const';
  readonly name: Identifier;
  readonly value: Expr;
  readonly span: Span;
}

/** Top level `data x: real[400]`: an observed variable. */
export interface DataDecl {
  readonly kind: 'Data';
  readonly name: Identifier;
  readonly type: TypeSpec;
  readonly span: Span;
}

/** `[28, 28, 1]`: the input shape that may start a network's chain. */
export interface ShapeLiteral {
  readonly dims: readonly Expr[];
  readonly span: Span;
}

/**
 * `net decoder = linear(450 -> 400)`, `net f = mlp(20 -> 512 -> 900, softplus)`
 * or `net e = cnn([28, 28, 1] -> conv2d(32, 3, 2) -> flatten -> 20, relu)`.
 */
export interface NetDecl {
  readonly kind: 'Net';
  readonly name: Identifier;
  readonly architecture: Identifier;
  /** An input shape written `[a, b, c]` as the first stage; `sizes` are then the stages after it. */
  readonly input?: ShapeLiteral;
  /** The stages between `->`: sizes (`Z1`, `2 * H`), and for cnn layers (`conv2d(32, 3)`, `flatten`). */
  readonly sizes: readonly Expr[];
  readonly options: readonly Argument[];
  readonly span: Span;
}

/** `param log_scale: real[4]` with an optional initializer `= 0` or `= normal(0, 0.01)`. */
export interface ParamDecl {
  readonly kind: 'Param';
  readonly name: Identifier;
  readonly type: TypeSpec;
  readonly init?: Expr;
  readonly span: Span;
}

/** A local definition inside a block: `h = encoder(x)`. */
export interface LetStmt {
  readonly kind: 'Let';
  readonly name: Identifier;
  readonly value: Expr;
  readonly span: Span;
}

/** `z1: real[450] ~ Laplace(loc: m, scale: s)`; the type is given where a latent is introduced in the model. */
export interface SampleStmt {
  readonly kind: 'Sample';
  readonly target: Identifier;
  readonly type?: TypeSpec;
  readonly distribution: Identifier;
  readonly args: readonly Argument[];
  readonly span: Span;
}

export type Statement = NetDecl | ParamDecl | LetStmt | SampleStmt;

/** `model { ... }`: the generative model p(x, z). */
export interface ModelBlock {
  readonly kind: 'Model';
  readonly keyword: Span;
  readonly body: readonly Statement[];
  readonly span: Span;
}

/** `guide topdown { ... }`: one variational family q(z | x). */
export interface GuideBlock {
  readonly kind: 'Guide';
  readonly name: Identifier;
  readonly body: readonly Statement[];
  readonly span: Span;
}

/** `options { default_guide = topdown }`. */
export interface OptionsBlock {
  readonly kind: 'Options';
  readonly entries: readonly OptionEntry[];
  readonly span: Span;
}

export interface OptionEntry {
  readonly key: Identifier;
  readonly value: Expr;
  readonly span: Span;
}

export type TopLevelItem = ConstDecl | DataDecl | ModelBlock | GuideBlock | OptionsBlock;

export interface Program {
  readonly kind: 'Program';
  readonly items: readonly TopLevelItem[];
  readonly span: Span;
}

/** A comment kept for the formatter: its text and where it was. */
export interface Comment {
  readonly text: string;
  readonly span: Span;
}

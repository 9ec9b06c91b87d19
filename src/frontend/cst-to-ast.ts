/**
 * The CST visitor: turns chevrotain's concrete syntax tree into the typed AST
 * of `ast.ts`. It runs only on a parse without errors, so every child the
 * grammar requires is present. Children of different kinds are put back in
 * source order by their offsets (chevrotain groups children by name).
 */
import type { CstNode, IToken } from 'chevrotain';
import type { Span } from '../diagnostics/span.js';
import type * as A from './ast.js';
import type * as C from './cst.js';
import { pplParser } from './parser.js';

const BaseVisitor = pplParser.getBaseCstVisitorConstructor();

function tokenSpan(token: IToken): Span {
  return {
    start: { offset: token.startOffset, line: token.startLine ?? 1, column: token.startColumn ?? 1 },
    end: { offset: (token.endOffset ?? token.startOffset) + 1, line: token.endLine ?? 1, column: (token.endColumn ?? 1) + 1 },
  };
}

function nodeSpan(node: CstNode): Span {
  const l = node.location!;
  return {
    start: { offset: l.startOffset, line: l.startLine ?? 1, column: l.startColumn ?? 1 },
    end: { offset: (l.endOffset ?? l.startOffset) + 1, line: l.endLine ?? 1, column: (l.endColumn ?? 1) + 1 },
  };
}

function spanFrom(first: Span, last: Span): Span {
  return { start: first.start, end: last.end };
}

function identifier(token: IToken): A.Identifier {
  return { kind: 'Identifier', name: token.image, span: tokenSpan(token) };
}

function offsetOf(item: CstNode | IToken): number {
  return 'image' in item ? item.startOffset : item.location!.startOffset;
}

function inSourceOrder<T extends CstNode | IToken>(...groups: (readonly T[] | undefined)[]): T[] {
  return groups.flatMap((g) => g ?? []).sort((a, b) => offsetOf(a) - offsetOf(b));
}

class CstToAstVisitor extends BaseVisitor {
  constructor() {
    super();
    this.validateVisitor();
  }

  /** Visits a child node, passing the node itself so each rule can read its location. */
  private sub<T>(node: CstNode): T {
    return this.visit(node, node) as T;
  }

  program(ctx: C.ProgramCstChildren, node: CstNode): A.Program {
    const items = inSourceOrder<CstNode>(ctx.constDecl, ctx.dataDecl, ctx.modelBlock, ctx.guideBlock, ctx.optionsBlock);
    const span = node.location && !Number.isNaN(node.location.startOffset) ? nodeSpan(node) : emptySpan();
    return { kind: 'Program', items: items.map((item) => this.sub(item) as A.TopLevelItem), span };
  }

  constDecl(ctx: C.ConstDeclCstChildren, node: CstNode): A.ConstDecl {
    return { kind: 'Const', name: identifier(ctx.Identifier[0]!), value: this.sub(ctx.expression[0]!), span: nodeSpan(node) };
  }

  dataDecl(ctx: C.DataDeclCstChildren, node: CstNode): A.DataDecl {
    return { kind: 'Data', name: identifier(ctx.Identifier[0]!), type: this.sub(ctx.typeSpec[0]!), span: nodeSpan(node) };
  }

  typeSpec(ctx: C.TypeSpecCstChildren, node: CstNode): A.TypeSpec {
    const element: A.ElementType = ctx.Binary ? 'binary' : ctx.Int ? 'int' : 'real';
    return { element, dims: ctx.expression.map((e) => this.sub(e) as A.Expr), span: nodeSpan(node) };
  }

  modelBlock(ctx: C.ModelBlockCstChildren, node: CstNode): A.ModelBlock {
    const body = (ctx.statement ?? []).map((s) => this.sub(s) as A.Statement);
    return { kind: 'Model', keyword: tokenSpan(ctx.Model[0]!), body, span: nodeSpan(node) };
  }

  guideBlock(ctx: C.GuideBlockCstChildren, node: CstNode): A.GuideBlock {
    const body = (ctx.statement ?? []).map((s) => this.sub(s) as A.Statement);
    return { kind: 'Guide', name: identifier(ctx.Identifier[0]!), body, span: nodeSpan(node) };
  }

  optionsBlock(ctx: C.OptionsBlockCstChildren, node: CstNode): A.OptionsBlock {
    const entries = (ctx.optionEntry ?? []).map((e) => this.sub(e) as A.OptionEntry);
    return { kind: 'Options', entries, span: nodeSpan(node) };
  }

  optionEntry(ctx: C.OptionEntryCstChildren, node: CstNode): A.OptionEntry {
    return { key: identifier(ctx.Identifier[0]!), value: this.sub(ctx.expression[0]!), span: nodeSpan(node) };
  }

  statement(ctx: C.StatementCstChildren): A.Statement {
    const child = ctx.netDecl?.[0] ?? ctx.paramDecl?.[0] ?? ctx.assignOrSample?.[0];
    return this.sub(child!) as A.Statement;
  }

  netDecl(ctx: C.NetDeclCstChildren, node: CstNode): A.NetDecl {
    const input = ctx.shapeLiteral ? { input: this.sub(ctx.shapeLiteral[0]!) as A.ShapeLiteral } : {};
    return {
      kind: 'Net',
      name: identifier(ctx.Identifier[0]!),
      architecture: identifier(ctx.Identifier[1]!),
      ...input,
      sizes: (ctx.expression ?? []).map((e) => this.sub(e) as A.Expr),
      options: (ctx.argument ?? []).map((a) => this.sub(a) as A.Argument),
      span: nodeSpan(node),
    };
  }

  shapeLiteral(ctx: C.ShapeLiteralCstChildren, node: CstNode): A.ShapeLiteral {
    return { dims: ctx.expression.map((e) => this.sub(e) as A.Expr), span: nodeSpan(node) };
  }

  paramDecl(ctx: C.ParamDeclCstChildren, node: CstNode): A.ParamDecl {
    const base = { kind: 'Param' as const, name: identifier(ctx.Identifier[0]!), type: this.sub(ctx.typeSpec[0]!) as A.TypeSpec, span: nodeSpan(node) };
    return ctx.expression ? { ...base, init: this.sub(ctx.expression[0]!) as A.Expr } : base;
  }

  assignOrSample(ctx: C.AssignOrSampleCstChildren, node: CstNode): A.LetStmt | A.SampleStmt {
    const name = identifier(ctx.Identifier[0]!);
    const span = nodeSpan(node);
    if (ctx.Equals) return { kind: 'Let', name, value: this.sub(ctx.expression![0]!), span };
    const args = ctx.argumentList ? (this.sub(ctx.argumentList[0]!) as A.Argument[]) : [];
    const base = { kind: 'Sample' as const, target: name, distribution: identifier(ctx.Identifier[1]!), args, span };
    return ctx.typeSpec ? { ...base, type: this.sub(ctx.typeSpec[0]!) as A.TypeSpec } : base;
  }

  argumentList(ctx: C.ArgumentListCstChildren): A.Argument[] {
    return ctx.argument.map((a) => this.sub(a) as A.Argument);
  }

  argument(ctx: C.ArgumentCstChildren, node: CstNode): A.Argument {
    const value = this.sub(ctx.expression[0]!) as A.Expr;
    const span = nodeSpan(node);
    return ctx.Identifier ? { name: identifier(ctx.Identifier[0]!), value, span } : { value, span };
  }

  expression(ctx: C.ExpressionCstChildren): A.Expr {
    return this.foldBinary(ctx.term, inSourceOrder<IToken>(ctx.Plus, ctx.Minus));
  }

  term(ctx: C.TermCstChildren): A.Expr {
    return this.foldBinary(ctx.unary, inSourceOrder<IToken>(ctx.Star, ctx.Slash));
  }

  private foldBinary(operands: readonly CstNode[], operators: readonly IToken[]): A.Expr {
    let left = this.sub(operands[0]!) as A.Expr;
    operators.forEach((op, i) => {
      const right = this.sub(operands[i + 1]!) as A.Expr;
      left = { kind: 'Binary', operator: op.image as A.BinaryOperator, left, right, span: spanFrom(left.span, right.span) };
    });
    return left;
  }

  unary(ctx: C.UnaryCstChildren, node: CstNode): A.Expr {
    if (ctx.Minus) return { kind: 'Negate', operand: this.sub(ctx.unary![0]!), span: nodeSpan(node) };
    return this.sub(ctx.postfix![0]!) as A.Expr;
  }

  postfix(ctx: C.PostfixCstChildren): A.Expr {
    let target = this.sub(ctx.primary[0]!) as A.Expr;
    const bounds = ctx.expression ?? [];
    (ctx.LBracket ?? []).forEach((open, i) => {
      const colon = ctx.Colon![i]!.startOffset;
      const close = ctx.RBracket![i]!;
      const between = (lo: number, hi: number) => bounds.find((e) => offsetOf(e) > lo && offsetOf(e) < hi);
      const startNode = between(open.startOffset, colon);
      const endNode = between(colon, close.startOffset);
      const span = spanFrom(target.span, tokenSpan(close));
      const slice: A.SliceExpr = {
        kind: 'Slice',
        target,
        ...(startNode ? { start: this.sub(startNode) as A.Expr } : {}),
        ...(endNode ? { end: this.sub(endNode) as A.Expr } : {}),
        span,
      };
      target = slice;
    });
    return target;
  }

  primary(ctx: C.PrimaryCstChildren, node: CstNode): A.Expr {
    const span = nodeSpan(node);
    if (ctx.NumberLiteral) return { kind: 'Number', value: Number(ctx.NumberLiteral[0]!.image), span };
    if (ctx.expression) return this.sub(ctx.expression[0]!) as A.Expr;
    const name = identifier(ctx.Identifier![0]!);
    if (!ctx.LParen) return { kind: 'Name', name, span };
    const args = ctx.argumentList ? (this.sub(ctx.argumentList[0]!) as A.Argument[]) : [];
    return { kind: 'Call', callee: name, args, span };
  }
}

function emptySpan(): Span {
  return { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
}

const visitor = new CstToAstVisitor();

/** Builds the AST of a parse tree that has no syntax errors. */
export function cstToAst(cst: CstNode): A.Program {
  return visitor.visit(cst, cst) as A.Program;
}

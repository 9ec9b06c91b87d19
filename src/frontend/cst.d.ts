import type { CstNode, ICstVisitor, IToken } from "chevrotain";

export interface ProgramCstNode extends CstNode {
  name: "program";
  children: ProgramCstChildren;
}

export type ProgramCstChildren = {
  constDecl?: ConstDeclCstNode[];
  dataDecl?: DataDeclCstNode[];
  modelBlock?: ModelBlockCstNode[];
  guideBlock?: GuideBlockCstNode[];
  optionsBlock?: OptionsBlockCstNode[];
};

export interface ConstDeclCstNode extends CstNode {
  name: "constDecl";
  children: ConstDeclCstChildren;
}

export type ConstDeclCstChildren = {
  Identifier: IToken[];
  Equals: IToken[];
  expression: ExpressionCstNode[];
};

export interface DataDeclCstNode extends CstNode {
  name: "dataDecl";
  children: DataDeclCstChildren;
}

export type DataDeclCstChildren = {
  Data: IToken[];
  Identifier: IToken[];
  Colon: IToken[];
  typeSpec: TypeSpecCstNode[];
};

export interface TypeSpecCstNode extends CstNode {
  name: "typeSpec";
  children: TypeSpecCstChildren;
}

export type TypeSpecCstChildren = {
  Real?: IToken[];
  Binary?: IToken[];
  Int?: IToken[];
  LBracket: IToken[];
  expression: ExpressionCstNode[];
  Comma?: IToken[];
  RBracket: IToken[];
};

export interface ModelBlockCstNode extends CstNode {
  name: "modelBlock";
  children: ModelBlockCstChildren;
}

export type ModelBlockCstChildren = {
  Model: IToken[];
  LBrace: IToken[];
  statement?: StatementCstNode[];
  RBrace: IToken[];
};

export interface GuideBlockCstNode extends CstNode {
  name: "guideBlock";
  children: GuideBlockCstChildren;
}

export type GuideBlockCstChildren = {
  Guide: IToken[];
  Identifier: IToken[];
  LBrace: IToken[];
  statement?: StatementCstNode[];
  RBrace: IToken[];
};

export interface OptionsBlockCstNode extends CstNode {
  name: "optionsBlock";
  children: OptionsBlockCstChildren;
}

export type OptionsBlockCstChildren = {
  Options: IToken[];
  LBrace: IToken[];
  optionEntry?: OptionEntryCstNode[];
  RBrace: IToken[];
};

export interface OptionEntryCstNode extends CstNode {
  name: "optionEntry";
  children: OptionEntryCstChildren;
}

export type OptionEntryCstChildren = {
  Identifier: IToken[];
  Equals: IToken[];
  expression: ExpressionCstNode[];
};

export interface StatementCstNode extends CstNode {
  name: "statement";
  children: StatementCstChildren;
}

export type StatementCstChildren = {
  netDecl?: NetDeclCstNode[];
  paramDecl?: ParamDeclCstNode[];
  assignOrSample?: AssignOrSampleCstNode[];
};

export interface NetDeclCstNode extends CstNode {
  name: "netDecl";
  children: NetDeclCstChildren;
}

export type NetDeclCstChildren = {
  Net: IToken[];
  Identifier: (IToken)[];
  Equals: IToken[];
  LParen: IToken[];
  shapeLiteral?: ShapeLiteralCstNode[];
  expression?: (ExpressionCstNode)[];
  Arrow?: IToken[];
  Comma?: IToken[];
  argument?: ArgumentCstNode[];
  RParen: IToken[];
};

export interface ShapeLiteralCstNode extends CstNode {
  name: "shapeLiteral";
  children: ShapeLiteralCstChildren;
}

export type ShapeLiteralCstChildren = {
  LBracket: IToken[];
  expression: ExpressionCstNode[];
  Comma?: IToken[];
  RBracket: IToken[];
};

export interface ParamDeclCstNode extends CstNode {
  name: "paramDecl";
  children: ParamDeclCstChildren;
}

export type ParamDeclCstChildren = {
  Param: IToken[];
  Identifier: IToken[];
  Colon: IToken[];
  typeSpec: TypeSpecCstNode[];
  Equals?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface AssignOrSampleCstNode extends CstNode {
  name: "assignOrSample";
  children: AssignOrSampleCstChildren;
}

export type AssignOrSampleCstChildren = {
  Identifier: (IToken)[];
  Equals?: IToken[];
  expression?: ExpressionCstNode[];
  Colon?: IToken[];
  typeSpec?: TypeSpecCstNode[];
  Tilde?: IToken[];
  LParen?: IToken[];
  argumentList?: ArgumentListCstNode[];
  RParen?: IToken[];
};

export interface ArgumentListCstNode extends CstNode {
  name: "argumentList";
  children: ArgumentListCstChildren;
}

export type ArgumentListCstChildren = {
  argument: ArgumentCstNode[];
  Comma?: IToken[];
};

export interface ArgumentCstNode extends CstNode {
  name: "argument";
  children: ArgumentCstChildren;
}

export type ArgumentCstChildren = {
  Identifier?: IToken[];
  Colon?: IToken[];
  expression: ExpressionCstNode[];
};

export interface ExpressionCstNode extends CstNode {
  name: "expression";
  children: ExpressionCstChildren;
}

export type ExpressionCstChildren = {
  term: (TermCstNode)[];
  Plus?: IToken[];
  Minus?: IToken[];
};

export interface TermCstNode extends CstNode {
  name: "term";
  children: TermCstChildren;
}

export type TermCstChildren = {
  unary: (UnaryCstNode)[];
  Star?: IToken[];
  Slash?: IToken[];
};

export interface UnaryCstNode extends CstNode {
  name: "unary";
  children: UnaryCstChildren;
}

export type UnaryCstChildren = {
  Minus?: IToken[];
  unary?: UnaryCstNode[];
  postfix?: PostfixCstNode[];
};

export interface PostfixCstNode extends CstNode {
  name: "postfix";
  children: PostfixCstChildren;
}

export type PostfixCstChildren = {
  primary: PrimaryCstNode[];
  LBracket?: IToken[];
  expression?: (ExpressionCstNode)[];
  Colon?: IToken[];
  RBracket?: IToken[];
};

export interface PrimaryCstNode extends CstNode {
  name: "primary";
  children: PrimaryCstChildren;
}

export type PrimaryCstChildren = {
  NumberLiteral?: IToken[];
  Identifier?: IToken[];
  LParen?: (IToken)[];
  argumentList?: ArgumentListCstNode[];
  RParen?: (IToken)[];
  expression?: ExpressionCstNode[];
};

export interface ICstNodeVisitor<IN, OUT> extends ICstVisitor<IN, OUT> {
  program(children: ProgramCstChildren, param?: IN): OUT;
  constDecl(children: ConstDeclCstChildren, param?: IN): OUT;
  dataDecl(children: DataDeclCstChildren, param?: IN): OUT;
  typeSpec(children: TypeSpecCstChildren, param?: IN): OUT;
  modelBlock(children: ModelBlockCstChildren, param?: IN): OUT;
  guideBlock(children: GuideBlockCstChildren, param?: IN): OUT;
  optionsBlock(children: OptionsBlockCstChildren, param?: IN): OUT;
  optionEntry(children: OptionEntryCstChildren, param?: IN): OUT;
  statement(children: StatementCstChildren, param?: IN): OUT;
  netDecl(children: NetDeclCstChildren, param?: IN): OUT;
  shapeLiteral(children: ShapeLiteralCstChildren, param?: IN): OUT;
  paramDecl(children: ParamDeclCstChildren, param?: IN): OUT;
  assignOrSample(children: AssignOrSampleCstChildren, param?: IN): OUT;
  argumentList(children: ArgumentListCstChildren, param?: IN): OUT;
  argument(children: ArgumentCstChildren, param?: IN): OUT;
  expression(children: ExpressionCstChildren, param?: IN): OUT;
  term(children: TermCstChildren, param?: IN): OUT;
  unary(children: UnaryCstChildren, param?: IN): OUT;
  postfix(children: PostfixCstChildren, param?: IN): OUT;
  primary(children: PrimaryCstChildren, param?: IN): OUT;
}

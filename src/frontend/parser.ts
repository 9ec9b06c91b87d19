/**
 * The .ppl grammar as a chevrotain `CstParser`: grammar only, no semantic
 * actions (meaning lives in `cst-to-ast.ts`). Rules are class properties, so a
 * misspelled rule is a compile error. Error recovery is on: one typo does not
 * hide the next error.
 *
 * ```ebnf
 * program      = { constDecl | dataDecl | modelBlock | guideBlock | optionsBlock } ;
 * constDecl    = Identifier "=" expression ;
 * dataDecl     = "data" Identifier ":" typeSpec ;
 * typeSpec     = ( "real" | "binary" | "int" ) "[" expression { "," expression } "]" ;
 * modelBlock   = "model" "{" { statement } "}" ;
 * guideBlock   = "guide" Identifier "{" { statement } "}" ;
 * optionsBlock = "options" "{" { Identifier "=" expression } "}" ;
 * statement    = netDecl | paramDecl | assignOrSample ;
 * netDecl      = "net" Identifier "=" Identifier "(" ( shapeLiteral | expression ) { "->" expression } { "," argument } ")" ;
 * shapeLiteral = "[" expression { "," expression } "]" ;
 * paramDecl    = "param" Identifier ":" typeSpec [ "=" expression ] ;
 * assignOrSample = Identifier ( "=" expression | [ ":" typeSpec ] "~" Identifier "(" [ arguments ] ")" ) ;
 * arguments    = argument { "," argument } ;
 * argument     = [ Identifier ":" ] expression ;
 * expression   = term { ( "+" | "-" ) term } ;
 * term         = unary { ( "*" | "/" ) unary } ;
 * unary        = "-" unary | postfix ;
 * postfix      = primary { "[" [ expression ] ":" [ expression ] "]" } ;
 * primary      = Number | Identifier [ "(" [ arguments ] ")" ] | "(" expression ")" ;
 * ```
 */
import { CstParser } from 'chevrotain';
import * as T from './tokens.js';
import { pplErrorMessages } from './parser-messages.js';

export class PplParser extends CstParser {
  constructor() {
    super([...T.ALL_TOKENS], {
      recoveryEnabled: true,
      maxLookahead: 3,
      nodeLocationTracking: 'full',
      errorMessageProvider: pplErrorMessages,
    });
    this.performSelfAnalysis();
  }

  public program = this.RULE('program', () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.constDecl) },
        { ALT: () => this.SUBRULE(this.dataDecl) },
        { ALT: () => this.SUBRULE(this.modelBlock) },
        { ALT: () => this.SUBRULE(this.guideBlock) },
        { ALT: () => this.SUBRULE(this.optionsBlock) },
      ]);
    });
  });

  public constDecl = this.RULE('constDecl', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  public dataDecl = this.RULE('dataDecl', () => {
    this.CONSUME(T.Data);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeSpec);
  });

  public typeSpec = this.RULE('typeSpec', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Real) }, { ALT: () => this.CONSUME(T.Binary) }, { ALT: () => this.CONSUME(T.Int) }]);
    this.CONSUME(T.LBracket);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
    this.CONSUME(T.RBracket);
  });

  public modelBlock = this.RULE('modelBlock', () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.statement));
    this.CONSUME(T.RBrace);
  });

  public guideBlock = this.RULE('guideBlock', () => {
    this.CONSUME(T.Guide);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.statement));
    this.CONSUME(T.RBrace);
  });

  public optionsBlock = this.RULE('optionsBlock', () => {
    this.CONSUME(T.Options);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.optionEntry));
    this.CONSUME(T.RBrace);
  });

  public optionEntry = this.RULE('optionEntry', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  public statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.netDecl) },
      { ALT: () => this.SUBRULE(this.paramDecl) },
      { ALT: () => this.SUBRULE(this.assignOrSample) },
    ]);
  });

  public netDecl = this.RULE('netDecl', () => {
    this.CONSUME(T.Net);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.CONSUME2(T.Identifier);
    this.CONSUME(T.LParen);
    this.OR([{ ALT: () => this.SUBRULE(this.shapeLiteral) }, { ALT: () => this.SUBRULE(this.expression) }]);
    this.MANY(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE2(this.expression);
    });
    this.MANY2(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE(this.argument);
    });
    this.CONSUME(T.RParen);
  });

  /** The input shape of a network on images: `cnn([28, 28, 1] -> ...)`. */
  public shapeLiteral = this.RULE('shapeLiteral', () => {
    this.CONSUME(T.LBracket);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
    this.CONSUME(T.RBracket);
  });

  public paramDecl = this.RULE('paramDecl', () => {
    this.CONSUME(T.Param);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeSpec);
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expression);
    });
  });

  public assignOrSample = this.RULE('assignOrSample', () => {
    this.CONSUME(T.Identifier);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Equals);
          this.SUBRULE(this.expression);
        },
      },
      {
        ALT: () => {
          this.OPTION(() => {
            this.CONSUME(T.Colon);
            this.SUBRULE(this.typeSpec);
          });
          this.CONSUME(T.Tilde);
          this.CONSUME2(T.Identifier);
          this.CONSUME(T.LParen);
          this.OPTION2(() => this.SUBRULE(this.argumentList));
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  public argumentList = this.RULE('argumentList', () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.argument) });
  });

  public argument = this.RULE('argument', () => {
    this.OPTION(() => {
      this.CONSUME(T.Identifier);
      this.CONSUME(T.Colon);
    });
    this.SUBRULE(this.expression);
  });

  public expression = this.RULE('expression', () => {
    this.SUBRULE(this.term);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
      this.SUBRULE2(this.term);
    });
  });

  public term = this.RULE('term', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Star) }, { ALT: () => this.CONSUME(T.Slash) }]);
      this.SUBRULE2(this.unary);
    });
  });

  public unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  });

  public postfix = this.RULE('postfix', () => {
    this.SUBRULE(this.primary);
    this.MANY(() => {
      this.CONSUME(T.LBracket);
      this.OPTION(() => this.SUBRULE(this.expression));
      this.CONSUME(T.Colon);
      this.OPTION2(() => this.SUBRULE2(this.expression));
      this.CONSUME(T.RBracket);
    });
  });

  public primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      {
        ALT: () => {
          this.CONSUME(T.Identifier);
          this.OPTION(() => {
            this.CONSUME(T.LParen);
            this.OPTION2(() => this.SUBRULE(this.argumentList));
            this.CONSUME(T.RParen);
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME2(T.LParen);
          this.SUBRULE(this.expression);
          this.CONSUME2(T.RParen);
        },
      },
    ]);
  });
}

/** One shared parser instance (chevrotain parsers are reusable: set `input`, call a rule). */
export const pplParser = new PplParser();

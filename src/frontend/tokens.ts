/**
 * The lexical grammar of .ppl files. Keywords use `longer_alt: Identifier` and
 * come before `Identifier` in `ALL_TOKENS`, so `models` lexes as a name and
 * `model` as the keyword (chevrotain's tutorial: "the order of tokens is
 * important"). Labels make expected-token lists read naturally.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

export const Whitespace = createToken({ name: 'Whitespace', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /\/\/[^\n\r]*/, group: 'comments' });
/** A `#` comment (Python, R, shell habit): kept out of the parser and reported once as an error. */
export const HashComment = createToken({ name: 'HashComment', pattern: /#[^\n\r]*/, group: 'hashComments' });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' });

function keyword(word: string): TokenType {
  const name = word[0]!.toUpperCase() + word.slice(1);
  return createToken({ name, pattern: new RegExp(word), longer_alt: Identifier, label: `'${word}'` });
}

export const Data = keyword('data');
export const Model = keyword('model');
export const Guide = keyword('guide');
export const Options = keyword('options');
export const Net = keyword('net');
export const Param = keyword('param');
export const Real = keyword('real');
export const Binary = keyword('binary');
export const Int = keyword('int');

export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/,
  label: 'a number',
});

export const Arrow = createToken({ name: 'Arrow', pattern: /->/, label: "'->'" });
export const Tilde = createToken({ name: 'Tilde', pattern: /~/, label: "'~'" });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: "']'" });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/, label: "'{'" });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/, label: "'}'" });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, label: "'+'" });
export const Minus = createToken({ name: 'Minus', pattern: /-/, label: "'-'" });
export const Star = createToken({ name: 'Star', pattern: /\*/, label: "'*'" });
export const Slash = createToken({ name: 'Slash', pattern: /\//, label: "'/'" });

/** Keywords: reserved words that cannot be used as names. */
export const KEYWORDS: readonly TokenType[] = [Data, Model, Guide, Options, Net, Param, Real, Binary, Int];

export const ALL_TOKENS: readonly TokenType[] = [
  Whitespace,
  Comment,
  HashComment,
  ...KEYWORDS,
  Identifier,
  NumberLiteral,
  Arrow,
  Tilde,
  Equals,
  Colon,
  Comma,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Plus,
  Minus,
  Star,
  Slash,
];

export const pplLexer = new Lexer([...ALL_TOKENS], { positionTracking: 'full', ensureOptimizations: false });

/**
 * Source text -> AST, collecting every lexer and parser error as a located
 * diagnostic (never throwing on user input).
 */
import type { IRecognitionException, IToken, ILexingError } from 'chevrotain';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { positionAt, spanAt, type Span } from '../diagnostics/span.js';
import type { Comment, Program } from './ast.js';
import { cstToAst } from './cst-to-ast.js';
import { pplParser } from './parser.js';
import { pplLexer } from './tokens.js';

export interface ParseResult {
  /** The AST, present only when there were no syntax errors. */
  readonly program?: Program;
  readonly comments: readonly Comment[];
  readonly diagnostics: readonly Diagnostic[];
}

const EXCEPTION_CODES: Record<string, DiagnosticCode> = {
  MismatchedTokenException: 'PPL1002',
  NoViableAltException: 'PPL1003',
  EarlyExitException: 'PPL1004',
  NotAllInputParsedException: 'PPL1005',
};

function lexerDiagnostic(source: string, e: ILexingError): Diagnostic {
  const text = source.slice(e.offset, e.offset + e.length);
  const shown = text.length > 20 ? `${text.slice(0, 20)}...` : text;
  return error('PPL1001', `unexpected character${e.length > 1 ? 's' : ''} '${shown}'`, spanAt(source, e.offset, e.offset + e.length),
    text.startsWith('#') ? "comments start with '//'" : undefined);
}

/** The span of a parser error; a token inserted by recovery has no position, so use the previous token's end. */
function errorSpan(source: string, tokens: readonly IToken[], e: IRecognitionException): Span {
  const token = e.token;
  if (!Number.isNaN(token.startOffset) && token.image !== '') {
    return spanAt(source, token.startOffset, (token.endOffset ?? token.startOffset) + 1);
  }
  const recovered = (e as { previousToken?: IToken }).previousToken;
  const previous = recovered ?? [...tokens].reverse().find((t) => !Number.isNaN(t.startOffset));
  const end = previous && !Number.isNaN(previous.startOffset) ? (previous.endOffset ?? previous.startOffset) + 1 : source.length;
  return { start: positionAt(source, end), end: positionAt(source, end) };
}

function parserDiagnostic(source: string, tokens: readonly IToken[], e: IRecognitionException): Diagnostic {
  const code = EXCEPTION_CODES[e.name] ?? 'PPL1002';
  return error(code, e.message, errorSpan(source, tokens, e));
}

/** Deepest nesting of brackets or prefix minus signs the parser accepts (deeper input would overflow the stack). */
export const MAX_NESTING = 64;

/** The token where nesting first exceeds MAX_NESTING, if any. */
function firstTooDeep(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  let minuses = 0;
  for (const t of tokens) {
    const name = t.tokenType.name;
    if (name === 'LParen' || name === 'LBracket') depth++;
    else if (name === 'RParen' || name === 'RBracket') depth = Math.max(0, depth - 1);
    minuses = name === 'Minus' ? minuses + 1 : 0;
    if (depth > MAX_NESTING || minuses > MAX_NESTING) return t;
  }
  return undefined;
}

/**
 * Parses .ppl source text.
 *
 * @returns the AST when the text is syntactically valid, the comments, and
 *   every syntax diagnostic (lexer and parser) otherwise.
 */
export function parseSource(source: string): ParseResult {
  const lexed = pplLexer.tokenize(source);
  const diagnostics: Diagnostic[] = lexed.errors.map((e) => lexerDiagnostic(source, e));
  for (const t of lexed.groups['hashComments'] ?? []) {
    diagnostics.push(error('PPL1001', "unexpected character '#'", spanAt(source, t.startOffset, t.startOffset + 1), "comments start with '//'"));
  }
  const tooDeep = firstTooDeep(lexed.tokens);
  if (tooDeep) {
    diagnostics.push(error('PPL1003', `expression nested more than ${MAX_NESTING} levels deep`, spanAt(source, tooDeep.startOffset, (tooDeep.endOffset ?? tooDeep.startOffset) + 1),
      'split it into named definitions'));
    return { comments: [], diagnostics };
  }
  pplParser.input = lexed.tokens;
  let cst: ReturnType<typeof pplParser.program>;
  try {
    cst = pplParser.program();
  } catch (e) {
    // Error recovery recurses once per unclosed level; pathological input can still exhaust the stack.
    if (!(e instanceof RangeError)) throw e;
    diagnostics.push(error('PPL1003', 'this file is nested too deeply to parse', spanAt(source, 0, Math.min(source.length, 1)), 'close brackets and split long expressions'));
    return { comments: [], diagnostics };
  }
  const seen = new Set<number>();
  for (const e of pplParser.errors) {
    const diagnostic = parserDiagnostic(source, lexed.tokens, e);
    if (seen.has(diagnostic.span.start.offset)) continue; // recovery can report one spot twice
    seen.add(diagnostic.span.start.offset);
    diagnostics.push(diagnostic);
  }
  const comments: Comment[] = (lexed.groups['comments'] ?? []).map((t) => ({
    text: t.image,
    span: spanAt(source, t.startOffset, (t.endOffset ?? t.startOffset) + 1),
  }));
  if (diagnostics.length > 0) return { comments, diagnostics };
  return { program: cstToAst(cst), comments, diagnostics };
}

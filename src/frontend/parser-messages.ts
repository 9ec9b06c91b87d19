/**
 * Error messages for the parser, phrased for people: "expected ')' but found
 * 'z1'", using token labels. A reserved word where a name belongs reads
 * "found keyword 'data'"; a declaration or statement that starts with a near
 * miss of a keyword (`modle {`, `nett d = ...`) ends with "(did you mean
 * 'model'?)". The parser's exception kind decides the diagnostic code in
 * `parse.ts`; these functions only write the message.
 */
import { EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import { suggestName } from '../util/suggest.js';
import { Identifier, KEYWORDS } from './tokens.js';

const RULE_DESCRIPTIONS: Record<string, string> = {
  program: 'the file',
  constDecl: 'a constant declaration',
  dataDecl: 'a data declaration',
  typeSpec: 'a type',
  modelBlock: 'the model block',
  guideBlock: 'a guide block',
  optionsBlock: 'the options block',
  optionEntry: 'an option',
  statement: 'a statement',
  netDecl: 'a network declaration',
  shapeLiteral: 'a network input shape',
  paramDecl: 'a parameter declaration',
  assignOrSample: 'a definition or sampling statement',
  argumentList: 'an argument list',
  argument: 'an argument',
  expression: 'an expression',
  term: 'an expression',
  unary: 'an expression',
  postfix: 'a slice',
  primary: 'an expression',
};

/** How a token type reads in a message: its label, or its name. */
export function describeTokenType(type: TokenType): string {
  if (type === EOF) return 'end of file';
  return type.LABEL ?? type.name;
}

/** How an actual token reads in a message: its text in quotes, or 'end of file'. */
export function describeToken(token: IToken): string {
  if (token.tokenType === EOF || token.image === '') return 'end of file';
  return `'${token.image}'`;
}

/** Like `describeToken`, but says "keyword 'data'" for a reserved word, where a name was wanted. */
function describeInsteadOfName(token: IToken): string {
  const keyword = KEYWORDS.includes(token.tokenType) && token.image !== '';
  return keyword ? `keyword ${describeToken(token)}` : describeToken(token);
}

/** Keywords that start a top-level item and a statement, for "did you mean 'model'?". */
const ITEM_KEYWORDS = ['data', 'model', 'guide', 'options'];
const STATEMENT_KEYWORDS = ['net', 'param'];
/** Words other languages use to define a name; a Strata definition has no keyword, so suggest none. */
const FOREIGN_KEYWORDS = new Set(['let', 'var', 'val', 'const', 'def']);

/**
 * " (did you mean 'model'?)" when the name a declaration or statement starts
 * with, which the parser then chokes on, is a near miss of a keyword.
 */
function keywordTypo(ruleName: string, first: IToken | undefined): string {
  const candidates = ruleName === 'constDecl' ? ITEM_KEYWORDS : ruleName === 'assignOrSample' ? STATEMENT_KEYWORDS : [];
  if (first?.tokenType !== Identifier || FOREIGN_KEYWORDS.has(first.image)) return '';
  const keyword = suggestName(first.image, candidates);
  return keyword === undefined ? '' : ` (did you mean '${keyword}'?)`;
}

function where(ruleName: string): string {
  const description = RULE_DESCRIPTIONS[ruleName];
  return description === undefined ? '' : ` in ${description}`;
}

/** Lists alternatives as "a, b or c" without repeats. */
export function listAlternatives(items: readonly string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? 'something else';
  return `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

/** The first token of each path, described. */
function firstTokens(paths: readonly (readonly TokenType[])[]): string[] {
  return paths.filter((path) => path.length > 0).map((path) => describeTokenType(path[0]!));
}

/** Rules whose alternatives are the starts of an expression ('-', a number, a name, '('). */
const EXPRESSION_RULES = new Set(['expression', 'term', 'unary', 'postfix', 'primary']);

/** What a repetition needs at least one of, where "at least one '-', a number, ..." would read badly. */
const AT_LEAST_ONE_DESCRIPTIONS: Record<string, string> = {
  typeSpec: 'a size, as in real[4],',
  shapeLiteral: 'a size, as in [28, 28, 1],',
};

/** What may come before the closing brace of a block, for "expected a statement or '}'". */
const BLOCK_CONTENTS: Record<string, string> = {
  modelBlock: 'a statement',
  guideBlock: 'a statement',
  optionsBlock: 'an option',
};

/** Where the file expects a new top-level item. */
function topLevelMessage(found: IToken): string {
  return `expected a declaration, 'model', 'guide' or 'options' but found ${describeToken(found)}`;
}

export const pplErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    if (expected === EOF) return topLevelMessage(actual);
    const found = expected === Identifier ? describeInsteadOfName(actual) : describeToken(actual);
    const contents = BLOCK_CONTENTS[ruleName];
    const wanted = contents !== undefined && expected.name === 'RBrace' && found !== 'end of file' ? `${contents} or '}'` : describeTokenType(expected);
    const typo = expected.name === 'Equals' ? keywordTypo(ruleName, previous) : '';
    return `expected ${wanted} but found ${found}${where(ruleName)}${typo}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return topLevelMessage(firstRedundant);
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, ruleName }) {
    if (EXPRESSION_RULES.has(ruleName)) return `expected an expression but found ${describeInsteadOfName(actual[0]!)}`;
    const expected = listAlternatives(firstTokens(expectedPathsPerAlt.flat(1)));
    return `expected ${expected} but found ${describeToken(actual[0]!)}${where(ruleName)}${keywordTypo(ruleName, previous)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const expected = AT_LEAST_ONE_DESCRIPTIONS[ruleName] ?? `at least one ${listAlternatives(firstTokens(expectedIterationPaths))}`;
    return `expected ${expected} but found ${describeToken(actual[0]!)}${where(ruleName)}`;
  },
};

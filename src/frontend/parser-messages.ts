/**
 * Error messages for the parser, phrased for people: "expected ')' but found
 * 'z1'", using token labels. The parser's exception kind decides the
 * diagnostic code in `parse.ts`; these functions only write the message.
 */
import { EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';

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
  paramDecl: 'a parameter declaration',
  assignOrSample: 'a definition or sampling statement',
  argumentList: 'an argument list',
  argument: 'an argument',
  expression: 'an expression',
  term: 'an expression',
  unary: 'an expression',
  postfix: 'an expression',
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
};

/** What may come before the closing brace of a block, for "expected a statement or '}'". */
const BLOCK_CONTENTS: Record<string, string> = {
  modelBlock: 'a statement',
  guideBlock: 'a statement',
  optionsBlock: 'an option',
};

export const pplErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    const found = describeToken(actual);
    const contents = BLOCK_CONTENTS[ruleName];
    const wanted = contents !== undefined && expected.name === 'RBrace' && found !== 'end of file' ? `${contents} or '}'` : describeTokenType(expected);
    return `expected ${wanted} but found ${found}${where(ruleName)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected a declaration, 'model', 'guide' or 'options' but found ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    if (EXPRESSION_RULES.has(ruleName)) return `expected an expression but found ${describeToken(actual[0]!)}`;
    const expected = listAlternatives(firstTokens(expectedPathsPerAlt.flat(1)));
    return `expected ${expected} but found ${describeToken(actual[0]!)}${where(ruleName)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const expected = AT_LEAST_ONE_DESCRIPTIONS[ruleName] ?? `at least one ${listAlternatives(firstTokens(expectedIterationPaths))}`;
    return `expected ${expected} but found ${describeToken(actual[0]!)}${where(ruleName)}`;
  },
};

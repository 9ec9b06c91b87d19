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

function firstTokens(paths: TokenType[][][] | TokenType[][]): string[] {
  const flat = (paths as unknown[]).flat(1) as TokenType[][];
  return flat.filter((path) => path.length > 0).map((path) => describeTokenType(path[0]!));
}

export const pplErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    return `expected ${describeTokenType(expected)} but found ${describeToken(actual)}${where(ruleName)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected a declaration, 'model', 'guide' or 'options' but found ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const expected = listAlternatives(firstTokens(expectedPathsPerAlt));
    return `expected ${expected} but found ${describeToken(actual[0]!)}${where(ruleName)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const expected = listAlternatives(firstTokens(expectedIterationPaths));
    return `expected at least one ${expected} but found ${describeToken(actual[0]!)}${where(ruleName)}`;
  },
};

/**
 * Syntax error messages read like rustc's: short, lower-case, saying what was
 * expected and what was found, with "keyword 'data'" where a reserved word was
 * used as a name and a suggestion where a keyword looks misspelled.
 */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/frontend/parse.js';

/** The first diagnostic of `source`, as `line:column message`. */
function firstError(source: string): string {
  const d = parseSource(source).diagnostics[0];
  return d === undefined ? 'no error' : `${d.span.start.line}:${d.span.start.column} ${d.message}`;
}

describe('parser messages', () => {
  it.each([
    ['X = model', "1:5 expected an expression but found keyword 'model'"],
    ['X = 1 * )', "1:9 expected an expression but found ')'"],
    ['model {\n  net data = linear(2 -> 3)\n}', "2:7 expected a name but found keyword 'data' in a network declaration"],
    ['model { x = y[1 2] }', "1:17 expected ':' but found '2' in a slice"],
    ['model {\n  x ~ Normal(0, 1)\n}\n}\n', "4:1 expected a declaration, 'model', 'guide' or 'options' but found '}'"],
    ['X = 1\n* X = 2', "2:5 expected a declaration, 'model', 'guide' or 'options' but found '='"],
  ])('%j', (source, message) => {
    expect(firstError(source)).toBe(message);
  });

  it.each([
    ['modle {\n}', "1:7 expected '=' but found '{' in a constant declaration (did you mean 'model'?)"],
    ['gude q {}', "1:6 expected '=' but found 'q' in a constant declaration (did you mean 'guide'?)"],
    ['dat x: real[4]', "1:5 expected '=' but found 'x' in a constant declaration (did you mean 'data'?)"],
    ['model {\n  nett d = linear(2 -> 3)\n}', "2:8 expected '=', ':' or '~' but found 'd' in a definition or sampling statement (did you mean 'net'?)"],
    ['model {\n  parm p: real[2]\n}', "2:8 expected '=', ':' or '~' but found 'p' in a definition or sampling statement (did you mean 'param'?)"],
  ])('suggests the keyword for a near miss: %j', (source, message) => {
    expect(firstError(source)).toBe(message);
  });

  it('suggests no keyword for names far from every keyword, or for other languages\' definition keywords', () => {
    expect(firstError('model {\n  let h = 1\n}')).toBe("2:7 expected '=', ':' or '~' but found 'h' in a definition or sampling statement");
    expect(firstError('Zeta q')).toBe("1:6 expected '=' but found 'q' in a constant declaration");
  });
});

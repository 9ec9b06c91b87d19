/**
 * Every diagnostic code Strata emits, with a short title. Codes are stable:
 * PPL1xxx are syntax errors (lexer and parser), PPL2xxx semantic errors and
 * warnings (checker). docs/language.md documents each one with an example.
 */
export const DIAGNOSTIC_CODES = {
  PPL1001: 'unexpected character',
  PPL1002: 'unexpected token',
  PPL1003: 'no valid statement or expression here',
  PPL1004: 'expected at least one item',
  PPL1005: 'unexpected input after the end of the file',
  PPL2001: 'undefined name',
  PPL2002: 'duplicate declaration',
  PPL2003: 'shape mismatch in a network input',
  PPL2004: 'shapes do not broadcast',
  PPL2005: 'unknown distribution',
  PPL2006: 'wrong distribution arguments',
  PPL2007: 'distribution parameter has the wrong shape',
  PPL2008: 'parameter is not provably positive',
  PPL2009: 'cycle in the model graph',
  PPL2010: 'latent variable not sampled in a guide',
  PPL2011: 'variable sampled more than once',
  PPL2012: 'guide samples observed data',
  PPL2013: 'used before it is sampled in a guide',
  PPL2014: 'data is never observed',
  PPL2015: 'sampled variable needs a type',
  PPL2016: 'unused declaration',
  PPL2017: 'distribution does not fit the data type',
  PPL2018: 'invalid network specification',
  PPL2019: 'invalid slice',
  PPL2020: 'unknown function',
  PPL2021: 'wrong number of arguments',
  PPL2022: 'invalid constant expression',
  PPL2023: 'no usable guide',
  PPL2024: 'unknown or invalid option',
  PPL2025: 'not a random variable',
  PPL2026: 'invalid parameter declaration',
  PPL2027: 'expected a tensor, found something else',
  PPL2028: 'missing or repeated model block',
  PPL2029: 'type annotation not allowed here',
  PPL2030: 'guide support outside the model\'s support',
  // 2041-2049: image-shaped data and convolutional networks
  PPL2041: 'network layer does not fit its input shape',
  PPL2042: 'latent variable must be a vector',
  // 2050-2059: normalizing flows, VampPrior and mixture priors
  PPL2050: 'invalid normalizing flow',
  PPL2051: 'construct not allowed in this block',
  PPL2052: 'invalid VampPrior',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

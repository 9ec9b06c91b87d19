/**
 * The tfjs backend layer: numeric primitives for compiled models. Depends on
 * util and diagnostics only; never on the front end.
 */
export * from './backend.js';
export * from './fast-gradients.js';
export * from './random.js';
export * from './distributions/index.js';
export { linearForward } from './ops/linear.js';
export { logMeanExp } from './ops/log-mean-exp.js';
export { logSumExpStable } from './ops/log-sum-exp-stable.js';
export { stopGradient } from './ops/stop-gradient.js';
export { lgamma, lbeta } from './ops/lgamma.js';
export { digamma } from './ops/digamma.js';
export { trigamma } from './ops/trigamma.js';

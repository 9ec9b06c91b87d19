export * from './distribution.js';
export { Normal } from './normal.js';
export { Laplace, LAPLACE_NOISE_MARGIN } from './laplace.js';
export { Bernoulli } from './bernoulli.js';

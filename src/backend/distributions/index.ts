export * from './distribution.js';
export { Normal } from './normal.js';
export { Laplace, LAPLACE_NOISE_MARGIN } from './laplace.js';
export { StudentT } from './student-t.js';
export { LogNormal } from './log-normal.js';
export { Gamma } from './gamma.js';
export { Beta } from './beta.js';
export { Exponential } from './exponential.js';
export { Bernoulli } from './bernoulli.js';

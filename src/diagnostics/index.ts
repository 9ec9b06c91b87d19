export * from './span.js';
export * from './codes.js';
export * from './diagnostic.js';
export * from './render.js';

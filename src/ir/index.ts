export * from './ir.js';
export * from './flows.js';

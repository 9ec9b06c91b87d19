export type { FlowLayer, FlowStep } from './flow-layer.js';
export { PlanarLayer } from './planar.js';
export { IafLayer, IAF_GATE_BIAS, type IafWeights, type IafOptions } from './iaf.js';
export { CouplingLayer, couplingSplit, type CouplingWeights, type CouplingOptions } from './coupling.js';
export { madeMasks, type MadeMasks } from './made-masks.js';

/**
 * Strata: a probabilistic-programming language for latent-variable models
 * with importance-weighted variational inference on TensorFlow.js.
 *
 * ```ts
 * import { loadModel, bundledModel, infer, openRun } from 'strata-ppl';
 * const model = await loadModel(bundledModel('tdvae'), { guide: 'topdown' });
 * const { history } = await infer(model, { data: { x }, objective: 'tdiwae', k: 10 });
 * const logpx = await model.bound(testX, { k: 5000 });   // seed 0 unless given
 * const { model: trained } = await openRun('runs/demo'); // a run from `strata train`
 * ```
 *
 * ESM only (`import`, not `require`). Public types are tfjs-core's
 * (`@tensorflow/tfjs-core`), never tfjs-layers'.
 */
export { loadModel, compileModel, type LoadOptions } from './driver/load-model.js';
export { openRun, type OpenedRun } from './driver/open-run.js';
export type { DataSpec } from './driver/run-data.js';
export { bundledModel, bundledModelNames } from './driver/bundled-model.js';
export { infer, type InferOptions, type InferResult } from './driver/infer.js';
export { StrataModel, type ParameterValue } from './driver/strata-model.js';
export { StrataError } from './driver/strata-error.js';
export type { DataInput, DataArray } from './driver/data-input.js';
export { checkSource, type CheckResult } from './frontend/check.js';
export type { Diagnostic, Severity } from './diagnostics/diagnostic.js';
export { renderDiagnostics } from './diagnostics/render.js';
export type { IrModel } from './ir/ir.js';
export { selectBackend, activeBackendName } from './backend/backend.js';
export { CiwaeObjective, createObjective, IwaeObjective, MiwaeObjective, PiwaeObjective, TdIwaeObjective, VaeObjective, VimcoObjective, OBJECTIVE_NAMES, type Objective, type ObjectiveName, type GradientEstimator } from './inference/objectives/index.js';
export { LearnedBeta, type LearnedBetaState } from './inference/objectives/index.js';
export type { EpochRecord, TrainPosition } from './inference/train.js';
export { enumerateJoint, enumerateStates, exactLogMarginal, type EnumerateOptions, type EnumeratedJoint, type EnumeratedStates } from './inference/enumerate.js';
export { exactElbo, exactIwaeBound } from './inference/exact-bounds.js';
export type { TemperatureSchedule, TemperatureSpec } from './inference/temperature.js';
export type { DiscreteMode } from './backend/compile/trace.js';
export type { AnnealSchedule, AnnealSpec } from './inference/anneal.js';
export type { SirResult } from './inference/sir.js';
export { NonFiniteError } from './inference/train-step.js';

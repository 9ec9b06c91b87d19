/**
 * Whether a checkpoint fits a model: the same source (by SHA-256), the same
 * parameter names and shapes, and Adam slots for exactly those parameters.
 * Each check lists every problem it finds, not only the first.
 */
import { UserError } from '../../util/user-error.js';
import type { ParameterValue, StrataModel } from '../strata-model.js';
import type { AdamState } from './adam-state.js';
import type { LoadedCheckpoint, RestoreOptions } from './checkpoint.js';
import { sourceSha256 } from './run-info.js';
import { SafetensorsError } from './safetensors.js';

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;
const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Refuses a checkpoint saved from different source text unless `allowSourceChange`.
 * @throws UserError naming both hashes; Error when neither `source` nor `allowSourceChange` is given
 */
export function checkSource(loaded: LoadedCheckpoint, model: StrataModel, options: RestoreOptions): void {
  if (options.allowSourceChange === true) return;
  if (options.source === undefined) throw new Error('restoreInto: pass the model\'s source (checked against the checkpoint) or allowSourceChange: true');
  const saved = loaded.runInfo.model.sha256;
  const now = sourceSha256(options.source);
  if (saved !== now) {
    throw new UserError(
      `checkpoint '${loaded.dir}' was saved from different source for ${loaded.runInfo.model.path} (sha256 ${saved.slice(0, 12)}…) ` +
        `than ${model.name} now has (${now.slice(0, 12)}…); allow the source change to resume anyway`,
    );
  }
}

/** One line per parameter that is missing, extra or of another shape (empty when they fit). */
export function parameterMismatches(model: StrataModel, parameters: Readonly<Record<string, ParameterValue>>): string[] {
  const problems: string[] = [];
  const known = new Set<string>();
  for (const p of model.ir.parameters) {
    known.add(p.name);
    const saved = Object.hasOwn(parameters, p.name) ? parameters[p.name] : undefined;
    if (saved === undefined) problems.push(`'${p.name}' ${shapeText(p.shape)} is missing from the checkpoint`);
    else if (!sameShape(saved.shape, p.shape)) problems.push(`'${p.name}' is ${shapeText(saved.shape)} in the checkpoint but ${shapeText(p.shape)} in the model`);
  }
  for (const name of Object.keys(parameters)) {
    if (!known.has(name)) problems.push(`'${name}' ${shapeText(parameters[name]!.shape)} is not a parameter of the model`);
  }
  return problems;
}

/**
 * Adam matches slots to variables by position, so the slots must cover all
 * parameters (or none, before the first step) with the parameters' shapes.
 * @throws SafetensorsError naming the optimizer file and every problem
 */
export function checkSlots(state: AdamState, parameters: Readonly<Record<string, ParameterValue>>, path: string): void {
  if (state.slots.size === 0) return;
  const problems: string[] = [];
  for (const [name, slots] of state.slots) {
    const p = Object.hasOwn(parameters, name) ? parameters[name] : undefined;
    if (p === undefined) problems.push(`slots for '${name}', which is not a saved parameter`);
    else if (!sameShape(p.shape, slots.shape)) problems.push(`slots of '${name}' are ${shapeText(slots.shape)} but the parameter is ${shapeText(p.shape)}`);
  }
  const without = Object.keys(parameters).filter((name) => !state.slots.has(name));
  if (without.length > 0) problems.push(`no slots for ${without.map((n) => `'${n}'`).join(', ')}`);
  if (problems.length > 0) throw new SafetensorsError(path, problems.join('; '));
}

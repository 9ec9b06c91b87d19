/**
 * Command-line specs of discrete latents:
 * - `--discrete z:relaxed,c:score` chooses each latent's training mode
 *   (`score`, `relaxed` or `straight-through`; `st` is short for the last);
 * - `--temperature z:1.0->0.5@5000` lowers a relaxed latent's temperature
 *   geometrically from 1 to 0.5 over 5000 optimizer steps (`@3ep`: over 3
 *   epochs); `z:0.5` keeps it at 0.5.
 */
import { DISCRETE_MODES, type DiscreteMode } from '../backend/compile/trace.js';
import type { TemperatureSchedule, TemperatureSpec } from '../inference/temperature.js';
import { UserError } from '../util/user-error.js';

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const NUMBER = '[0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?';
const TEMPERATURE = new RegExp(`^(${NAME}):(${NUMBER})(?:->(${NUMBER})@(${NUMBER})(ep|epochs?)?)?$`);
const MODE = new RegExp(`^(${NAME}):([a-z-]+)$`);

function items(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Parses `NAME:MODE` items separated by commas. */
export function parseDiscreteSpec(text: string): Record<string, DiscreteMode> {
  const out: Record<string, DiscreteMode> = {};
  for (const item of items(text)) {
    const match = MODE.exec(item);
    const mode = match?.[2] === 'st' ? 'straight-through' : match?.[2];
    if (!match || !DISCRETE_MODES.includes(mode as DiscreteMode)) {
      throw new UserError(`--discrete: cannot read '${item}'; write LATENT:MODE with MODE one of ${DISCRETE_MODES.join(', ')}, e.g. z:relaxed`);
    }
    if (out[match[1]!]) throw new UserError(`--discrete: '${match[1]}' is given twice`);
    out[match[1]!] = mode as DiscreteMode;
  }
  if (Object.keys(out).length === 0) throw new UserError('--discrete: expected one or more LATENT:MODE, comma-separated');
  return out;
}

/** Parses `NAME:FROM[->TO@N[ep]]` items separated by commas. */
export function parseTemperatureSpec(text: string): TemperatureSchedule {
  const out: Record<string, TemperatureSpec> = {};
  for (const item of items(text)) {
    const match = TEMPERATURE.exec(item);
    if (!match) throw new UserError(`--temperature: cannot read '${item}'; write LATENT:FROM->TO@STEPS, LATENT:FROM->TO@EPOCHSep or LATENT:VALUE, e.g. z:1.0->0.5@5000`);
    const [, name, from, to, length, unit] = match;
    if (out[name!]) throw new UserError(`--temperature: '${name}' is given twice`);
    out[name!] = to === undefined ? { from: Number(from) } : { from: Number(from), to: Number(to), ...(unit ? { epochs: Number(length) } : { steps: Number(length) }) };
  }
  if (Object.keys(out).length === 0) throw new UserError('--temperature: expected one or more LATENT:FROM->TO@STEPS, comma-separated');
  return out;
}

/**
 * Command-line annealing specs: `z2:0.1@2500` ramps β of z2 from 0.1 to 1 over
 * 2500 optimizer steps; `z2:0.1@3ep` over 3 epochs. Several are comma-separated.
 */
import type { AnnealSchedule, AnnealSpec } from '../inference/anneal.js';
import { UserError } from '../util/user-error.js';

const PATTERN = /^([A-Za-z_][A-Za-z0-9_]*):([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)@([0-9]*\.?[0-9]+)(ep|epochs?)?$/;

/** Parses `NAME:FROM@N[ep]` items separated by commas. */
export function parseAnnealSpec(text: string): AnnealSchedule {
  const schedule: Record<string, AnnealSpec> = {};
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s.length > 0)) {
    const match = PATTERN.exec(item);
    if (!match) throw new UserError(`--anneal: cannot read '${item}'; write LATENT:FROM@STEPS or LATENT:FROM@EPOCHSep, e.g. z2:0.1@2500 or z2:0.1@3ep`);
    const [, name, from, length, unit] = match;
    if (schedule[name!]) throw new UserError(`--anneal: '${name}' is given twice`);
    schedule[name!] = unit ? { from: Number(from), epochs: Number(length) } : { from: Number(from), steps: Number(length) };
  }
  return schedule;
}

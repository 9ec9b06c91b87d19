/**
 * Temperature schedules of relaxed discrete latents: λ falls geometrically
 * from `from` to `to` over `steps` optimizer steps or `epochs` epochs, then
 * stays at `to` (an exponential decay to a floor, as Jang, Gu and Poole 2017
 * anneal τ = max(0.5, exp(−rt))):
 *   λ(t) = from · (to / from)^min(1, t / N)
 * Without `to`, λ = from throughout.
 */
import { UserError } from '../util/user-error.js';

export interface TemperatureSpec {
  /** λ at the start (> 0). */
  readonly from: number;
  /** λ at the end of the ramp (> 0); absent for a constant temperature. */
  readonly to?: number;
  /** Length of the ramp in optimizer steps. */
  readonly steps?: number;
  /** Length of the ramp in epochs (fractional epochs count steps within an epoch). */
  readonly epochs?: number;
}

export type TemperatureSchedule = Readonly<Record<string, TemperatureSpec>>;

/** The temperature of a relaxed latent without a schedule. */
export const DEFAULT_TEMPERATURE = 1;

/**
 * Checks a schedule: its latents are among `relaxed`, temperatures are
 * positive and a ramp has exactly one positive length.
 * @param relaxed the latents trained relaxed or straight-through
 */
export function validateTemperatures(schedule: TemperatureSchedule, relaxed: readonly string[]): void {
  for (const [name, spec] of Object.entries(schedule)) {
    if (!relaxed.includes(name)) {
      throw new UserError(`temperature: '${name}' is not a relaxed latent${relaxed.length > 0 ? ` (relaxed: ${relaxed.join(', ')})` : ''}; relax it first with --discrete ${name}:relaxed (or straight-through)`);
    }
    for (const [field, value] of [['from', spec.from], ['to', spec.to]] as const) {
      if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
        throw new UserError(`temperature: '${name}'.${field} must be a positive number, but got ${String(value)}`);
      }
    }
    if (spec.to === undefined) {
      if (spec.steps !== undefined || spec.epochs !== undefined) throw new UserError(`temperature: '${name}' has a ramp length but no final temperature 'to'`);
      continue;
    }
    if ((spec.epochs === undefined) === (spec.steps === undefined)) throw new UserError(`temperature: give '${name}' exactly one of epochs or steps`);
    const n = spec.epochs ?? spec.steps!;
    if (!(n > 0)) throw new UserError(`temperature: the ramp length of '${name}' must be positive, but got ${n}`);
  }
}

/**
 * λ for every scheduled latent at a point of training.
 * @param step optimizer steps taken so far
 * @param epoch epochs completed so far, fractional within an epoch
 */
export function temperaturesAt(schedule: TemperatureSchedule, step: number, epoch: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, spec] of Object.entries(schedule)) {
    if (spec.to === undefined) {
      out[name] = spec.from;
      continue;
    }
    const progress = Math.min(1, spec.steps !== undefined ? step / spec.steps : epoch / spec.epochs!);
    out[name] = spec.from * (spec.to / spec.from) ** progress;
  }
  return out;
}

/**
 * β-annealing per latent: β rises linearly from `from` to 1 over `epochs`
 * epochs or `steps` optimizer steps, then stays at 1 (seed 000, sec. 5.2:
 * z2's terms annealed from 0.1 to 1).
 *   β(t) = from + (1 − from) · min(1, t / N)
 */
import { UserError } from '../util/user-error.js';
export interface AnnealSpec {
  /** β at the start, in [0, 1]. */
  readonly from: number;
  /** Length of the ramp in epochs (fractional epochs count steps within an epoch). */
  readonly epochs?: number;
  /** Length of the ramp in optimizer steps. */
  readonly steps?: number;
}

export type AnnealSchedule = Readonly<Record<string, AnnealSpec>>;

/** Checks a schedule against the model's latents; throws with what is wrong. */
export function validateSchedule(schedule: AnnealSchedule, latents: readonly string[]): void {
  for (const [name, spec] of Object.entries(schedule)) {
    if (!latents.includes(name)) throw new UserError(`anneal: '${name}' is not a latent variable of the model (latents: ${latents.join(', ')})`);
    if (!(spec.from >= 0 && spec.from <= 1)) throw new UserError(`anneal: '${name}'.from must be in [0, 1], but got ${spec.from}`);
    if ((spec.epochs === undefined) === (spec.steps === undefined)) throw new UserError(`anneal: give '${name}' exactly one of epochs or steps`);
    const n = spec.epochs ?? spec.steps!;
    if (!(n > 0)) throw new UserError(`anneal: the ramp length of '${name}' must be positive, but got ${n}`);
  }
}

/**
 * β for every annealed latent at a point of training.
 * @param step optimizer steps taken so far
 * @param epoch epochs completed so far, fractional within an epoch
 */
export function betasAt(schedule: AnnealSchedule, step: number, epoch: number): Map<string, number> {
  const betas = new Map<string, number>();
  for (const [name, spec] of Object.entries(schedule)) {
    const progress = spec.steps !== undefined ? step / spec.steps : epoch / spec.epochs!;
    betas.set(name, spec.from + (1 - spec.from) * Math.min(1, progress));
  }
  return betas;
}

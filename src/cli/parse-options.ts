/** Parsers for numeric command-line options, with messages that name the flag. */
import { InvalidArgumentError } from 'commander';

/** A positive integer (`--epochs 10`). */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}

/** Any integer, 0 included (`--seed 0`). */
export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || value.trim() === '') throw new InvalidArgumentError(`expected an integer, got '${value}'`);
  return n;
}

/** A positive real number (`--lr 1e-4`). */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a positive number, got '${value}'`);
  return n;
}

/** A number in [0, 1] (`--beta 0.5`). */
export function unitInterval(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1) || value.trim() === '') throw new InvalidArgumentError(`expected a number in [0, 1], got '${value}'`);
  return n;
}

/** A number strictly between 0 and 1 (a learned CIWAE β's start: the sigmoid never reaches 0 or 1). */
export function openUnitInterval(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1) || value.trim() === '') throw new InvalidArgumentError(`expected a number strictly between 0 and 1, got '${value}'`);
  return n;
}

/** CIWAE's β: a number in [0, 1], or `learn`. */
export function betaOption(value: string): number | 'learn' {
  return value.trim() === 'learn' ? 'learn' : unitInterval(value);
}

/** Free bits per latent, `z1:0.5,z2:0.25` (λ in nats, non-negative). */
export function freeBitsList(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of value.split(',').map((s) => s.trim()).filter((s) => s.length > 0)) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*):(.+)$/.exec(part);
    const lambda = match ? Number(match[2]) : NaN;
    if (!match || !(lambda >= 0) || !Number.isFinite(lambda)) throw new InvalidArgumentError(`expected LATENT:NATS with NATS >= 0 (e.g. z1:0.5), got '${part}'`);
    out[match[1]!] = lambda;
  }
  if (Object.keys(out).length === 0) throw new InvalidArgumentError('expected one or more LATENT:NATS, comma-separated');
  return out;
}

/** A comma-separated list of names (`--latents z1,z2`). */
export function nameList(value: string): string[] {
  const names = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new InvalidArgumentError('expected one or more comma-separated names');
  return names;
}

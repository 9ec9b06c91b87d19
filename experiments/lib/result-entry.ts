/**
 * One configuration's entry in results.json, read from its run directory:
 * the finished result (its RESULT_FILE), or how far an unfinished one got
 * (the epoch in its checkpoint's run.json), or pending (no directory yet).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULT_FILE } from './reproduction.js';

/** A configuration without a result file yet. */
export interface UnfinishedEntry {
  readonly name: string;
  readonly label: string;
  /** `partial`: a checkpoint exists; `pending`: not started. */
  readonly status: 'pending' | 'partial';
  readonly epochsDone: number;
  readonly epochs: number;
  /** The run directory, relative to the out directory. */
  readonly runDir: string;
}

/**
 * @param out the out directory, holding one run directory per configuration
 * @param c the configuration's name (its run directory) and table label
 * @param epochs the epochs the budget trains
 * @returns the parsed RESULT_FILE (typed `R` by the caller), or an UnfinishedEntry
 * @example await readResultEntry<ConfigurationResult>(out, { name: 'iwae-k64', label: 'IWAE(64)' }, 3280)
 */
export async function readResultEntry<R>(out: string, c: { readonly name: string; readonly label: string }, epochs: number): Promise<R | UnfinishedEntry> {
  const dir = join(out, c.name);
  const text = await readFile(join(dir, RESULT_FILE), 'utf8').catch(() => undefined);
  if (text !== undefined) return JSON.parse(text) as R;
  const run = await readFile(join(dir, 'run.json'), 'utf8').catch(() => undefined);
  const epochsDone = run === undefined ? 0 : (JSON.parse(run) as { position: { epoch: number } }).position.epoch;
  return { name: c.name, label: c.label, status: run === undefined ? 'pending' : 'partial', epochsDone, epochs, runDir: c.name };
}

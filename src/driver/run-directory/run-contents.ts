/**
 * What a directory given as `--out` holds: nothing, a Strata run (described
 * in one phrase for the refusal message: model, epochs, last bound), or files
 * that are not a run; and the temporary files that killed saves left.
 */
import { readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../../util/user-error.js';
import { parseRunJson } from '../checkpoint/run-info.js';
import { LOCK_FILE, processIsAlive } from './run-lock.js';

/** Files a run directory holds, by the writer that makes them (run.json, model copy, metrics, tensors, lock). */
const RUN_FILE = /^(run\.json|model\.ppl|metrics\.jsonl|(params|optimizer)-\d{6,}\.safetensors)$/;
/** A temporary file of an atomic write (`.NAME.PID.HEX.tmp`), or a lock being taken over (`train.lock.stale-PID-HEX`). */
const TEMP_FILE = /^(?:\.[^/]+\.(\d+)\.[0-9a-f]+\.tmp|train\.lock\.stale-(\d+)-[0-9a-f]+)$/;

export type RunDirectoryContents =
  | { readonly kind: 'absent' }
  | { readonly kind: 'not-a-directory' }
  | { readonly kind: 'empty' }
  /** `summary`: "model models/x.ppl, epoch 3 of 10, last bound -20.125". */
  | { readonly kind: 'run'; readonly summary: string }
  | { readonly kind: 'foreign'; readonly files: readonly string[] };

const lastBound = (bound: unknown) => (typeof bound === 'number' ? `last bound ${bound.toFixed(3)}` : 'no epoch finished');

/** The phrase naming the run in `dir`, from run.json, else from what a run killed before its first checkpoint left. */
async function describeRun(dir: string, names: readonly string[]): Promise<string> {
  const runPath = join(dir, 'run.json');
  if (names.includes('run.json')) {
    try {
      const run = parseRunJson(await readFile(runPath, 'utf8'), runPath);
      const stopped = run.position.step > 0 ? `, step ${run.position.step}` : '';
      return `model ${run.model.path}, epoch ${run.position.epoch}${stopped} of ${run.options.epochs}, ${lastBound(run.metrics?.bound)}`;
    } catch (error) {
      return `a run.json that cannot be read: ${errorMessage(error)}`;
    }
  }
  const metrics = await readFile(join(dir, 'metrics.jsonl'), 'utf8').catch(() => '');
  const lines = metrics.split('\n').filter((l) => l.trim() !== '');
  let bound: unknown;
  try {
    bound = (JSON.parse(lines.at(-1) ?? 'null') as { bound?: unknown } | null)?.bound;
  } catch {
    bound = undefined;
  }
  return `no checkpoint yet, ${lines.length} epoch${lines.length === 1 ? '' : 's'} in metrics.jsonl, ${lastBound(bound)}`;
}

/** Classifies `dir` (the lock file and temporary files do not count as contents). */
export async function runDirectoryContents(dir: string): Promise<RunDirectoryContents> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined) return { kind: 'absent' };
  if (!info.isDirectory()) return { kind: 'not-a-directory' };
  const names = (await readdir(dir)).filter((n) => n !== LOCK_FILE && !TEMP_FILE.test(n)).sort();
  if (names.length === 0) return { kind: 'empty' };
  if (names.some((n) => RUN_FILE.test(n))) return { kind: 'run', summary: await describeRun(dir, names) };
  return { kind: 'foreign', files: names };
}

/**
 * Deletes the temporary files in `dir` whose writing process is gone (a save
 * killed between creating its temporary file and renaming it). Files of live
 * processes, this one included, are left alone: they may be mid-write.
 *
 * @returns the names removed
 */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const stale = names.sort().filter((name) => {
    const match = TEMP_FILE.exec(name);
    if (!match) return false;
    const pid = Number(match[1] ?? match[2]);
    return pid !== process.pid && !processIsAlive(pid);
  });
  await Promise.all(stale.map((name) => unlink(join(dir, name)).catch(() => undefined)));
  return stale;
}

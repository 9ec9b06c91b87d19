/**
 * The loop every reproduction runs: each configuration of a budget in its own
 * run directory under the out directory (one writer, by a run lock), finished
 * ones (holding their result file) skipped, unfinished ones resumed, and
 * results.json and results.md rewritten after each configuration and at the end.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { activeBackendName, selectBackend } from '../../src/index.js';
import type { LoadedDataset } from '../../src/data/index.js';
import { acquireRunLock } from '../../src/driver/run-directory/run-lock.js';
import { writeFileAtomic } from '../../src/util/atomic-write.js';
import { UserError } from '../../src/util/user-error.js';
import { machineInfo } from '../../bench/machine.js';
import { repoRoot } from '../../bench/paths.js';
import { loadMnist } from './mnist-data.js';
import { createReproduceProgress, type ReproduceProgress } from './progress.js';

/** Each configuration's run directory holds this file once it is finished. */
export const RESULT_FILE = 'result.json';

/** The options every reproduction's command takes. */
export interface ReproductionOptions<BudgetName extends string> {
  readonly budget: BudgetName;
  /** Train this many epochs of the schedule instead of the budget's. */
  readonly epochs?: number;
  /** Default: experiments/<name>/runs/<budget>, or runs/<budget>-<epochs>ep with `epochs`. */
  readonly out?: string;
  /** The data directory (holding mnist/); default $STRATA_DATA, else ../shared/data. */
  readonly dataDir?: string;
  /** Only these configurations (by name). */
  readonly only?: readonly string[];
  readonly backend?: string;
  readonly interactive?: boolean;
  /** Where progress lines go (default stderr). */
  readonly write?: (line: string) => void;
  /** Polled between training steps; true stops with a checkpoint (Ctrl-C). */
  readonly shouldStop?: () => boolean;
}

/** What a budget must say for the loop. */
export interface LoopBudget<C> {
  readonly name: string;
  readonly seed: number;
  readonly trainRows?: number;
  readonly testRows?: number;
  readonly configurations: readonly C[];
}

export type Machine = ReturnType<typeof machineInfo> & { readonly backend: string };

/** One reproduction, as the loop drives it. */
export interface Reproduction<C extends { readonly name: string }, B extends LoopBudget<C>, R> {
  readonly experiment: string;
  readonly budget: B;
  readonly describeBudget: (budget: B) => string;
  /** Trains (or resumes) and evaluates one configuration, writing its RESULT_FILE; true when stopped before finishing. */
  readonly runConfiguration: (c: C, context: { out: string; dataDir: string; data: LoadedDataset; machine: Machine; progress: ReproduceProgress; shouldStop?: () => boolean }) => Promise<boolean>;
  readonly collectResults: (out: string, budget: B) => Promise<R>;
  readonly resultsTable: (results: R) => string;
  /** The data every configuration trains on, loaded once (default MNIST with the budget's rows). */
  readonly loadData?: (dataDir: string, budget: B) => Promise<LoadedDataset>;
}

/** The default out directory of a budget (with its epochs when overridden). */
export function defaultOut(experiment: string, budget: string, epochs?: number): string {
  return join(repoRoot(), 'experiments', experiment, 'runs', epochs === undefined ? budget : `${budget}-${epochs}ep`);
}

/** The budget's configurations, or the `only` ones among them. */
export function selectConfigurations<C extends { readonly name: string }>(experiment: string, budget: LoopBudget<C>, only: readonly string[] | undefined): C[] {
  if (!only || only.length === 0) return [...budget.configurations];
  const names = budget.configurations.map((c) => c.name);
  const unknown = only.filter((n) => !names.includes(n));
  if (unknown.length > 0) throw new UserError(`${experiment}: the ${budget.name} budget has no configuration ${unknown.join(', ')}; it has ${names.join(', ')}`);
  return budget.configurations.filter((c) => only.includes(c.name));
}

async function writeResults<C extends { readonly name: string }, B extends LoopBudget<C>, R>(r: Reproduction<C, B, R>, out: string): Promise<R> {
  const results = await r.collectResults(out, r.budget);
  await writeFileAtomic(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFileAtomic(join(out, 'results.md'), r.resultsTable(results));
  return results;
}

/** Runs the configurations into `out` (resolved); resolves with the results and whether it was stopped. */
export async function runReproduction<C extends { readonly name: string }, B extends LoopBudget<C>, R>(
  r: Reproduction<C, B, R>,
  configurations: readonly C[],
  dataDir: string,
  out: string,
  options: Pick<ReproductionOptions<string>, 'backend' | 'interactive' | 'write' | 'shouldStop'>,
): Promise<{ out: string; interrupted: boolean; results: R }> {
  await mkdir(out, { recursive: true });
  const lock = await acquireRunLock(out);
  const progress = createReproduceProgress(configurations.length, { ...(options.interactive === undefined ? {} : { interactive: options.interactive }), ...(options.write ? { write: options.write } : {}) });
  let interrupted = false;
  try {
    await selectBackend(options.backend);
    const machine = { ...machineInfo(repoRoot()), backend: activeBackendName() ?? 'unknown' };
    progress.log(`${r.experiment}, budget ${r.describeBudget(r.budget)}`);
    progress.log(`out: ${out}  data: ${dataDir}  backend: ${machine.backend}  (${machine.cpu}, ${machine.cores} cores)`);
    const todo = configurations.filter((c) => !existsSync(join(out, c.name, RESULT_FILE)));
    const { budget } = r;
    const load = r.loadData ?? ((dir: string, b: B) => loadMnist(dir, { seed: b.seed, ...(b.trainRows === undefined ? {} : { trainRows: b.trainRows }), ...(b.testRows === undefined ? {} : { testRows: b.testRows }) }));
    const data = todo.length > 0 ? await load(dataDir, budget) : undefined;
    for (const c of configurations) {
      if (!todo.includes(c)) {
        progress.log(`${c.name}: done earlier, skipped (${join(out, c.name, RESULT_FILE)})`);
      } else {
        if (options.shouldStop?.()) {
          interrupted = true;
          break;
        }
        interrupted = await r.runConfiguration(c, { out, dataDir, data: data!, machine, progress, ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}) });
        if (interrupted) break;
      }
      progress.configurationDone();
      await writeResults(r, out);
    }
  } finally {
    progress.stop();
    await lock.release();
  }
  return { out, interrupted, results: await writeResults(r, out) };
}

/**
 * `npm run reproduce -- burda-mnist`: trains and evaluates every
 * configuration of a budget, each in its own run directory under the out
 * directory, skipping finished ones and resuming unfinished ones, then writes
 * results.json and results.md there.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { activeBackendName, selectBackend } from '../../src/index.js';
import { acquireRunLock } from '../../src/driver/run-directory/run-lock.js';
import { writeFileAtomic } from '../../src/util/atomic-write.js';
import { UserError } from '../../src/util/user-error.js';
import { machineInfo } from '../../bench/machine.js';
import { repoRoot } from '../../bench/paths.js';
import { createReproduceProgress, type ReproduceProgress } from '../lib/progress.js';
import { BUDGETS, describeBudget, type Budget, type BudgetName, type Configuration } from './budgets.js';
import { findMnistDir, loadMnist } from './data.js';
import { evaluateConfiguration } from './evaluate-configuration.js';
import { collectResults, publishedFor, RESULT_FILE, resultsTable, type ConfigurationResult } from './results.js';
import { BURDA_ADAM, BURDA_EPOCHS, schedulePrefix } from './schedule.js';
import { trainConfiguration } from './train-configuration.js';

export interface BurdaMnistOptions {
  readonly budget: BudgetName;
  /** Train this many epochs of the schedule instead of the budget's (a longer or shorter run of its configurations). */
  readonly epochs?: number;
  /** Default: experiments/burda-mnist/runs/<budget>, or runs/<budget>-<epochs>ep with `epochs`. */
  readonly out?: string;
  /** The data directory (holding mnist/); default $STRATA_DATA, else ../shared/data. */
  readonly dataDir?: string;
  /** Only these configurations (names such as `1layer-iwae-k50`). */
  readonly only?: readonly string[];
  readonly backend?: string;
  readonly interactive?: boolean;
  /** Where progress lines go (default stderr). */
  readonly write?: (line: string) => void;
  /** Polled between training steps; true stops with a checkpoint (Ctrl-C). */
  readonly shouldStop?: () => boolean;
}

/** The default out directory of a budget (with its epochs when overridden). */
export function defaultOut(budget: BudgetName, epochs?: number): string {
  return join(repoRoot(), 'experiments', 'burda-mnist', 'runs', epochs === undefined ? budget : `${budget}-${epochs}ep`);
}

/** The budget, with its epochs overridden when asked. */
export function budgetFor(name: BudgetName, epochs?: number): Budget {
  if (epochs === undefined) return BUDGETS[name];
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > BURDA_EPOCHS) throw new UserError(`burda-mnist: --epochs must be an integer from 1 to ${BURDA_EPOCHS} (the paper's schedule), but got ${epochs}`);
  return { ...BUDGETS[name], epochs };
}

function selected(budget: Budget, only: readonly string[] | undefined): Configuration[] {
  if (!only || only.length === 0) return [...budget.configurations];
  const names = budget.configurations.map((c) => c.name);
  const unknown = only.filter((n) => !names.includes(n));
  if (unknown.length > 0) throw new UserError(`burda-mnist: the ${budget.name} budget has no configuration ${unknown.join(', ')}; it has ${names.join(', ')}`);
  return budget.configurations.filter((c) => only.includes(c.name));
}

/** Runs the reproduction; resolves with the results and whether it was stopped. */
export async function runBurdaMnist(options: BurdaMnistOptions): Promise<{ out: string; interrupted: boolean; results: Awaited<ReturnType<typeof collectResults>> }> {
  const budget = budgetFor(options.budget, options.epochs);
  const configurations = selected(budget, options.only);
  const dataDir = findMnistDir(options.dataDir);
  const out = resolve(options.out ?? defaultOut(budget.name, options.epochs));
  await mkdir(out, { recursive: true });
  const lock = await acquireRunLock(out);
  const progress = createReproduceProgress(configurations.length, { ...(options.interactive === undefined ? {} : { interactive: options.interactive }), ...(options.write ? { write: options.write } : {}) });
  let interrupted = false;
  try {
    await selectBackend(options.backend);
    const machine = { ...machineInfo(repoRoot()), backend: activeBackendName() ?? 'unknown' };
    progress.log(`burda-mnist, budget ${describeBudget(budget)}`);
    progress.log(`out: ${out}  data: ${dataDir}  backend: ${machine.backend}  (${machine.cpu}, ${machine.cores} cores)`);
    const todo = configurations.filter((c) => !existsSync(join(out, c.name, RESULT_FILE)));
    const data = todo.length > 0 ? await loadMnist(dataDir, { seed: budget.seed, ...(budget.trainRows === undefined ? {} : { trainRows: budget.trainRows }), ...(budget.testRows === undefined ? {} : { testRows: budget.testRows }) }) : undefined;
    for (const c of configurations) {
      if (!todo.includes(c)) {
        progress.log(`${c.name}: done earlier, skipped (${join(out, c.name, RESULT_FILE)})`);
      } else {
        if (options.shouldStop?.()) {
          interrupted = true;
          break;
        }
        interrupted = await runConfiguration(c, budget, out, dataDir, data!, machine, progress, options.shouldStop);
        if (interrupted) break;
      }
      progress.configurationDone();
      await writeResults(out, budget);
    }
  } finally {
    progress.stop();
    await lock.release();
  }
  const results = await writeResults(out, budget);
  return { out, interrupted, results };
}

async function writeResults(out: string, budget: Budget): Promise<Awaited<ReturnType<typeof collectResults>>> {
  const results = await collectResults(out, budget);
  await writeFileAtomic(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFileAtomic(join(out, 'results.md'), resultsTable(results));
  return results;
}

/** Trains (or resumes) and evaluates one configuration; true when stopped before finishing. */
async function runConfiguration(c: Configuration, budget: Budget, out: string, dataDir: string, data: Awaited<ReturnType<typeof loadMnist>>, machine: ConfigurationResult['machine'], progress: ReproduceProgress, shouldStop?: () => boolean): Promise<boolean> {
  const dir = join(out, c.name);
  const modelPath = join(repoRoot(), 'experiments', 'burda-mnist', c.arch === '1layer' ? 'one-layer.ppl' : 'two-layer.ppl');
  const trained = await trainConfiguration(c, budget, dir, modelPath, data, dataDir, {
    onEpochStart: (epoch, epochs, steps, done) => progress.phase(`${c.name} epoch ${epoch + 1}/${epochs}`, steps, done),
    onStep: (step, bound) => progress.update(step, `bound ${bound.toFixed(2)}`),
    onEpoch: (r, lr) => progress.log(`${c.name}: epoch ${r.epoch}/${budget.epochs}  lr ${lr.toExponential(2)}  train bound ${r.bound.toFixed(2)}  (${r.seconds.toFixed(0)} s)`),
    ...(shouldStop ? { shouldStop } : {}),
  });
  const { model } = trained;
  try {
    if (trained.interrupted) {
      progress.log(`${c.name}: stopped at epoch ${model.position.epoch}, step ${model.position.step}; checkpoint in ${dir} (run the same command again to resume)`);
      return true;
    }
    progress.phase(`${c.name} test NLL (k=${budget.evalK})`, data.test.rows);
    const evaluation = await evaluateConfiguration(model, data.test, { k: budget.evalK, ofRows: 10000, activeSamples: budget.activeSamples, seed: budget.seed, onProgress: (done, status) => progress.update(done, status) });
    const adam = model.optimizer?.getConfig() as { beta1?: number; beta2?: number; epsilon?: number } | undefined;
    const result: ConfigurationResult = {
      name: c.name, arch: c.arch, objective: c.objective, k: c.k, status: 'done', budget: budget.name, epochs: trained.epochsDone, schedule: schedulePrefix(trained.epochsDone), batchSize: budget.batchSize,
      adam: { beta1: adam?.beta1 ?? BURDA_ADAM.beta1, beta2: adam?.beta2 ?? BURDA_ADAM.beta2, epsilon: adam?.epsilon ?? NaN },
      trainRows: data.train.rows,
      trainBound: { value: trained.lastEpoch?.bound ?? NaN, kind: c.objective === 'vae' ? `ELBO (mean over k=${c.k} samples)` : `IWAE bound (k=${c.k})`, epoch: trained.lastEpoch?.epoch ?? 0 },
      ...evaluation,
      wallSeconds: { train: trained.trainSeconds, eval: evaluation.evalSeconds },
      machine: { ...machine, loadAverageEnd: os.loadavg()[0]! }, published: publishedFor(c), runDir: c.name,
    };
    await writeFile(join(dir, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
    const au = Object.entries(evaluation.activeUnits).map(([l, a]) => `${l} ${a.active}/${a.units}`).join(', ');
    progress.log(`${c.name}: test NLL ${evaluation.testNll.mean.toFixed(2)} ± ${evaluation.testNll.se.toFixed(2)} (k=${budget.evalK}, ${data.test.rows} rows; published ${result.published.testNll})  active units ${au}  (train ${(trained.trainSeconds / 60).toFixed(1)} min, eval ${evaluation.evalSeconds.toFixed(0)} s)`);
    return false;
  } finally {
    model.dispose();
  }
}

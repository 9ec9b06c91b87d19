/**
 * results.json: one entry per configuration of the budget (finished ones
 * with their numbers, others with how far they got), IWAE k = 1 reported from
 * the VAE k = 1 run, and the published numbers beside each; results.md, the
 * same as a Markdown table for docs/results.md.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeBudget, type Budget, type Configuration } from './budgets.js';
import type { Evaluation } from './evaluate-configuration.js';
import { PUBLISHED_NLL, REFERENCE, SEED_003_NLL } from './published.js';
import type { Stage } from './schedule.js';
import { RESULT_FILE } from '../lib/reproduction.js';

export { RESULT_FILE };

/** What one finished configuration records (its run directory's result.json). */
export interface ConfigurationResult extends Evaluation {
  readonly name: string;
  readonly arch: Configuration['arch'];
  readonly objective: Configuration['objective'];
  readonly k: number;
  readonly status: 'done';
  readonly budget: string;
  readonly epochs: number;
  readonly schedule: readonly Stage[];
  readonly batchSize: number;
  readonly adam: { readonly beta1: number; readonly beta2: number; readonly epsilon: number };
  readonly trainRows: number;
  /** The objective's bound on the training minibatches, averaged over the last epoch (nats, per image). */
  readonly trainBound: { readonly value: number; readonly kind: string; readonly epoch: number };
  readonly wallSeconds: { readonly train: number; readonly eval: number };
  /** bench/machine.ts's description plus the backend; `loadAverageStart` when the runner started, `loadAverageEnd` when this configuration finished (a shared machine slows training). */
  readonly machine: Record<string, unknown> & { readonly cpu: string; readonly cores: number; readonly backend: string };
  readonly published: { readonly testNll: number; readonly seed003TestNll: number };
  /** The run directory, relative to the out directory (results.json's folder). */
  readonly runDir: string;
}

/** An entry of results.json: a result, an unfinished configuration, or IWAE k = 1 as the VAE k = 1 run. */
export type ResultEntry = FinishedEntry | UnfinishedEntry;

/** A finished configuration, or IWAE k = 1 reported from the VAE k = 1 run (`status: 'same-as'`). */
export type FinishedEntry = ConfigurationResult | (Omit<ConfigurationResult, 'status'> & { readonly status: 'same-as'; readonly sameAs: string });

export interface UnfinishedEntry {
  readonly name: string;
  readonly status: 'pending' | 'partial';
  readonly epochsDone: number;
  readonly epochs: number;
  readonly runDir: string;
}

/** Whether an entry has numbers. */
export function isFinished(e: ResultEntry): e is FinishedEntry {
  return e.status === 'done' || e.status === 'same-as';
}

/** The published numbers of a configuration. */
export function publishedFor(c: Pick<Configuration, 'arch' | 'objective' | 'k'>): ConfigurationResult['published'] {
  return { testNll: PUBLISHED_NLL[c.arch][c.objective][c.k], seed003TestNll: SEED_003_NLL[c.arch][c.objective][c.k] };
}

async function readEntry(out: string, c: Configuration, epochs: number): Promise<ResultEntry> {
  const dir = join(out, c.name);
  const text = await readFile(join(dir, RESULT_FILE), 'utf8').catch(() => undefined);
  if (text !== undefined) return JSON.parse(text) as ConfigurationResult;
  const run = await readFile(join(dir, 'run.json'), 'utf8').catch(() => undefined);
  const epochsDone = run === undefined ? 0 : (JSON.parse(run) as { position: { epoch: number } }).position.epoch;
  return { name: c.name, status: run === undefined ? 'pending' : 'partial', epochsDone, epochs, runDir: c.name };
}

/** Collects results.json's contents from the run directories under `out`. */
export async function collectResults(out: string, budget: Budget): Promise<{ experiment: string; reference: string; budget: string; description: string; updated: string; configurations: ResultEntry[] }> {
  const entries: ResultEntry[] = [];
  for (const c of budget.configurations) {
    const entry = await readEntry(out, c, budget.epochs);
    entries.push(entry);
    if (c.objective === 'vae' && c.k === 1 && entry.status === 'done') {
      entries.push({ ...entry, name: `${c.arch}-iwae-k1`, objective: 'iwae', status: 'same-as', sameAs: c.name, published: publishedFor({ ...c, objective: 'iwae' }) });
    }
  }
  return { experiment: 'burda-mnist', reference: REFERENCE, budget: budget.name, description: describeBudget(budget), updated: new Date().toISOString(), configurations: entries };
}

const fmt = (x: number, digits = 2) => x.toFixed(digits);

/** The results as a Markdown table: published and achieved test NLL, active units, budget. */
export function resultsTable(results: Awaited<ReturnType<typeof collectResults>>): string {
  const head = '| layers | objective | k | published NLL | seed 003 NLL | achieved NLL (± se) | NLL estimate | train bound | active units | epochs | train time |\n|---|---|---|---|---|---|---|---|---|---|---|';
  const rows = results.configurations.map((e) => {
    if (!isFinished(e)) return `| ${e.name} | | | | | (${e.status}: ${e.epochsDone}/${e.epochs} epochs) | | | | | |`;
    const au = Object.entries(e.activeUnits).map(([l, a]) => `${l}: ${a.active}/${a.units}`).join(', ');
    const nll = `${fmt(e.testNll.mean)} ± ${fmt(e.testNll.se)}${'sameAs' in e ? ` (the ${e.sameAs} run)` : ''}`;
    return `| ${e.arch === '1layer' ? 1 : 2} | ${e.objective.toUpperCase()} | ${e.k} | ${fmt(e.published.testNll)} | ${fmt(e.published.seed003TestNll)} | ${nll} | k=${e.testNll.k}, ${e.testNll.rows} of ${e.testNll.ofRows} test images | ${fmt(e.trainBound.value)} | ${au} | ${e.epochs} | ${(e.wallSeconds.train / 60).toFixed(1)} min |`;
  });
  return `Budget: ${results.description}.\n\n${head}\n${rows.join('\n')}\n`;
}

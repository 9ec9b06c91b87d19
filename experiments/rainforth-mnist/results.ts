/**
 * results.json: one entry per configuration of the budget (finished ones
 * with their numbers, others with how far they got) and the published
 * numbers beside each; results.md, the same as a Markdown table.
 */
import type { Stage } from '../burda-mnist/schedule.js';
import { describeBudget, labelOf, type Budget, type Configuration } from './budgets.js';
import { REFERENCE, SEED_002_TABLE_1, type PublishedRow } from './published.js';
import { RESULT_FILE } from '../lib/reproduction.js';
import { readResultEntry, type UnfinishedEntry } from '../lib/result-entry.js';

export { RESULT_FILE, type UnfinishedEntry };

/** A test-set estimate: the mean bound (nats, higher is better) and its standard error over rows. */
export interface TestEstimate {
  readonly mean: number;
  readonly se: number;
  readonly k: number;
  readonly rows: number;
  readonly ofRows: number;
  readonly seed: number;
}

/** How a finished configuration was trained: shared by the reproductions that train on seed 002's protocol (run.ts's `trainingFields`). */
export interface TrainingFields {
  readonly status: 'done';
  readonly budget: string;
  readonly epochs: number;
  readonly schedule: readonly Stage[];
  readonly batchSize: number;
  readonly adam: { readonly beta1: number; readonly beta2: number; readonly epsilon: number };
  readonly trainRows: number;
  /** The objective's bound on the training minibatches, averaged over the last epoch (nats, per image). */
  readonly trainBound: { readonly value: number; readonly kind: string; readonly epoch: number };
}

/** The wall times (seconds) and the machine of a finished configuration. */
export interface RunFields {
  readonly wallSeconds: { readonly train: number; readonly eval: number };
  /** bench/machine.ts's description plus the backend and the load average when it finished. */
  readonly machine: Record<string, unknown> & { readonly cpu: string; readonly cores: number; readonly backend: string };
  /** The run directory, relative to the out directory (results.json's folder). */
  readonly runDir: string;
}

/** What one finished configuration records (its run directory's result.json). */
export interface ConfigurationResult extends TrainingFields, RunFields {
  readonly name: string;
  readonly label: string;
  readonly objective: Configuration['objective'];
  readonly k: number;
  readonly m?: number;
  readonly beta?: number;
  /** Samples per data point per step, M·K. */
  readonly samples: number;
  /** The mean IWAE-64 bound on the test rows. */
  readonly testIwae: TestEstimate;
  /** log p̂(x): the mean IWAE bound at k = 5000. */
  readonly logPHat: TestEstimate;
  /** Seed 002, Table 1 (referential model). */
  readonly published: PublishedRow & { readonly source: string };
}

export type ResultEntry = ConfigurationResult | UnfinishedEntry;

export function publishedFor(c: Configuration): ConfigurationResult['published'] {
  return { ...SEED_002_TABLE_1[c.objective], source: 'seed 002, Table 1, referential model' };
}

export interface Results {
  readonly experiment: string;
  readonly reference: string;
  readonly budget: string;
  readonly description: string;
  readonly updated: string;
  readonly configurations: ResultEntry[];
}

/** Collects results.json's contents from the run directories under `out`. */
export async function collectResults(out: string, budget: Budget): Promise<Results> {
  const configurations: ResultEntry[] = [];
  for (const c of budget.configurations) configurations.push(await readResultEntry<ConfigurationResult>(out, { name: c.name, label: labelOf(c) }, budget.epochs));
  return { experiment: 'rainforth-mnist', reference: REFERENCE, budget: budget.name, description: describeBudget(budget), updated: new Date().toISOString(), configurations };
}

const fmt = (x: number, digits = 2) => x.toFixed(digits);

/** The results as a Markdown table: published and achieved IWAE-64 and log p̂(x), budget. */
export function resultsTable(results: Results): string {
  const head = '| objective | samples | published IWAE-64 | achieved IWAE-64 (± se) | published log p̂(x) | achieved log p̂(x) (± se) | train bound | epochs | train time |\n|---|---|---|---|---|---|---|---|---|';
  const rows = results.configurations.map((e) => {
    if (e.status !== 'done') return `| ${e.label} | | | (${e.status}: ${e.epochsDone}/${e.epochs} epochs) | | | | | |`;
    return `| ${e.label} | ${e.samples} | ${fmt(e.published.iwae64)} | ${fmt(e.testIwae.mean)} ± ${fmt(e.testIwae.se)} (k=${e.testIwae.k}, ${e.testIwae.rows} images) | ${fmt(e.published.logPHat)} | ${fmt(e.logPHat.mean)} ± ${fmt(e.logPHat.se)} (k=${e.logPHat.k}, ${e.logPHat.rows} images) | ${fmt(e.trainBound.value)} | ${e.epochs} | ${(e.wallSeconds.train / 60).toFixed(1)} min |`;
  });
  return `Budget: ${results.description}.\n\nPublished: ${results.reference}.\n\n${head}\n${rows.join('\n')}\n`;
}

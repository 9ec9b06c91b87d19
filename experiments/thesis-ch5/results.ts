/**
 * results.json: one entry per configuration of the budget (finished ones
 * with their numbers, others with how far they got), the thesis's numbers
 * beside each; results.md, the same as Markdown tables for docs/results.md.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULT_FILE } from '../lib/reproduction.js';
import { describeBudget, type Budget, type Configuration } from './budgets.js';
import type { Evaluation } from './evaluate-configuration.js';
import { PUBLISHED, PUBLISHED_CHANCE, PUBLISHED_CLAIMS, REFERENCE, type PublishedNumbers } from './published.js';

export { RESULT_FILE };

/** What one finished configuration records (its run directory's result.json). */
export interface ConfigurationResult extends Evaluation {
  readonly name: Configuration['name'];
  readonly objective: Configuration['objective'];
  readonly k: number;
  readonly status: 'done';
  readonly budget: string;
  readonly epochs: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly clipNorm: number;
  readonly anneal: Budget['anneal'];
  readonly model: Budget['model'];
  readonly trainPatches: number;
  /** The training objective's bound on the minibatches, averaged over the last epoch (nats per patch, β-weighted while annealing). */
  readonly trainBound: { readonly value: number; readonly kind: string; readonly epoch: number };
  readonly wallSeconds: { readonly train: number; readonly eval: number };
  /** bench/machine.ts's description plus the backend and the load average when this configuration finished (a shared machine slows training). */
  readonly machine: Record<string, unknown> & { readonly cpu: string; readonly cores: number; readonly backend: string };
  readonly published: PublishedNumbers & { readonly chance: number };
  readonly runDir: string;
}

export interface UnfinishedEntry {
  readonly name: string;
  readonly status: 'pending' | 'partial';
  readonly epochsDone: number;
  readonly epochs: number;
  readonly runDir: string;
}

export type ResultEntry = ConfigurationResult | UnfinishedEntry;

export interface Results {
  readonly experiment: 'thesis-ch5';
  readonly reference: string;
  readonly budget: string;
  readonly description: string;
  readonly departures: readonly string[];
  readonly claims: readonly string[];
  readonly updated: string;
  readonly configurations: ResultEntry[];
}

export const isFinished = (e: ResultEntry): e is ConfigurationResult => e.status === 'done';

/** The thesis's numbers of a configuration. */
export function publishedFor(c: Pick<Configuration, 'name'>): ConfigurationResult['published'] {
  return { ...PUBLISHED[c.name], chance: PUBLISHED_CHANCE };
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
export async function collectResults(out: string, budget: Budget): Promise<Results> {
  const configurations: ResultEntry[] = [];
  for (const c of budget.configurations) configurations.push(await readEntry(out, c, budget.epochs));
  return { experiment: 'thesis-ch5', reference: REFERENCE, budget: budget.name, description: describeBudget(budget), departures: budget.departures, claims: PUBLISHED_CLAIMS, updated: new Date().toISOString(), configurations };
}

const f = (x: number | undefined, digits = 3) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));
const pm = (a: { mean: number; std: number } | undefined, digits = 3) => (a ? `${f(a.mean, digits)} ± ${f(a.std, digits)}` : '—');
const range = (v: number | readonly [number, number]) => (typeof v === 'number' ? String(v) : `${v[0]}–${v[1]}`);

/** One row per finished configuration: thesis number / achieved. */
function row(e: ConfigurationResult): string {
  const p = e.published;
  const fields = e.projectiveFields;
  const dec = e.textureDecoding;
  const z1 = e.activeUnits['z1'];
  const thesisFraction = p.localizedFields / (typeof p.activeZ1 === 'number' ? p.activeZ1 : p.activeZ1[0]);
  const bound = e.testBound['natural'];
  return [
    e.name, `${e.epochs} (${e.steps} steps)`, `${(e.wallSeconds.train / 60).toFixed(1)} min`,
    bound ? `${f(bound.mean, 1)} ± ${f(bound.se, 1)}` : '—',
    `${range(p.activeZ1)} / ${z1 ? `${z1.active} of ${z1.units}` : '—'}`,
    fields ? `${f(thesisFraction, 2)} / ${f(fields.fractionLocalized, 2)} (${fields.localized} of ${fields.active})` : `${f(thesisFraction, 2)} / —`,
    fields ? `${f(fields.concentration.median, 2)} [${f(fields.concentration.q25, 2)}, ${f(fields.concentration.q75, 2)}]` : '—',
    `${pm(p.top10Correlation, 2)} / ${pm(e.correlations?.top10, 2)}`,
    `${f(p.z2Accuracy)} / ${pm(dec?.latents['z2'])}`,
    `${f(p.z1Accuracy)} / ${pm(dec?.latents['z1'])}`,
    dec ? f(dec.chance, 2) : '—',
  ].join(' | ');
}

/** The results as a Markdown table: the thesis's numbers beside the achieved ones. */
export function resultsTable(results: Results): string {
  const head = '| model | epochs | train time | test bound (nats/patch, ± se) | active z1: thesis / here | fraction of active z1 fields localized: thesis / here | energy concentration median [IQR] | top-10 \\|corr\\| z1: thesis (1 patch) / here (mean ± sd over patches) | texture acc. z2: thesis / here | texture acc. z1: thesis / here | chance |\n|---|---|---|---|---|---|---|---|---|---|---|';
  const rows = results.configurations.map((e) => (isFinished(e) ? `| ${row(e)} |` : `| ${e.name} | (${e.status}: ${e.epochsDone}/${e.epochs} epochs) | | | | | | | | | |`));
  return `Budget: ${results.description}.\n\nDepartures from the thesis: ${results.departures.join('; ')}.\n\n${head}\n${rows.join('\n')}\n`;
}

/**
 * results.json: one entry per configuration (finished ones with β or its
 * learned trajectory and the test IWAE-64, others with how far they got),
 * and per group (fixed, learned) the mean ± sd of IWAE-64 across the β
 * values beside seed 002's; results.md, the same as two Markdown tables.
 */
import { schedulePrefix } from '../burda-mnist/schedule.js';
import { readResultEntry, type UnfinishedEntry } from '../lib/result-entry.js';
import type { RunFields, TestEstimate, TrainingFields } from '../rainforth-mnist/results.js';
import { BETA_GROUPS, describeBudget, labelOf, type BetaGroup, type Budget, type Configuration } from './budgets.js';
import { REFERENCE, SEED_002_FIGURE_4, type PublishedGroup } from './published.js';

/** A learned β: where it ended and its value at the end of every epoch. */
export interface LearnedBetaRecord {
  /** β = σ(b) after the last step. */
  readonly final: number;
  /** β at the end of epoch 1, 2, … (metrics.jsonl's `learned.beta`); `perEpoch.at(-1) === final`. */
  readonly perEpoch: readonly number[];
  /** Adam steps taken on β's logit (one per training step). */
  readonly updates: number;
}

/** What one finished configuration records (its run directory's result.json). */
export interface ConfigurationResult extends TrainingFields, RunFields {
  readonly name: string;
  readonly label: string;
  readonly group: BetaGroup;
  readonly k: number;
  /** fixed: β, unchanged by training. */
  readonly beta?: number;
  /** learned: β's initial value. */
  readonly betaInit?: number;
  /** learned: where β went. */
  readonly learnedBeta?: LearnedBetaRecord;
  /** The mean IWAE-64 bound on the test rows. */
  readonly testIwae: TestEstimate;
}

export type ResultEntry = ConfigurationResult | UnfinishedEntry;

/** Mean and sample standard deviation (n − 1 denominator; null below 2 values). */
export interface Spread {
  readonly mean: number;
  readonly sd: number | null;
  readonly n: number;
}

/** One arm of Figure 4: IWAE-64 across its β values, beside seed 002's. */
export interface GroupSummary {
  readonly group: BetaGroup;
  /** The β values (fixed) or initial values (learned) of the finished configurations. */
  readonly betas: readonly number[];
  readonly done: number;
  readonly of: number;
  /** Across the finished configurations' test IWAE-64 means; null when none is finished. */
  readonly iwae64: Spread | null;
  /** learned: the final β values' spread. */
  readonly finalBeta?: Spread | null;
  readonly published: PublishedGroup;
}

export interface Results {
  readonly experiment: string;
  readonly reference: string;
  readonly budget: string;
  readonly description: string;
  readonly updated: string;
  readonly configurations: ResultEntry[];
  readonly groups: Readonly<Record<BetaGroup, GroupSummary>>;
}

/** The mean and sample sd of `xs`, or null for none. */
export function spreadOf(xs: readonly number[]): Spread | null {
  if (xs.length === 0) return null;
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = xs.length < 2 ? null : Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
  return { mean, sd, n: xs.length };
}

/** `entries[i]` is `configurations[i]`'s entry. */
function summarize(group: BetaGroup, configurations: readonly Configuration[], entries: readonly ResultEntry[]): GroupSummary {
  const all = entries.filter((_, i) => configurations[i]!.group === group);
  const done = all.filter((e): e is ConfigurationResult => e.status === 'done');
  return {
    group, betas: done.map((e) => e.beta ?? e.betaInit!), done: done.length, of: all.length,
    iwae64: spreadOf(done.map((e) => e.testIwae.mean)),
    ...(group === 'learned' ? { finalBeta: spreadOf(done.map((e) => e.learnedBeta!.final)) } : {}),
    published: SEED_002_FIGURE_4[group],
  };
}

/** Collects results.json's contents from the run directories under `out`. */
export async function collectResults(out: string, budget: Budget): Promise<Results> {
  const configurations: ResultEntry[] = [];
  for (const c of budget.configurations) configurations.push(await readResultEntry<ConfigurationResult>(out, { name: c.name, label: labelOf(c) }, budget.epochs));
  const groups = { fixed: summarize('fixed', budget.configurations, configurations), learned: summarize('learned', budget.configurations, configurations) };
  return { experiment: 'ciwae-learned-beta', reference: REFERENCE, budget: budget.name, description: describeBudget(budget), updated: new Date().toISOString(), configurations, groups };
}

const fmt = (x: number, digits = 2) => x.toFixed(digits);
const spread = (s: Spread | null | undefined, digits = 2) => (s ? `${fmt(s.mean, digits)}${s.sd === null ? '' : ` ± ${fmt(s.sd, digits)}`} (n=${s.n})` : '');

/** β per epoch: every epoch for short runs, else at the end of each stage of the schedule (results.json has every epoch). */
function trajectory(perEpoch: readonly number[]): string {
  const ends = perEpoch.length <= 8 ? perEpoch.map((_, i) => i + 1) : schedulePrefix(perEpoch.length).map((_, i, stages) => stages.slice(0, i + 1).reduce((n, s) => n + s.epochs, 0));
  return ends.map((e) => `${e}: ${fmt(perEpoch[e - 1]!, 4)}`).join(', ');
}

function configurationRow(e: ResultEntry): string {
  if (e.status !== 'done') return `| ${e.label} | | | | (${e.status}: ${e.epochsDone}/${e.epochs} epochs) | | | |`;
  const learned = e.learnedBeta;
  return `| ${e.label} | ${e.beta ?? e.betaInit} | ${learned ? fmt(learned.final, 4) : `${e.beta} (fixed)`} | ${learned ? trajectory(learned.perEpoch) : ''} | ${fmt(e.testIwae.mean)} ± ${fmt(e.testIwae.se)} (k=${e.testIwae.k}, ${e.testIwae.rows} images) | ${fmt(e.trainBound.value)} | ${e.epochs} | ${(e.wallSeconds.train / 60).toFixed(1)} min |`;
}

function publishedCell(p: PublishedGroup): string {
  const first = `${fmt(p.iwae64Mean)} ± ${fmt(p.iwae64Sd)} (${p.source})`;
  return p.conflicting ? `${first}; ${fmt(p.conflicting.iwae64Mean)} ± ${fmt(p.iwae64Sd)} (${p.conflicting.source}): the two disagree` : first;
}

/** The results as Markdown: per configuration, then per group beside seed 002's numbers. */
export function resultsTable(results: Results): string {
  const head = '| configuration | β or β_init | final β | β at the end of epoch | test IWAE-64 (± se) | train bound | epochs | train time |\n|---|---|---|---|---|---|---|---|';
  const groupHead = '| group | β values | achieved IWAE-64, mean ± sd across β | published IWAE-64, mean ± sd across β | final learned β, mean ± sd |\n|---|---|---|---|---|';
  const groups = BETA_GROUPS.map((g) => results.groups[g]).map((s) => `| ${s.group} β | ${s.betas.join(', ')} (${s.done} of ${s.of} done) | ${spread(s.iwae64)} | ${publishedCell(s.published)} | ${spread(s.finalBeta, 4)} |`);
  return [
    `Budget: ${results.description}.`,
    `Published: ${results.reference}.`,
    `${head}\n${results.configurations.map(configurationRow).join('\n')}`,
    'The sd is across the β values (n − 1 in the denominator); each configuration\'s ± is the standard error of its mean over test images.',
    `${groupHead}\n${groups.join('\n')}`,
  ].join('\n\n') + '\n';
}

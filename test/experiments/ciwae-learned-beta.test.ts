/**
 * Seed 002's learnable-β experiment (sec. 4.3, Figure 4) end to end at the
 * tiny budget (seconds): results.json's structure, each learned β inside
 * (0, 1) and below its start (its loss gradient β(1 − β)·(IWAE − ELBO) is
 * never negative, so Adam only lowers the logit), a fixed β left as it was,
 * the group spreads recomputed from the entries, a run stopped inside a
 * learned-β configuration that resumes to the numbers (and β trajectory) of
 * an uninterrupted run, a re-run that skips, `--only`, and the data error.
 * Needs MNIST in ../shared/data/mnist (skipped, saying so, without it).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BURDA_EPOCHS } from '../../experiments/burda-mnist/schedule.js';
import { BUDGETS, describeBudget, labelOf } from '../../experiments/ciwae-learned-beta/budgets.js';
import { spreadOf } from '../../experiments/ciwae-learned-beta/results.js';
import { budgetFor, runCiwaeLearnedBeta } from '../../experiments/ciwae-learned-beta/run.js';
import { MNIST_PATHS } from '../../experiments/lib/mnist-data.js';

const dataDir = resolve(__dirname, '../../../shared/data');
const haveMnist = MNIST_PATHS.every((p) => existsSync(join(dataDir, p)));
const root = mkdtempSync(join(tmpdir(), 'ciwae-learned-beta-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Json { [key: string]: any }
const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;
const readLines = (path: string): Json[] => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Json);

const TINY_NAMES = ['ciwae-beta0.3-k4', 'ciwae-beta0.7-k4', 'ciwae-learn-from0.3-k4', 'ciwae-learn-from0.7-k4'];

/** Runs the tiny budget into `out`, collecting its lines; `stopAfter`: stop once shouldStop has been polled that often. */
async function tiny(out: string, options: { stopAfter?: number; only?: string[] } = {}) {
  const lines: string[] = [];
  let polls = 0;
  const result = await runCiwaeLearnedBeta({
    budget: 'tiny', out, dataDir, backend: 'cpu', interactive: false, write: (l) => lines.push(l),
    ...(options.stopAfter === undefined ? {} : { shouldStop: () => ++polls > options.stopAfter! }),
    ...(options.only ? { only: options.only } : {}),
  });
  return { ...result, lines };
}

describe('ciwae-learned-beta: budgets and data errors', () => {
  it('runs the β grid fixed, then learned from the same values, at k = 64 in quick and full', () => {
    expect(BUDGETS.quick.configurations.map(labelOf)).toEqual([
      'CIWAE(β=0.1, k=64)', 'CIWAE(β=0.5, k=64)', 'CIWAE(β=0.9, k=64)',
      'CIWAE(β learned from 0.1, k=64)', 'CIWAE(β learned from 0.5, k=64)', 'CIWAE(β learned from 0.9, k=64)',
    ]);
    expect(BUDGETS.quick).toMatchObject({ epochs: 1, iwaeK: 64, batchSize: 20 });
    expect(BUDGETS.quick.trainRows).toBeUndefined();
    expect(BUDGETS.full).toMatchObject({ betas: [0.1, 0.3, 0.5, 0.7, 0.9], k: 64, epochs: BURDA_EPOCHS, iwaeK: 64 });
    expect(BUDGETS.full.configurations.filter((c) => c.group === 'learned').map((c) => c.beta)).toEqual(BUDGETS.full.betas);
    expect(BUDGETS.tiny.configurations.map((c) => c.name)).toEqual(TINY_NAMES);
    expect(describeBudget(budgetFor('quick'))).toMatch(/^quick: CIWAE \(k=64\) with β fixed at 0\.1, 0\.5, 0\.9 and with β learned from each of them; the first 1 of Burda et al.'s 3,280 epochs \(1 at 1\.0e-3\).*all 60,000 training images; IWAE-64 on all 10,000 test images$/);
    expect(() => budgetFor('full', 3281)).toThrow(/^ciwae-learned-beta: --epochs must be an integer from 1 to 3280/);
  });

  it('names the missing file and the directory it looked in, and an unknown --only name', async () => {
    const empty = mkdtempSync(join(root, 'no-data-'));
    await expect(runCiwaeLearnedBeta({ budget: 'tiny', out: join(root, 'never'), dataDir: empty })).rejects.toThrow(
      new RegExp(`^ciwae-learned-beta: missing file ${empty}/mnist/train-images-idx3-ubyte\\.gz \\(looked in the data directory ${empty}, given by --data`),
    );
    await expect(runCiwaeLearnedBeta({ budget: 'tiny', out: join(root, 'never'), dataDir: empty, only: ['ciwae-beta0.5-k4'] })).rejects.toThrow(
      /^ciwae-learned-beta: the tiny budget has no configuration ciwae-beta0\.5-k4; it has ciwae-beta0\.3-k4, /,
    );
    expect(existsSync(join(root, 'never'))).toBe(false);
  });
});

describe.skipIf(!haveMnist)(`ciwae-learned-beta at the tiny budget${haveMnist ? '' : ` (skipped: no MNIST in ${dataDir}/mnist)`}`, () => {
  const stopped = join(root, 'stopped');
  const straight = join(root, 'straight');

  it('stops inside a learned-β run with a checkpoint, and a re-run resumes it to the numbers of an uninterrupted run', async () => {
    // 100 rows, batches of 20: 5 steps an epoch, 2 epochs. shouldStop is polled once before each configuration and once
    // before each step: 2 × (1 + 10) polls for the fixed runs, then 1 + 7 are the first learned run's epoch 1 and 2 steps of epoch 2.
    const first = await tiny(stopped, { stopAfter: 30 });
    expect(first.interrupted).toBe(true);
    const run = readJson(join(stopped, 'ciwae-learn-from0.3-k4', 'run.json'));
    expect(run.position).toEqual({ epoch: 1, step: 2 });
    expect(run.options).toMatchObject({ objective: 'ciwae', beta: 'learn', betaInit: 0.3 });
    expect(run.learnedBeta.steps).toBe(7);
    expect(readJson(join(stopped, 'results.json')).configurations.map((c: Json) => [c.name, c.status])).toEqual(
      [['ciwae-beta0.3-k4', 'done'], ['ciwae-beta0.7-k4', 'done'], ['ciwae-learn-from0.3-k4', 'partial'], ['ciwae-learn-from0.7-k4', 'pending']],
    );

    expect((await tiny(stopped)).interrupted).toBe(false);
    expect((await tiny(straight)).interrupted).toBe(false);
    for (const name of TINY_NAMES) {
      const [a, b] = [readJson(join(stopped, name, 'result.json')), readJson(join(straight, name, 'result.json'))];
      expect(a.testIwae.mean).toBe(b.testIwae.mean);
      expect(a.learnedBeta).toEqual(b.learnedBeta);
      // The resumed epoch's training bound averages only the steps run after the resume, so it is compared where no stop fell.
      if (name === 'ciwae-learn-from0.3-k4') expect(a.trainBound.epoch).toBe(b.trainBound.epoch);
      else expect(a.trainBound).toEqual(b.trainBound);
    }
  });

  it('writes each configuration\'s β (fixed, or learned with its trajectory), test IWAE-64 and train time', () => {
    const results = readJson(join(straight, 'results.json'));
    expect(results).toMatchObject({ experiment: 'ciwae-learned-beta', budget: 'tiny' });
    expect(results.reference).toMatch(/seed 002.*4\.3.*Figure 4/);
    expect(results.configurations.map((c: Json) => [c.name, c.status])).toEqual(TINY_NAMES.map((n) => [n, 'done']));
    for (const e of results.configurations as Json[]) {
      expect(e).toMatchObject({ budget: 'tiny', epochs: 2, k: 4, batchSize: 20, trainRows: 100, adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } });
      expect(e.testIwae).toMatchObject({ k: 64, rows: 20, ofRows: 10000 });
      expect(e.testIwae.mean).toBeLessThan(0);
      expect(e.testIwae.se).toBeGreaterThan(0);
      expect(Number.isFinite(e.trainBound.value)).toBe(true);
      expect(e.wallSeconds.train).toBeGreaterThan(0);
      expect(e.machine).toMatchObject({ backend: 'cpu' });
    }
    const [fixed03, fixed07, learn03, learn07] = results.configurations as Json[];
    for (const [e, beta] of [[fixed03, 0.3], [fixed07, 0.7]] as const) {
      expect(e).toMatchObject({ group: 'fixed', beta, label: `CIWAE(β=${beta}, k=4)` });
      expect(e.learnedBeta).toBeUndefined();
      // β stays where it was put: run.json records it, holds no learned state, and no epoch reports a learned value.
      const run = readJson(join(straight, e.name, 'run.json'));
      expect(run.options.beta).toBe(beta);
      expect(run.learnedBeta).toBeUndefined();
      expect(readLines(join(straight, e.name, 'metrics.jsonl')).map((r) => r.learned)).toEqual([undefined, undefined]);
    }
    for (const [e, betaInit] of [[learn03, 0.3], [learn07, 0.7]] as const) {
      expect(e).toMatchObject({ group: 'learned', betaInit, label: `CIWAE(β learned from ${betaInit}, k=4)` });
      expect(e.beta).toBeUndefined();
      const { final, perEpoch, updates } = e.learnedBeta;
      expect(updates).toBe(10);
      expect(perEpoch).toHaveLength(2);
      expect(perEpoch[1]).toBe(final);
      expect(perEpoch[0]).toBeLessThan(betaInit);
      expect(final).toBeLessThan(perEpoch[0]);
      expect(final).toBeGreaterThan(0);
      expect(final).toBeLessThan(1);
      const run = readJson(join(straight, e.name, 'run.json'));
      expect(1 / (1 + Math.exp(-run.learnedBeta.logit))).toBe(final);
    }
  });

  it('summarizes each group as mean ± sd across β beside seed 002\'s numbers, both fixed-β means included', () => {
    const results = readJson(join(straight, 'results.json'));
    const [fixed03, fixed07, learn03, learn07] = results.configurations as Json[];
    const { fixed, learned } = results.groups;
    expect(fixed).toMatchObject({ group: 'fixed', betas: [0.3, 0.7], done: 2, of: 2, iwae64: spreadOf([fixed03!.testIwae.mean, fixed07!.testIwae.mean]) });
    expect(fixed.published).toMatchObject({ iwae64Mean: -81.29, iwae64Sd: 2.98, conflicting: { iwae64Mean: -81.99 } });
    expect(learned).toMatchObject({ group: 'learned', betas: [0.3, 0.7], done: 2, iwae64: spreadOf([learn03!.testIwae.mean, learn07!.testIwae.mean]) });
    expect(learned.finalBeta).toEqual(spreadOf([learn03!.learnedBeta.final, learn07!.learnedBeta.final]));
    expect(learned.published).toMatchObject({ iwae64Mean: -80.34, iwae64Sd: 0.49 });
    expect(spreadOf([-80, -82])).toEqual({ mean: -81, sd: Math.SQRT2, n: 2 });
    const md = readFileSync(join(straight, 'results.md'), 'utf8');
    expect(md).toMatch(/\| CIWAE\(β learned from 0\.7, k=4\) \| 0\.7 \| 0\.\d{4} \| 1: 0\.\d{4}, 2: 0\.\d{4} \| -\d+\.\d\d ± \d+\.\d\d \(k=64, 20 images\) \|/);
    expect(md).toMatch(/\| fixed β \| 0\.3, 0\.7 \(2 of 2 done\) \| -\d+\.\d\d ± \d+\.\d\d \(n=2\) \| -81\.29 ± 2\.98 \(seed 002, sec\. 4\.3 \(text\)\); -81\.99 ± 2\.98 \(seed 002, Figure 4 caption\): the two disagree \|/);
    expect(md).toMatch(/\| learned β \| .* \| -80\.34 ± 0\.49 /);
  });

  it('skips finished configurations on a re-run, and runs only the --only ones', async () => {
    const file = join(straight, 'ciwae-learn-from0.3-k4', 'result.json');
    const before = statSync(file).mtimeMs;
    const again = await tiny(straight);
    expect(again.lines.filter((l) => l.includes('done earlier, skipped'))).toHaveLength(4);
    expect(statSync(file).mtimeMs).toBe(before);

    const only = join(root, 'only');
    const one = await tiny(only, { only: ['ciwae-learn-from0.7-k4'] });
    expect(one.results.configurations.map((c) => [c.name, c.status])).toEqual([...TINY_NAMES.slice(0, 3).map((n) => [n, 'pending']), ['ciwae-learn-from0.7-k4', 'done']]);
    expect(one.results.groups.learned).toMatchObject({ done: 1, of: 2, iwae64: { sd: null, n: 1 } });
    // Each configuration trains from the same seed on its own, so running it alone gives the full run's numbers.
    expect(readJson(join(only, 'ciwae-learn-from0.7-k4', 'result.json')).learnedBeta).toEqual(readJson(join(straight, 'ciwae-learn-from0.7-k4', 'result.json')).learnedBeta);
  });
});
